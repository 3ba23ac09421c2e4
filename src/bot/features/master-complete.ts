import { Composer, InlineKeyboard } from 'grammy';
import { z } from 'zod';
import { ForbiddenError, ValidationError } from '../../errors.ts';
import { mayAttempt } from '../../orders/order-access.ts';
import type { BotContext, BotKit } from '../bot-context.ts';
import { encode } from '../callback-data.ts';
import { replyCard } from '../card-reply.ts';
import { cancelKeyboard, endConversation, inConversation, setStep } from '../conversation.ts';
import { completionPhotosFeature, startCompletion } from './complete-photos.ts';
import { formatMoney, parseAmount } from '../format.ts';
import { guarded, onOrderAction, stillCurrent } from '../order-guard.ts';
import { onAnswer, onButton } from '../routing.ts';

/**
 * A master completes an order: before/after photos (complete-photos.ts), total, materials, review?, out of city?;
 * the bot shows the split OrderWorkflow would record (previewSplit, the one
 * money rule) and completes only after the master confirms it.
 */
const completion = z.object({
  orderId: z.number().int().positive(),
  version: z.number().int().positive(),
  total_amount: z.string(),
  materials_cost: z.string(),
  has_review: z.boolean(),
  out_of_city: z.boolean(),
});

function yesNo(ctx: BotContext): InlineKeyboard {
  return new InlineKeyboard()
    .text(ctx.t('button-yes'), encode({ type: 'answer', yes: true }))
    .text(ctx.t('button-no'), encode({ type: 'answer', yes: false }))
    .row()
    .text(ctx.t('button-cancel'), encode({ type: 'menu', item: 'cancel' }));
}

export function masterCompleteFeature(kit: BotKit): Composer<BotContext> {
  const c = new Composer<BotContext>();
  const store = kit.store;
  const { workflow } = kit.services;

  onOrderAction(c, ['complete'], async (ctx, d) => {
    if (!mayAttempt(ctx.state.principal, 'complete')) throw new ForbiddenError('your roles may not complete orders');
    if (!(await stillCurrent(kit, ctx, d))) return;
    await ctx.answerCallbackQuery();
    // The dialogue opens with the before/after photos (complete-photos.ts), then asks the total.
    await startCompletion(kit, ctx, d);
  });
  c.use(completionPhotosFeature(kit));

  const conv = c.filter(inConversation('complete_order'));

  onAnswer(c, 'complete_order', 'master.complete_step', async (ctx, text) => {
    const step = ctx.state.conversation!.step;
    if (step !== 'total' && step !== 'materials') return ctx.reply(ctx.t('use-buttons'));
    const amount = parseAmount(text);
    if (!amount) return ctx.reply(ctx.t('invalid-amount'));
    if (step === 'total') {
      await setStep(store, ctx, 'complete_order', 'materials', { total_amount: amount });
      return ctx.reply(ctx.t('complete-ask-materials'), { reply_markup: cancelKeyboard(ctx) });
    }
    try {
      const draft = ctx.state.conversation!.data;
      await workflow.previewSplit(Number(draft.orderId), {
        total_amount: String(draft.total_amount),
        materials_cost: amount,
        has_review: false,
        out_of_city: false,
      });
    } catch (err) {
      if (err instanceof ValidationError) return ctx.reply(ctx.t('invalid-materials'));
      throw err;
    }
    await setStep(store, ctx, 'complete_order', 'review', { materials_cost: amount });
    await ctx.reply(ctx.t('complete-ask-review'), { reply_markup: yesNo(ctx) });
  });

  onButton(conv, 'answer', 'master.complete_answer', async (ctx, d) => {
    const step = ctx.state.conversation!.step;
    await ctx.answerCallbackQuery();
    if (step === 'review') {
      await setStep(store, ctx, 'complete_order', 'out_of_city', { has_review: d.yes });
      return ctx.reply(ctx.t('complete-ask-out-of-city'), { reply_markup: yesNo(ctx) });
    }
    if (step !== 'out_of_city') return;
    const data = completion.safeParse({ ...ctx.state.conversation!.data, out_of_city: d.yes });
    if (!data.success) {
      await endConversation(store, ctx);
      return ctx.reply(ctx.t('error-generic'));
    }
    const { orderId, version: _version, ...amounts } = data.data;
    const split = await workflow.previewSplit(orderId, amounts);
    await setStep(store, ctx, 'complete_order', 'confirm', { out_of_city: d.yes });
    const text = ctx.t('complete-preview', {
      id: String(data.data.orderId),
      total: formatMoney(split.total, ctx.t),
      materials: formatMoney(split.materials, ctx.t),
      net: formatMoney(split.net, ctx.t),
      rate: String(split.ratePercent),
      master: formatMoney(split.masterShare, ctx.t),
      company: formatMoney(split.companyShare, ctx.t),
      review: ctx.t(data.data.has_review ? 'button-yes' : 'button-no'),
      outOfCity: ctx.t(data.data.out_of_city ? 'button-yes' : 'button-no'),
    });
    const kb = new InlineKeyboard()
      .text(ctx.t('button-confirm'), encode({ type: 'confirm', yes: true }))
      .text(ctx.t('button-cancel'), encode({ type: 'confirm', yes: false }));
    await ctx.reply(text, { reply_markup: kb });
  });

  onButton(conv, 'confirm', 'master.complete_confirm', async (ctx, d) => {
    const data = completion.safeParse(ctx.state.conversation!.data);
    const atConfirm = ctx.state.conversation!.step === 'confirm';
    await endConversation(store, ctx);
    if (!d.yes || !atConfirm || !data.success) {
      await ctx.answerCallbackQuery();
      return ctx.reply(ctx.t('cancelled'));
    }
    const { orderId, version, ...input } = data.data;
    const p = ctx.state.principal;
    const order = await guarded(kit, ctx, orderId, () => workflow.act(p, orderId, 'complete', input, { expectedVersion: version }));
    if (!order) return;
    await ctx.answerCallbackQuery({ text: ctx.t('done-complete') });
    await replyCard(kit, ctx, order, ctx.t('done-complete'));
  });

  return c;
}
