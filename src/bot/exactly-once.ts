import type { MiddlewareFn } from 'grammy';
import type { UnitOfWork } from '../db/database.ts';
import { markHandler } from '../telemetry/bot-telemetry.ts';
import type { Logger } from '../telemetry/logger.ts';
import type { BotContext } from './bot-context.ts';
import type { BotStore } from './bot-store.ts';
import { safeError } from './error-boundary.ts';
import { collectInto, Outbox, type Pending } from './outbox.ts';

/**
 * Each update is handled at most once and its effects commit together:
 * its update_id is inserted in the same transaction as everything the
 * handler writes (service calls join it through the ambient transaction).
 * A redelivered update finds its id and does nothing, yet succeeds, so the
 * webhook still answers 200. Replies go out after the commit (outbox.ts);
 * the update does not wait for them, so the webhook answers fast.
 */
export function exactlyOnce(uow: UnitOfWork, store: BotStore, pending: Pending, logger: Logger): MiddlewareFn<BotContext> {
  return async (ctx, next) => {
    const outbox = new Outbox();
    const fresh = await uow.inTransaction(async () => {
      outbox.reset(); // a deadlock retry runs the handler again from scratch
      if (!(await store.recordUpdate(ctx.update.update_id))) return false;
      await collectInto(outbox, () => next());
      return true;
    });
    if (!fresh) {
      markHandler(ctx, 'update.duplicate');
      return;
    }
    if (outbox.size > 0) {
      pending.track(outbox.flush((err) => logger.warn({ err: safeError(err), update_id: ctx.update.update_id }, 'bot reply not delivered')));
    }
  };
}
