import { spawn, type ChildProcess } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { useTestDatabase } from '../support/db.ts';
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
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

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
  const deadline = Date.now() + 30_000;
  while (
    !(await fetch(`${base}/readyz`).then(
      (r) => r.ok,
      () => false,
    ))
  ) {
    if (app.exitCode !== null || Date.now() > deadline) throw new Error(`the service did not become ready: ${stderr}`);
    await sleep(200);
  }
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
    let exemplars: Array<{ labels: Record<string, string> }> = [];
    for (let i = 0; i < 20 && exemplars.length === 0; i++) {
      for (const path of ['/healthz', '/readyz']) await (await fetch(`${base}${path}`)).arrayBuffer();
      await sleep(500);
      const res = await prom.get<Array<{ exemplars: Array<{ labels: Record<string, string> }> }>>('/api/v1/query_exemplars', {
        query: 'http_server_request_duration_seconds_bucket{http_route="/readyz"}',
        start: String(started - 60),
        end: String(Date.now() / 1000 + 1),
      });
      exemplars = (res.data ?? []).flatMap((s) => s.exemplars);
    }

    // Assertions
    expect(exemplars.length).toBeGreaterThan(0);
    expect(link?.name).toBe('trace_id');
    for (const e of exemplars) expect(e.labels[link?.name ?? '']).toMatch(/^[0-9a-f]{32}$/);
  });
});
