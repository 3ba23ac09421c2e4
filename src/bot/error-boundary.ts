import type { I18n } from '@grammyjs/i18n';
import type { MiddlewareFn } from 'grammy';
import type { UnitOfWork } from '../db/database.ts';
import { ConnectionError } from '../db/errors.ts';
import { AppError, UnavailableError } from '../errors.ts';
import { handlerOf, markHandler } from '../telemetry/bot-telemetry.ts';
import type { Logger } from '../telemetry/logger.ts';
import { scrubText } from '../telemetry/redact.ts';
import type { BotContext } from './bot-context.ts';
import { urgent } from './chat-lanes.ts';
import { savepoint } from './outbox.ts';

/** Replies where the update came from: a toast for a button, a message otherwise. */
export async function answer(ctx: BotContext, text: string, opts: { alert?: boolean } = {}): Promise<void> {
  if (ctx.callbackQuery) await ctx.answerCallbackQuery({ text: text.slice(0, 200), show_alert: opts.alert ?? false });
  else if (ctx.chat) await ctx.reply(text);
}

/** The language to apologise in, even before the user was looked up. */
function languageOf(ctx: BotContext): 'ru' | 'en' {
  return ctx.state?.principal?.language ?? (ctx.from?.language_code?.startsWith('en') ? 'en' : 'ru');
}

/** What may be logged about an error: no values (pg `detail` carries row data), phones masked, no bot token. */
export function safeError(err: unknown): Record<string, unknown> {
  if (!(err instanceof Error)) return { message: scrubText(String(err)) };
  const e = err as Error & { code?: unknown; constraint?: unknown; method?: unknown; error_code?: unknown; queryName?: unknown };
  return {
    type: e.name,
    message: scrubText(e.message),
    stack: e.stack ? scrubText(e.stack) : undefined,
    code: e.code ?? e.error_code,
    constraint: e.constraint,
    method: e.method,
    query: e.queryName,
  };
}

/** The database is unreachable: let Telegram deliver the update again later. */
function isOutage(err: unknown): boolean {
  return err instanceof ConnectionError || err instanceof UnavailableError;
}

export interface ErrorCounter {
  /** One handler failure (label: the handler name, never an id). */
  handlerFailed(handler: string): void;
  /** Keeps track of the apology, which the update does not wait for. */
  track?(sending: Promise<unknown>): void;
}

/**
 * Outermost guard (after telemetry): a failed handler rolls its update back
 * (exactly-once sits inside this), the user gets a polite apology, and the
 * failure is logged and counted. The apology goes in the chat's urgent lane
 * and the update does not wait for it: the chat's next update is not held
 * behind a throttled send. Only a database outage propagates, so the
 * webhook answers 5xx and Telegram redelivers.
 */
export function errorBoundary(i18n: I18n<BotContext>, logger: Logger, counter: ErrorCounter): MiddlewareFn<BotContext> {
  return async (ctx, next) => {
    try {
      await next();
    } catch (err) {
      if (isOutage(err)) throw err;
      const handler = handlerOf(ctx);
      counter.handlerFailed(handler);
      // The update's telemetry then shows which handler failed (handler="orders.create_confirm:failed").
      markHandler(ctx, `${handler}:failed`);
      logger.error({ err: safeError(err), update_id: ctx.update.update_id, handler }, 'bot handler failed');
      const apology = urgent(() => answer(ctx, i18n.t(languageOf(ctx), 'error-generic'), { alert: true })).catch((sendErr: unknown) =>
        logger.warn({ err: safeError(sendErr), update_id: ctx.update.update_id }, 'could not send the apology'),
      );
      counter.track?.(apology);
    }
  };
}

const KEY_OF_KIND: Record<AppError['kind'], string> = {
  validation: 'error-invalid',
  unprocessable: 'error-invalid',
  unauthenticated: 'error-forbidden',
  forbidden: 'error-forbidden',
  not_found: 'error-not-found',
  conflict: 'error-conflict',
  precondition: 'error-stale',
  unavailable: 'error-generic',
};

/**
 * Inside the update's transaction: a domain error a handler did not handle
 * itself (a role that may not, a vanished order) undoes only the handler's
 * work (savepoint); the update stays recorded and the user gets a clear answer.
 */
export function domainErrors(uow: UnitOfWork): MiddlewareFn<BotContext> {
  return async (ctx, next) => {
    try {
      await savepoint(uow, () => next());
    } catch (err) {
      if (!(err instanceof AppError) || err.kind === 'unavailable') throw err;
      if (handlerOf(ctx) === 'unhandled') markHandler(ctx, 'error.domain');
      // People never see a field's name (master_id): a handler that can say which answer was wrong re-asks it itself.
      // In a group, a button meant for someone else (another master's order) is refused as such.
      const key = ctx.state?.inGroup && (err.kind === 'forbidden' || err.kind === 'not_found') ? 'group-not-yours' : KEY_OF_KIND[err.kind];
      await answer(ctx, ctx.t(key), { alert: true });
    }
  };
}
