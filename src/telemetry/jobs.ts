import { ROOT_CONTEXT, SpanKind, SpanStatusCode, context, trace } from '@opentelemetry/api';
import { tracer, tracingActive } from './tracing.ts';

/**
 * Runs one scheduler job (or timer task) in its own root span, `job NAME`,
 * so the queries it makes are its children and its failures are visible.
 * Matches the scheduler's JobWrapper: must call and return `run()`.
 */
export async function traceJob<T>(name: string, run: () => Promise<T>): Promise<T> {
  if (!tracingActive()) return run();
  const span = tracer().startSpan(`job ${name}`, { kind: SpanKind.INTERNAL, attributes: { 'job.name': name } }, ROOT_CONTEXT);
  try {
    return await context.with(trace.setSpan(ROOT_CONTEXT, span), run);
  } catch (err) {
    span.recordException(err as Error);
    span.setStatus({ code: SpanStatusCode.ERROR, message: (err as Error).message });
    throw err;
  } finally {
    span.end();
  }
}
