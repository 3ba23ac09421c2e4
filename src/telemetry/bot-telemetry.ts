import { SpanKind, SpanStatusCode, context, trace, type Span } from '@opentelemetry/api';
import type { Context, MiddlewareFn, Transformer } from 'grammy';
import { exemplarOf } from './exemplars.ts';
import type { Metrics } from './metrics.ts';
import { redactBotToken } from './redact.ts';
import { tracer, tracingActive } from './tracing.ts';

/**
 * Integration points between the bot (src/bot) and telemetry. The bot
 * installs these; telemetry fills in spans and histograms:
 * - updateTelemetry(): outermost bot middleware; one span and one
 *   telegram_bot_update_duration_seconds{update_type, handler} observation per update.
 * - markHandler(ctx, name): a handler says which feature handled the update
 *   (low-cardinality name such as 'orders.create', 'master.accept').
 * - botApiTelemetry(): API transformer; one span (token redacted) and one
 *   telegram_bot_api_request_duration_seconds{method, outcome} per Bot API call.
 * The service hands the metrics over with useBotMetrics() (null: metrics off).
 */
const HANDLER = Symbol('telemetry.handler');

let metrics: Metrics | null = null;

export function useBotMetrics(m: Metrics | null): void {
  metrics = m;
}

/** repair_client_messages_total{kind}: a message about their order reached a client. */
export function countClientMessage(kind: string): void {
  metrics?.clientMessages.inc({ kind });
}

/** repair_order_ratings_total{score}. */
export function countRating(score: number): void {
  metrics?.ratings.inc({ score: String(score) });
}

export function markHandler(ctx: Context, name: string): void {
  (ctx as unknown as Record<symbol, string>)[HANDLER] = name;
}

const HANDLER_NAME = /^[a-z][a-z0-9_.:-]{0,63}$/;

export function handlerOf(ctx: Context): string {
  const name = (ctx as unknown as Record<symbol, string | undefined>)[HANDLER];
  if (name === undefined) return 'unhandled';
  // A label value must stay low-cardinality whatever a caller passes.
  return HANDLER_NAME.test(name) ? name : 'other';
}

/** Update kinds the Bot API defines; anything else (a forged webhook body) is 'other'. */
const UPDATE_TYPES = new Set([
  'message',
  'edited_message',
  'channel_post',
  'edited_channel_post',
  'business_connection',
  'business_message',
  'edited_business_message',
  'deleted_business_messages',
  'message_reaction',
  'message_reaction_count',
  'inline_query',
  'chosen_inline_result',
  'callback_query',
  'shipping_query',
  'pre_checkout_query',
  'purchased_paid_media',
  'poll',
  'poll_answer',
  'my_chat_member',
  'chat_member',
  'chat_join_request',
  'chat_boost',
  'removed_chat_boost',
]);

function updateTypeOf(update: object): string {
  for (const key in update) if (key !== 'update_id') return UPDATE_TYPES.has(key) ? key : 'other';
  return 'other';
}

function failed(span: Span | undefined, err: unknown): void {
  if (!span) return;
  // A network error's message may quote the Bot API URL, token included.
  const message = redactBotToken(String((err as Error)?.message ?? err));
  span.recordException({ name: (err as Error)?.name ?? 'Error', message });
  span.setStatus({ code: SpanStatusCode.ERROR, message });
}

export function updateTelemetry(): MiddlewareFn<Context> {
  return async (ctx, next) => {
    const started = performance.now();
    const type = updateTypeOf(ctx.update);
    // A child of the webhook's HTTP span, or a root span under long polling.
    const span = tracingActive()
      ? tracer().startSpan(`telegram.update ${type}`, {
          kind: SpanKind.CONSUMER,
          attributes: { 'telegram.update_type': type, 'telegram.update_id': ctx.update.update_id },
        })
      : undefined;
    try {
      await (span ? context.with(trace.setSpan(context.active(), span), next) : next());
    } catch (err) {
      failed(span, err);
      throw err;
    } finally {
      const handler = handlerOf(ctx);
      if (span) {
        span.setAttribute('telegram.handler', handler);
        span.end();
      }
      metrics?.botUpdate.observe({ labels: { update_type: type, handler }, value: (performance.now() - started) / 1000, exemplarLabels: exemplarOf(span) });
    }
  };
}

export function botApiTelemetry(): Transformer {
  return async (prev, method, payload, signal) => {
    const started = performance.now();
    // Only the method is recorded: payloads carry chats, texts and phones. The
    // token lives in the URL of the underlying HTTP call, whose span the
    // tracing setup redacts (tracing.ts).
    const span = tracingActive()
      ? tracer().startSpan(`telegram.api ${method}`, { kind: SpanKind.CLIENT, attributes: { 'telegram.method': method } })
      : undefined;
    let outcome = 'error';
    try {
      const res = span ? await context.with(trace.setSpan(context.active(), span), () => prev(method, payload, signal)) : await prev(method, payload, signal);
      if (res.ok) outcome = 'success';
      else {
        outcome = res.error_code === 429 ? 'rate_limited' : 'error';
        span?.setAttribute('telegram.error_code', res.error_code);
        span?.setStatus({ code: SpanStatusCode.ERROR, message: res.description });
      }
      return res;
    } catch (err) {
      failed(span, err);
      throw err;
    } finally {
      span?.setAttribute('telegram.outcome', outcome);
      span?.end();
      metrics?.botApi.observe({ labels: { method, outcome }, value: (performance.now() - started) / 1000, exemplarLabels: exemplarOf(span) });
    }
  };
}
