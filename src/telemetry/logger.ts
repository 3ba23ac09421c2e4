import { trace } from '@opentelemetry/api';
import { pino, stdSerializers, type Logger } from 'pino';
import { maskPhone, scrubText } from './redact.ts';

export type { Logger };

const PHONE_FIELDS = ['phone', 'client_phone'];
const PHONE_PATHS = PHONE_FIELDS.flatMap((f) => [f, `*.${f}`, `*.*.${f}`]);

/**
 * Errors are serialized with their text scrubbed: driver errors quote
 * values (a unique violation's detail names the phone), network errors
 * quote URLs (the Bot API's carries the token). Causes are scrubbed too.
 */
function serializeError(err: unknown, depth = 0): unknown {
  if (!(err instanceof Error)) return err;
  const out = stdSerializers.err(err) as unknown as Record<string, unknown>;
  for (const key of ['message', 'stack', 'detail', 'hint', 'where', 'description']) {
    if (typeof out[key] === 'string') out[key] = scrubText(out[key]);
  }
  for (const key of ['cause', 'error']) {
    const inner = (err as unknown as Record<string, unknown>)[key];
    if (inner instanceof Error) out[key] = depth < 3 ? serializeError(inner, depth + 1) : { message: scrubText(inner.message) };
  }
  return out;
}

/**
 * JSON logs with trace_id/span_id of the active span on every line and
 * phone numbers masked: by field name (phone, client_phone, two levels
 * deep), inside the message text, and inside errors.
 *
 * By default lines go to stdout through an asynchronous buffer, so a
 * request never waits on a write; pino flushes it synchronously at exit.
 */
export function createLogger(level: string, destination?: pino.DestinationStream): Logger {
  return pino(
    {
      level,
      base: { service: 'repair-bot' },
      timestamp: pino.stdTimeFunctions.isoTime,
      formatters: { level: (label) => ({ level: label }) },
      redact: { paths: PHONE_PATHS, censor: (value) => maskPhone(value) },
      serializers: { err: (e) => serializeError(e), error: (e) => serializeError(e) },
      mixin() {
        const ctx = trace.getActiveSpan()?.spanContext();
        return ctx ? { trace_id: ctx.traceId, span_id: ctx.spanId } : {};
      },
      hooks: {
        logMethod(args, method) {
          const masked = args.map((a) => (typeof a === 'string' ? scrubText(a) : a)) as Parameters<typeof method>;
          method.apply(this, masked);
        },
      },
    },
    destination ?? pino.destination({ dest: 1, sync: false }),
  );
}
