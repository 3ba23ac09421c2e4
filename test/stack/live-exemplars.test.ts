import { spawn, type ChildProcess } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { useTestDatabase } from '../support/db.ts';
import { eventually, StopWaiting } from '../support/eventually.ts';
import { provisionedDatasources } from './support/dashboards.ts';
import { repoPath } from './support/files.ts';
import { freePort, startPrometheus, type PrometheusServer } from './support/prometheus-server.ts';

/**
 * The process exactly as the image runs it (the Dockerfile's CMD, tracing
 * on, no OTLP endpoint) scraped by the real Prometheus with exemplar
 * storage on: the exemplars Prometheus stores carry the trace_id label that
 * Grafana's Prometheus datasource links to Tempo.
 */
const t = useTestDatabase();
let app: ChildProcess;
let base: string;
let prom: PrometheusServer;

beforeAll(async () => {
  const port = await freePort();
  const env: NodeJS.ProcessEnv = { ...process.env, DATABASE_URL: t.url, PORT: String(port), HOST: '127.0.0.1', LOG_LEVEL: 'warn' };
  delete env.OTEL_SDK_DISABLED;
  delete env.OTEL_EXPORTER_OTLP_ENDPOINT;
  // The Dockerfile's CMD, on the Node 24 that npm scripts use.
  app = spawn(repoPath('node_modules/.bin/node'), ['--import', './src/telemetry/preload.ts', 'src/main.ts'], {
    cwd: repoPath(),
    env,
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  app.stderr?.on('data', (c: Buffer) => (stderr += c.toString()));
  base = `http://127.0.0.1:${port}`;
  await eventually(
    async () => {
      if (app.exitCode !== null) throw new StopWaiting(`the service exited: ${stderr}`);
      expect((await fetch(`${base}/readyz`)).ok).toBe(true);
    },
    { timeout: 30_000, interval: 200, what: `the service to be ready (${stderr})` },
  );
  prom = await startPrometheus({ 'repair-bot': `127.0.0.1:${port}` });
});

afterAll(async () => {
  await prom?.stop();
  if (app && app.exitCode === null) {
    const exited = new Promise((r) => app.once('exit', r));
    app.kill('SIGTERM');
    await exited;
  }
});

describe('exemplars from the service as the image runs it', () => {
  it('reach Prometheus with a trace_id that the Grafana datasource links to Tempo', async () => {
    // Setup
    const link = provisionedDatasources().find((d) => d.type === 'prometheus')?.jsonData?.exemplarTraceIdDestinations?.[0];
    const started = Date.now() / 1000;

    // Action: requests spread over a few scrapes.
    const exemplars = await eventually(
      async () => {
        for (const path of ['/healthz', '/readyz']) await (await fetch(`${base}${path}`)).arrayBuffer();
        await prom.nextScrape('repair-bot');
        const res = await prom.get<Array<{ exemplars: Array<{ labels: Record<string, string> }> }>>('/api/v1/query_exemplars', {
          query: 'http_server_request_duration_seconds_bucket{http_route="/readyz"}',
          start: String(started - 60),
          end: String(Date.now() / 1000 + 1),
        });
        const found = (res.data ?? []).flatMap((s) => s.exemplars);
        expect(found.length).toBeGreaterThan(0);
        return found;
      },
      { timeout: 20_000, interval: 0, what: 'exemplars in Prometheus' },
    );

    // Assertions
    expect(exemplars.length).toBeGreaterThan(0);
    expect(link?.name).toBe('trace_id');
    for (const e of exemplars) expect(e.labels[link?.name ?? '']).toMatch(/^[0-9a-f]{32}$/);
  });
});
