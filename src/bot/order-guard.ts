import { ConflictError, NotFoundError, PreconditionFailedError } from '../errors.ts';
import { markHandler } from '../telemetry/bot-telemetry.ts';
import type { BotContext, BotKit } from './bot-context.ts';
import type { CallbackData, OrderAction } from './callback-data.ts';
import type { Composer } from 'grammy';
import type { VisibleOrder } from '../orders/order-access.ts';
import { answer } from './error-boundary.ts';
import { savepoint } from './outbox.ts';

type OrderButton = Extract<CallbackData, { type: 'order' }>;

/**
 * Runs an order action in a savepoint. When the order moved on (stale
 * version, another status, gone), the person is told so politely and the
 * update still succeeds: a double click or an old button acts at most once.
 * Returns undefined when the action did not happen. `fn` should only read
 * and write; send after it returned, so a rolled-back attempt sends nothing.
 */
export async function guarded<T>(kit: BotKit, ctx: BotContext, orderId: number, fn: () => Promise<T>): Promise<T | undefined> {
  try {
    return await savepoint(kit.uow, fn);
  } catch (err) {
    if (err instanceof NotFoundError) {
      // In a group, an order the presser may not see is someone else's (another master's work group).
      await answer(ctx, ctx.t(ctx.state.inGroup ? 'group-not-yours' : 'error-not-found'), { alert: true });
      return undefined;
    }
    if (!(err instanceof PreconditionFailedError || err instanceof ConflictError)) throw err;
    const now = await kit.services.orders.get(ctx.state.principal, orderId).catch(() => null);
    const text = now ? ctx.t('error-stale-status', { id: String(orderId), status: ctx.t(`status-${now.status}`) }) : ctx.t('error-stale');
    await answer(ctx, text, { alert: true });
    return undefined;
  }
}

/** Checks that a button's order is still at the version it was drawn for, before a dialogue starts. */
export async function stillCurrent(kit: BotKit, ctx: BotContext, d: { orderId: number; version: number }): Promise<VisibleOrder | undefined> {
  return guarded(kit, ctx, d.orderId, async () => {
    const order = await kit.services.orders.get(ctx.state.principal, d.orderId);
    if (order.version !== d.version) throw new PreconditionFailedError('stale button');
    return order;
  });
}

/** Handles order buttons with one of `actions`. */
export function onOrderAction(c: Composer<BotContext>, actions: readonly OrderAction[], fn: (ctx: BotContext, d: OrderButton) => Promise<unknown>): void {
  c.filter(
    (ctx) => ctx.state?.callback?.type === 'order' && actions.includes(ctx.state.callback.action),
    async (ctx) => {
      const d = ctx.state.callback as OrderButton;
      markHandler(ctx, `order.${d.action}`);
      await fn(ctx, d);
    },
  );
}
