import { Composer, InlineKeyboard } from 'grammy';
import { z } from 'zod';
import { ForbiddenError } from '../../errors.ts';
import { reasonSchema } from '../../orders/order-actions.ts';
import { mayAttempt } from '../../orders/order-access.ts';
import { describeTime, isPast } from '../../time/format-time.ts';
import { parseTime, type ParsedTime } from '../../time/parse-time.ts';
import { visitFields } from '../../time/visit.ts';
import type { BotContext, BotKit } from '../bot-context.ts';
import { encode } from '../callback-data.ts';
import { replyCard } from '../card-reply.ts';
import { cancelKeyboard, endConversation, inConversation, setStep, startConversation } from '../conversation.ts';
import { guarded, onOrderAction, stillCurrent } from '../order-guard.ts';
import { onAnswer, onButton } from '../routing.ts';

/**
 * Moving a visit from the card (the assigned master or staff): the new time
 * in plain Russian ("завтра в 14", "с 10 до 16"), read back as the bot
 * understood it, a reason, then one confirmation. The button's version
 * travels with the dialogue, so a card changed meanwhile is not moved
 * blindly. Everyone concerned hears of it through the order change feed.
 */
const draft = z.object({
  orderId: z.number().int().positive(),
  version: z.number().int().positive(),
  when: z.discriminatedUnion('kind', [
    z.object({ kind: z.literal('at'), at: z.string() }),
    z.object({ kind: z.literal('window'), from: z.string(), to: z.string() }),
  ]),
  reason: z.string(),
});

export function orderRescheduleFeature(kit: BotKit): Composer<BotContext> {
  const c = new Composer<BotContext>();
  const { store } = kit;
  const tz = kit.settings.timeZone;
  const say = (ctx: BotContext, p: ParsedTime) => describeTime(p, { timeZone: tz, now: new Date(), lang: ctx.state.principal.language }) ?? '';

  onOrderAction(c, ['reschedule'], async (ctx, d) => {
    if (!mayAttempt(ctx.state.principal, 'reschedule')) throw new ForbiddenError('your roles may not reschedule orders');
    if (!(await stillCurrent(kit, ctx, d))) return;
    await ctx.answerCallbackQuery();
    await startConversation(store, ctx, 'reschedule_order', 'time', ctx.t('reschedule-ask-time', { id: String(d.orderId) }), {
      orderId: d.orderId,
      version: d.version,
    });
  });

  onAnswer(
    c,
    'reschedule_order',
    'order.reschedule_time',
    async (ctx, text) => {
      const now = new Date();
      const when = parseTime(text, { now, timeZone: tz });
      if (when.kind === 'unreadable') return ctx.reply(ctx.t('reschedule-unreadable', { text: text.slice(0, 100) }), { reply_markup: cancelKeyboard(ctx) });
      if (isPast(when, now)) return ctx.reply(ctx.t('reschedule-past', { when: say(ctx, when) }), { reply_markup: cancelKeyboard(ctx) });
      await setStep(store, ctx, 'reschedule_order', 'reason', { when });
      await ctx.reply(ctx.t('reschedule-ask-reason', { when: say(ctx, when) }), { reply_markup: cancelKeyboard(ctx) });
    },
    'time',
  );

  onAnswer(
    c,
    'reschedule_order',
    'order.reschedule_reason',
    async (ctx, text) => {
      const reason = reasonSchema.safeParse(text);
      if (!reason.success) return ctx.reply(ctx.t('invalid-reason'));
      const next = await setStep(store, ctx, 'reschedule_order', 'confirm', { reason: reason.data });
      const d = draft.parse(next.data);
      const kb = new InlineKeyboard()
        .text(ctx.t('button-confirm'), encode({ type: 'confirm', yes: true }))
        .text(ctx.t('button-cancel'), encode({ type: 'confirm', yes: false }));
      await ctx.reply(ctx.t('reschedule-confirm', { id: String(d.orderId), when: say(ctx, d.when), reason: d.reason }), { reply_markup: kb });
    },
    'reason',
  );

  onButton(c.filter(inConversation('reschedule_order', 'confirm')), 'confirm', 'order.reschedule_confirm', async (ctx, yes) => {
    const d = draft.safeParse(ctx.state.conversation!.data);
    await endConversation(store, ctx);
    if (!yes.yes || !d.success) {
      await ctx.answerCallbackQuery();
      return ctx.reply(ctx.t(d.success ? 'cancelled' : 'error-generic'));
    }
    const { orderId, version, when, reason } = d.data;
    const visit = visitFields(when)!;
    const input = { scheduled_at: visit.scheduled_at, scheduled_until: visit.scheduled_until, reason };
    const order = await guarded(kit, ctx, orderId, () =>
      kit.services.workflow.act(ctx.state.principal, orderId, 'reschedule', input, { expectedVersion: version }),
    );
    if (!order) return;
    await ctx.answerCallbackQuery({ text: ctx.t('done-reschedule') });
    await replyCard(kit, ctx, order, ctx.t('rescheduled-to', { when: say(ctx, when) }));
  });

  return c;
}
