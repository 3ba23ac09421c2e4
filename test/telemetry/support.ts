import { Writable } from 'node:stream';
import { InMemorySpanExporter, SimpleSpanProcessor, type ReadableSpan } from '@opentelemetry/sdk-trace';
import { afterAll, beforeAll } from 'vitest';
import { loadConfig } from '../../src/config.ts';
import type { RunningService } from '../../src/app-runtime.ts';
import { createLogger, type Logger } from '../../src/telemetry/logger.ts';
import { startTracing } from '../../src/telemetry/tracing.ts';
import { cloneTemplate } from '../support/db.ts';

/**
 * Starts the OpenTelemetry SDK inside the test process exactly as the
 * preload does (same startTracing, same instrumentations), with an
 * in-memory exporter instead of OTLP. Call it before the service's modules
 * are imported (import them dynamically afterwards): instrumentation-http
 * patches node:http as express loads it, as the --import preload does in
 * production. The preload path itself is proven end to end by
 * preload.test.ts, against the real entry point in a child process.
 */
export async function inMemoryTracing(): Promise<InMemorySpanExporter> {
  // vitest.config.ts turns tracing off for the suite; these files turn it on.
  delete process.env.OTEL_SDK_DISABLED;
  const exporter = new InMemorySpanExporter();
  if (!(await startTracing({ spanProcessors: [new SimpleSpanProcessor({ exporter })] }))) throw new Error('tracing did not start');
  return exporter;
}

/** Log lines captured as parsed JSON. */
export function memoryLogger(level = 'info'): { logger: Logger; lines: Array<Record<string, unknown>> } {
  const lines: Array<Record<string, unknown>> = [];
  const stream = new Writable({
    write(chunk: Buffer, _enc, done) {
      for (const l of chunk.toString('utf8').split('\n')) if (l) lines.push(JSON.parse(l) as Record<string, unknown>);
      done();
    },
  });
  return { logger: createLogger(level, stream), lines };
}

export interface TestService {
  service: RunningService;
  base: string;
  lines: Array<Record<string, unknown>>;
  /** The bootstrap admin's token (the clone starts with no users). */
  token: string;
  get(path: string, headers?: Record<string, string>): Promise<Response>;
}

/** startService on `databaseUrl` at a free loopback port, with `env` over the defaults, logging to memory. */
export async function startServiceOn(
  databaseUrl: string,
  env: Record<string, string>,
): Promise<{ service: RunningService; lines: Array<Record<string, unknown>>; base: string }> {
  const { startService } = await import('../../src/app-runtime.ts');
  const { logger, lines } = memoryLogger();
  const service = await startService(loadConfig({ DATABASE_URL: databaseUrl, PORT: '0', HOST: '127.0.0.1', ...env }), logger);
  return { service, lines, base: `http://127.0.0.1:${service.http.port}` };
}

/**
 * The whole service (startService: the production wiring of database,
 * observer, middleware, /metrics, timers) on its own cloned database and a
 * free port. `env` adds or overrides variables (METRICS_ENABLED, ...).
 */
export function useService(env: Record<string, string> = {}): TestService {
  const ts = {} as TestService;
  let drop: () => Promise<void> = async () => {};
  beforeAll(async () => {
    const clone = await cloneTemplate();
    drop = clone.drop;
    // A short request warm-up, as test/support/service-process.ts starts the service.
    const started = await startServiceOn(clone.url, { PG_POOL_MIN: '0', WARM_UP_REQUESTS: '50', ...env });
    ts.service = started.service;
    ts.lines = started.lines;
    ts.token = ts.service.bootstrapToken ?? '';
    ts.base = started.base;
    ts.get = (path, headers = {}) => fetch(ts.base + path, { headers });
  });
  afterAll(async () => {
    await ts.service?.stop();
    await drop();
  });
  return ts;
}

/** The spans of one trace, and a lookup of each span's parent span id. */
function parentOf(span: ReadableSpan): string | undefined {
  return span.parentSpanContext?.spanId;
}

export function childrenOf(spans: ReadableSpan[], parent: ReadableSpan): ReadableSpan[] {
  return spans.filter((s) => s.spanContext().traceId === parent.spanContext().traceId && parentOf(s) === parent.spanContext().spanId);
}
