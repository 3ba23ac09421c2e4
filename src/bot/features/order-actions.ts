import { Composer, InlineKeyboard } from 'grammy';
import { requireStaff } from '../../users/principal.ts';
import type { BotContext, BotKit } from '../bot-context.ts';
import { encode } from '../callback-data.ts';
import { redrawCard } from '../card-reply.ts';
import { guarded, onOrderAction, stillCurrent } from '../order-guard.ts';
import { onButton } from '../routing.ts';

/**
 * One-press order actions from a card: accept, arrive, resume (master);
 * unassign, close, reopen, assign/reassign via a master picker, the
 * "client is waiting" nudge (staff); refresh (anyone who may see it).
 * Every button carries the version it was drawn for.
 */
const ONE_PRESS = ['accept', 'arrive', 'resume', 'reopen'] as const;
/** Final or destructive: the card asks "are you sure?" first (its buttons replaced in place). */
const ASK_FIRST = ['close', 'unassign'] as const;
const MASTERS_PER_PAGE = 8;

export function orderActionsFeature(kit: BotKit): Composer<BotContext> {
  const c = new Composer<BotContext>();
  const { workflow, orders, masters } = kit.services;

  onOrderAction(c, ONE_PRESS, async (ctx, d) => {
    const name = d.action as (typeof ONE_PRESS)[number];
    // The order as this reader may see it now (a master sees the phone from arrival on).
    const order = await guarded(kit, ctx, d.orderId, () => workflow.act(ctx.state.principal, d.orderId, name, {}, { expectedVersion: d.version }));
    if (!order) return;
    await ctx.answerCallbackQuery({ text: ctx.t(`done-${name}`) });
    await redrawCard(kit, ctx, order);
  });

  onOrderAction(c, ASK_FIRST, async (ctx, d) => {
    const action = d.action as (typeof ASK_FIRST)[number];
    const order = await stillCurrent(kit, ctx, d);
    if (!order) return;
    await ctx.answerCallbackQuery();
    const sure = { type: 'sure', action, orderId: d.orderId, version: d.version } as const;
    const kb = new InlineKeyboard()
      .text(ctx.t(`sure-${action}`, { id: String(d.orderId) }), encode({ ...sure, yes: true }))
      .row()
      .text(ctx.t('sure-no'), encode({ ...sure, yes: false }));
    await ctx.editMessageReplyMarkup({ reply_markup: kb });
  });

  onButton(c, 'sure', 'order.confirm', async (ctx, d) => {
    const p = ctx.state.principal;
    if (!d.yes) {
      const order = await orders.get(p, d.orderId);
      await ctx.answerCallbackQuery();
      return redrawCard(kit, ctx, order);
    }
    const order = await guarded(kit, ctx, d.orderId, () => workflow.act(p, d.orderId, d.action, {}, { expectedVersion: d.version }));
    if (!order) return;
    await ctx.answerCallbackQuery({ text: ctx.t(`done-${d.action}`) });
    await redrawCard(kit, ctx, order);
  });

  onOrderAction(c, ['refresh'], async (ctx, d) => {
    const order = await orders.get(ctx.state.principal, d.orderId);
    await ctx.answerCallbackQuery();
    if (order.version === d.version) return;
    await redrawCard(kit, ctx, order);
  });

  onOrderAction(c, ['nudge'], async (ctx, d) => {
    requireStaff(ctx.state.principal);
    const order = await orders.get(ctx.state.principal, d.orderId);
    if (order.master_id === null || order.master_telegram_id === null) return ctx.answerCallbackQuery({ text: ctx.t('nudge-no-master'), show_alert: true });
    // Two dispatchers (or a double tap) within a minute make one nudge: the master is not rung twice.
    const counts = await kit.store.recordNudge({ orderId: order.id, masterId: order.master_id, actorId: ctx.state.principal.userId });
    if (!counts) return ctx.answerCallbackQuery({ text: ctx.t('nudge-already'), show_alert: true });
    await kit.notifier.nudgeMaster(order, ctx.state.principal);
    await ctx.answerCallbackQuery({ text: ctx.t('nudge-sent') });
  });

  onButton(c, 'pickMaster', 'order.assign_pick', async (ctx, d) => {
    requireStaff(ctx.state.principal);
    const order = await stillCurrent(kit, ctx, d);
    if (!order) return;
    const page = await masters.list(ctx.state.principal, { onlyAssignable: true, afterId: d.afterId, limit: MASTERS_PER_PAGE + 1 });
    const list = page.filter((m) => m.id !== order.master_id); // reassigning to the same master is no change
    await ctx.answerCallbackQuery();
    if (list.length === 0) return ctx.reply(ctx.t('assign-no-masters'));
    const kb = new InlineKeyboard();
    const shown = list.slice(0, MASTERS_PER_PAGE);
    for (const m of shown) {
      // ⚠️: no work group, the order goes to the master's private chat (where a group-working master may not look).
      const label = `${m.work_chat_id === null ? '⚠️ ' : ''}${m.name} · ${m.specialization}`.slice(0, 60);
      kb.text(label, encode({ type: 'assign', orderId: d.orderId, version: d.version, masterId: m.id })).row();
    }
    if (list.length > MASTERS_PER_PAGE) kb.text(ctx.t('button-next'), encode({ ...d, afterId: list[MASTERS_PER_PAGE - 1]!.id }));
    kb.text(ctx.t('button-back'), encode({ type: 'card', orderId: d.orderId }));
    const hint = shown.some((m) => m.work_chat_id === null) ? `\n${ctx.t('assign-no-group-hint')}` : '';
    await ctx.reply(`${ctx.t('assign-choose', { id: String(d.orderId) })}${hint}`, { reply_markup: kb });
  });

  onButton(c, 'assign', 'order.assign', async (ctx, d) => {
    const order = await guarded(kit, ctx, d.orderId, () =>
      workflow.act(ctx.state.principal, d.orderId, 'assign', { master_id: d.masterId }, { expectedVersion: d.version }),
    );
    if (!order) return;
    await ctx.answerCallbackQuery({ text: ctx.t('done-assign') });
    await redrawCard(kit, ctx, order, ctx.t('assigned-to', { name: order.master_name ?? '' }));
  });

  return c;
}
