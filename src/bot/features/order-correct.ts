import { Composer, InlineKeyboard } from 'grammy';
import { z } from 'zod';
import { ForbiddenError, ValidationError } from '../../errors.ts';
import { mayAttempt } from '../../orders/order-access.ts';
import { reasonSchema } from '../../orders/order-actions.ts';
import { fromKopecks, toKopecks, type Split } from '../../orders/money.ts';
import type { BotContext, BotKit } from '../bot-context.ts';
import { encode } from '../callback-data.ts';
import { cancelKeyboard, endAndSay, endConversation, inConversation, setStep } from '../conversation.ts';
import { formatMoney, parseAmount } from '../format.ts';
import { onOrderAction, stillCurrent } from '../order-guard.ts';
import { onAnswer, onButton } from '../routing.ts';
import { onConfirmAction, yesNoKeyboard } from './order-dialogue-steps.ts';

/**
 * An admin corrects the money of a completed or closed order from its card:
 * total and materials (Skip keeps each), review and out of city, a reason;
 * the confirmation shows the split before and after (by the rule recorded
 * at completion: the workflow's preview) and what the master owes more or
 * less. The button's version travels with the dialogue (the correction is
 * version-checked like an edit).
 */
const draft = z.object({
  orderId: z.number().int().positive(),
  version: z.number().int().positive(),
  total_amount: z.string().optional(),
  materials_cost: z.string().optional(),
  has_review: z.boolean(),
  out_of_city: z.boolean(),
  reason: z.string(),
});

function splitLine(ctx: BotContext, s: Split): string {
  return ctx.t('correct-split', {
    total: formatMoney(s.total, ctx.t),
    materials: formatMoney(s.materials, ctx.t),
    rate: String(s.ratePercent),
    master: formatMoney(s.masterShare, ctx.t),
    company: formatMoney(s.companyShare, ctx.t),
  });
}

export function orderCorrectFeature(kit: BotKit): Composer<BotContext> {
  const c = new Composer<BotContext>();
  const store = kit.store;
  const { workflow } = kit.services;
  const conv = c.filter(inConversation('correct_order'));
  const ask = {
    materials: (ctx: BotContext, current: string) =>
      ctx.reply(ctx.t('correct-ask-materials', { current: formatMoney(current, ctx.t) }), { reply_markup: cancelKeyboard(ctx, true) }),
    review: (ctx: BotContext, current: boolean) =>
      ctx.reply(ctx.t('correct-ask-review', { current: ctx.t(current ? 'button-yes' : 'button-no') }), { reply_markup: yesNoKeyboard(ctx) }),
  };

  onOrderAction(c, ['correct'], async (ctx, d) => {
    if (!mayAttempt(ctx.state.principal, 'correct')) throw new ForbiddenError('only admins may correct money');
    const order = await stillCurrent(kit, ctx, d);
    if (!order) return;
    await ctx.answerCallbackQuery();
    const current = { total: order.total_amount ?? '0', materials: order.materials_cost ?? '0', review: order.has_review, away: order.out_of_city };
    const question = ctx.t('correct-ask-total', { id: String(d.orderId), current: formatMoney(current.total, ctx.t) });
    // Skip keeps the current amount, so the first question has its Skip button too.
    await endAndSay(store, ctx);
    await setStep(store, ctx, 'correct_order', 'total', { orderId: d.orderId, version: d.version, current });
    await ctx.reply(question, { reply_markup: cancelKeyboard(ctx, true) });
  });

  const current = (ctx: BotContext) => ctx.state.conversation!.data.current as { total: string; materials: string; review: boolean; away: boolean };

  /** Moves past an amount step, with the typed amount or (null) the current one kept. */
  const afterAmount = async (ctx: BotContext, amount: string | null) => {
    const step = ctx.state.conversation!.step;
    if (step === 'total') {
      await setStep(store, ctx, 'correct_order', 'materials', amount === null ? {} : { total_amount: amount });
      return ask.materials(ctx, current(ctx).materials);
    }
    if (amount !== null) {
      const typed = ctx.state.conversation!.data.total_amount;
      const total = typeof typed === 'string' ? typed : current(ctx).total;
      try {
        await workflow.previewCorrection(Number(ctx.state.conversation!.data.orderId), { total_amount: total, materials_cost: amount });
      } catch (err) {
        if (err instanceof ValidationError) return ctx.reply(ctx.t('invalid-materials'));
        throw err;
      }
    }
    await setStep(store, ctx, 'correct_order', 'review', amount === null ? {} : { materials_cost: amount });
    return ask.review(ctx, current(ctx).review);
  };

  onAnswer(c, 'correct_order', 'order.correct_step', async (ctx, text) => {
    const step = ctx.state.conversation!.step;
    if (step === 'reason') {
      const reason = reasonSchema.safeParse(text);
      if (!reason.success) return ctx.reply(ctx.t('invalid-reason'));
      const data = draft.safeParse({ ...ctx.state.conversation!.data, reason: reason.data });
      if (!data.success) {
        await endConversation(store, ctx);
        return ctx.reply(ctx.t('error-generic'));
      }
      const { orderId, version: _v, reason: _r, ...input } = data.data;
      const { before, after } = await workflow.previewCorrection(orderId, input);
      await setStep(store, ctx, 'correct_order', 'confirm', { reason: reason.data });
      const kb = new InlineKeyboard()
        .text(ctx.t('button-confirm'), encode({ type: 'confirm', yes: true }))
        .text(ctx.t('button-cancel'), encode({ type: 'confirm', yes: false }));
      const text2 = ctx.t('correct-confirm', {
        id: String(orderId),
        before: splitLine(ctx, before),
        after: splitLine(ctx, after),
        reason: reason.data,
        delta: formatMoney(subtract(after.companyShare, before.companyShare), ctx.t),
      });
      return ctx.reply(text2, { reply_markup: kb });
    }
    if (step !== 'total' && step !== 'materials') return ctx.reply(ctx.t('use-buttons'));
    const amount = parseAmount(text);
    if (!amount) return ctx.reply(ctx.t('invalid-amount'));
    await afterAmount(ctx, amount);
  });

  onButton(conv, 'skip', 'order.correct_keep', async (ctx) => {
    const step = ctx.state.conversation!.step;
    if (step !== 'total' && step !== 'materials') return ctx.answerCallbackQuery({ text: ctx.t('button-stale') });
    await ctx.answerCallbackQuery();
    await afterAmount(ctx, null);
  });

  onButton(conv, 'answer', 'order.correct_answer', async (ctx, d) => {
    const step = ctx.state.conversation!.step;
    await ctx.answerCallbackQuery();
    if (step === 'review') {
      await setStep(store, ctx, 'correct_order', 'out_of_city', { has_review: d.yes });
      return ctx.reply(ctx.t('correct-ask-out-of-city', { current: ctx.t(current(ctx).away ? 'button-yes' : 'button-no') }), {
        reply_markup: yesNoKeyboard(ctx),
      });
    }
    if (step !== 'out_of_city') return;
    await setStep(store, ctx, 'correct_order', 'reason', { out_of_city: d.yes });
    await ctx.reply(ctx.t('correct-ask-reason'), { reply_markup: cancelKeyboard(ctx) });
  });

  onConfirmAction(conv, kit, { handler: 'order.correct_confirm', done: 'done-correct', draft }, (p, { orderId, version, ...input }) =>
    workflow.act(p, orderId, 'correct', input, { expectedVersion: version }),
  );

  return c;
}

/** a - b as an amount ("-1200.00"). */
function subtract(a: string, b: string): string {
  return fromKopecks(toKopecks(a) - toKopecks(b));
}
