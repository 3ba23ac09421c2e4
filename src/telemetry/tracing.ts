import type { ClientRequestArgs } from 'node:http';
import { trace, type Tracer } from '@opentelemetry/api';
import type { SpanProcessor } from '@opentelemetry/sdk-trace';
import { redactBotToken } from './redact.ts';

export interface TracingOptions {
  /** Replaces the OTLP export chosen from OTEL_* (tests pass an in-memory exporter here). */
  spanProcessors?: SpanProcessor[];
}

interface Started {
  shutdown(): Promise<void>;
}

let started: Started | undefined;

/** True once the SDK runs: spans are recorded and carry ids (logs, exemplars). */
export function tracingActive(): boolean {
  return started !== undefined;
}

export function tracer(): Tracer {
  return trace.getTracer('repair-bot');
}

function outgoingUrl(options: ClientRequestArgs): string {
  const host = options.host ?? options.hostname ?? 'localhost';
  const port = options.port ? `:${options.port}` : '';
  return redactBotToken(`${options.protocol ?? 'http:'}//${host}${port}${(options.path ?? '/').split('?')[0]}`);
}

/**
 * Starts the OpenTelemetry Node SDK unless OTEL_SDK_DISABLED=true.
 *
 * Instrumented: outgoing HTTP (instrumentation-http: the Bot API calls,
 * token redacted). The SERVER span of each incoming request is made by
 * http-telemetry.ts, named by express's matched route template; SQL spans
 * come from the DbObserver (db-observer.ts), which knows each query's name
 * and never its values. instrumentation-http's incoming side,
 * instrumentation-express (a span per middleware layer) and
 * instrumentation-pg (a duplicate of every SQL span, plus pool and connect
 * spans) are left out: together they tripled the per-request cost of
 * tracing for nothing the spec asks for.
 *
 * Export: OTLP as configured by the standard OTEL_* variables when an
 * endpoint or exporter is configured; otherwise spans are still recorded
 * (trace ids for logs and exemplars) and dropped. Export failures are
 * reported by the SDK's diag logger and never throw into the service.
 */
export async function startTracing(opts: TracingOptions = {}): Promise<boolean> {
  if (started) return true;
  if (process.env.OTEL_SDK_DISABLED === 'true') return false;
  // No ESM loader hook (import-in-the-middle): the one instrumented module,
  // node:http, reaches the Bot API calls through require (node-fetch inside
  // grammY), which the SDK patches without it. The hook sent every module
  // the service imports through a loader thread: 3-5 s on each start.
  const { NodeSDK } = await import('@opentelemetry/sdk-node');
  const { NoopSpanProcessor } = await import('@opentelemetry/sdk-trace');
  const { HttpInstrumentation } = await import('@opentelemetry/instrumentation-http');
  const env = process.env;
  const exporting = Boolean(
    env.OTEL_EXPORTER_OTLP_ENDPOINT || env.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT || (env.OTEL_TRACES_EXPORTER && env.OTEL_TRACES_EXPORTER !== 'none'),
  );
  const spanProcessors = opts.spanProcessors ?? (exporting ? undefined : [new NoopSpanProcessor()]);
  const sdk = new NodeSDK({
    serviceName: env.OTEL_SERVICE_NAME ?? 'repair-bot',
    ...(spanProcessors ? { spanProcessors } : {}),
    // Metrics are prom-client's and logs are pino's: no OTLP metric or log pipelines.
    metricReaders: [],
    logRecordProcessors: [],
    instrumentations: [
      new HttpInstrumentation({
        // Incoming requests get their span from http-telemetry.ts (cheaper, named by route).
        disableIncomingRequestInstrumentation: true,
        // Outgoing calls are the Bot API's: traced under their telegram.api span only.
        requireParentforOutgoingSpans: true,
        startOutgoingSpanHook: (options) => ({ 'url.full': outgoingUrl(options) }),
      }),
    ],
  });
  sdk.start();
  started = sdk;
  return true;
}

/** Bounds a telemetry promise: a collector that is down must never hold up the service. */
async function within(timeoutMs: number, work: Promise<unknown>): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<void>((resolve) => {
    timer = setTimeout(resolve, timeoutMs);
    timer.unref();
  });
  await Promise.race([work.catch(() => undefined), timeout]);
  clearTimeout(timer);
}

/** Exports the spans still buffered (on shutdown), waiting at most `timeoutMs`. */
export async function flushTracing(timeoutMs = 3000): Promise<void> {
  if (!started) return;
  const provider = trace.getTracerProvider() as { getDelegate?(): { forceFlush?(): Promise<void> } };
  const flush = provider.getDelegate?.().forceFlush?.();
  if (flush) await within(timeoutMs, flush);
}

/** Flushes and stops the SDK, waiting at most `timeoutMs`. */
export async function stopTracing(timeoutMs = 3000): Promise<void> {
  const sdk = started;
  if (!sdk) return;
  started = undefined;
  await within(timeoutMs, sdk.shutdown());
}
