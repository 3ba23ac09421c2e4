import { TraceFlags, type Span } from '@opentelemetry/api';

const NONE: Readonly<Record<string, string>> = Object.freeze({});

/** Exemplar labels linking a metric sample to its trace; none for an unsampled span. */
export function exemplarOf(span: Span | undefined): Record<string, string> {
  if (!span) return NONE;
  const ctx = span.spanContext();
  if ((ctx.traceFlags & TraceFlags.SAMPLED) === 0) return NONE;
  return { trace_id: ctx.traceId, span_id: ctx.spanId };
}
