import { Composer, InlineKeyboard } from 'grammy';
import { z } from 'zod';
import { reasonSchema } from '../../orders/order-actions.ts';
import { hasRole } from '../../users/principal.ts';
import { ForbiddenError } from '../../errors.ts';
import type { BotContext, BotKit } from '../bot-context.ts';
import { encode } from '../callback-data.ts';
import { replyCard } from '../card-reply.ts';
import { cancelKeyboard, endConversation, inConversation, setStep, startConversation } from '../conversation.ts';
import { formatDateTime } from '../format.ts';
import { guarded, onOrderAction, stillCurrent } from '../order-guard.ts';
import { onAnswer, onButton } from '../routing.ts';

/**
 * Admins delete an order from its card (soft: it leaves every list, the
 * reason stays in the audit), see the latest deleted orders (/deleted) and
 * restore one. Both act at the version shown, so a double tap acts once.
 */
const SHOWN = 10;
const draft = z.object({ orderId: z.number().int().positive(), version: z.number().int().positive(), reason: z.string() });

const requireAdmin = (ctx: BotContext) => {
  if (!hasRole(ctx.state.principal, 'ADMIN')) throw new ForbiddenError('only admins delete and restore orders');
};
const restoreButton = (ctx: BotContext, o: { id: number; version: number }, label = ctx.t('button-restore')) =>
  new InlineKeyboard().text(label, encode({ type: 'order', action: 'restore', orderId: o.id, version: o.version }));

export function orderDeleteFeature(kit: BotKit): Composer<BotContext> {
  const c = new Composer<BotContext>();
  const { store } = kit;

  onOrderAction(c, ['delete'], async (ctx, d) => {
    requireAdmin(ctx);
    if (!(await stillCurrent(kit, ctx, d))) return;
    await ctx.answerCallbackQuery();
    await startConversation(store, ctx, 'delete_order', 'reason', ctx.t('delete-ask-reason', { id: String(d.orderId) }), {
      orderId: d.orderId,
      version: d.version,
    });
  });

  onAnswer(
    c,
    'delete_order',
    'order.delete_reason',
    async (ctx, text) => {
      const reason = reasonSchema.safeParse(text);
      if (!reason.success) return ctx.reply(ctx.t('invalid-reason'), { reply_markup: cancelKeyboard(ctx) });
      const next = await setStep(store, ctx, 'delete_order', 'confirm', { reason: reason.data });
      const d = draft.parse(next.data);
      const kb = new InlineKeyboard()
        .text(ctx.t('button-confirm-delete'), encode({ type: 'confirm', yes: true }))
        .text(ctx.t('button-cancel'), encode({ type: 'confirm', yes: false }));
      await ctx.reply(ctx.t('delete-confirm', { id: String(d.orderId), reason: d.reason }), { reply_markup: kb });
    },
    'reason',
  );

  onButton(c.filter(inConversation('delete_order', 'confirm')), 'confirm', 'order.delete_confirm', async (ctx, yes) => {
    const d = draft.safeParse(ctx.state.conversation!.data);
    await endConversation(store, ctx);
    if (!yes.yes || !d.success) {
      await ctx.answerCallbackQuery();
      return ctx.reply(ctx.t(d.success ? 'cancelled' : 'error-generic'));
    }
    const { orderId, version, reason } = d.data;
    const gone = await guarded(kit, ctx, orderId, () =>
      kit.services.workflow.act(ctx.state.principal, orderId, 'delete', { reason }, { expectedVersion: version }),
    );
    if (!gone) return;
    await ctx.answerCallbackQuery();
    await ctx.reply(ctx.t('deleted', { id: String(orderId) }), { reply_markup: restoreButton(ctx, gone) });
  });

  onOrderAction(c, ['restore'], async (ctx, d) => {
    requireAdmin(ctx);
    const order = await guarded(kit, ctx, d.orderId, () =>
      kit.services.workflow.act(ctx.state.principal, d.orderId, 'restore', {}, { expectedVersion: d.version }),
    );
    if (!order) return;
    await ctx.answerCallbackQuery({ text: ctx.t('done-restore') });
    await replyCard(kit, ctx, order, ctx.t('restored', { id: String(order.id) }));
  });

  c.command('deleted', async (ctx) => {
    requireAdmin(ctx);
    const { items, next_cursor } = await kit.services.orders.listDeleted(ctx.state.principal, { limit: SHOWN });
    if (items.length === 0) return ctx.reply(ctx.t('deleted-none'));
    const lines = items.map((o) =>
      ctx.t('deleted-line', {
        id: String(o.id),
        client: o.client_name,
        when: o.deleted_at ? formatDateTime(o.deleted_at, kit.settings.timeZone) : '—',
        who: o.deleted_by ?? '—',
        reason: o.delete_reason ?? '—',
      }),
    );
    const kb = new InlineKeyboard();
    items.forEach((o, i) => {
      kb.text(ctx.t('button-restore-id', { id: String(o.id) }), encode({ type: 'order', action: 'restore', orderId: o.id, version: o.version }));
      if (i % 2 === 1) kb.row();
    });
    const more = next_cursor ? `\n${ctx.t('deleted-more', { count: SHOWN })}` : '';
    await ctx.reply(`${ctx.t('deleted-title')}\n${lines.join('\n')}${more}`, { reply_markup: kb });
  });

  return c;
}
