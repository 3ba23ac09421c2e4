import { Composer, InlineKeyboard } from 'grammy';
import { z } from 'zod';
import { ForbiddenError, ValidationError } from '../../errors.ts';
import { mayAttempt } from '../../orders/order-access.ts';
import type { BotContext, BotKit } from '../bot-context.ts';
import { encode } from '../callback-data.ts';
import { cancelKeyboard, endConversation, inConversation, setStep } from '../conversation.ts';
import { completionPhotosFeature, startCompletion } from './complete-photos.ts';
import { formatMoney, parseAmount } from '../format.ts';
import { onOrderAction, stillCurrent } from '../order-guard.ts';
import { onAnswer, onButton } from '../routing.ts';
import { onConfirmAction, yesNoKeyboard } from './order-dialogue-steps.ts';
import { fromKopecks, toKopecks } from '../../orders/money.ts';
import { startRefusal } from './refuse-on-site.ts';

/**
 * A master completes an order: before/after photos (complete-photos.ts), total, materials, review?, out of city?;
 * the bot shows the split OrderWorkflow would record (previewSplit, the one
 * money rule) and completes only after the master confirms it. A total
 * under the refusal-question setting (legacy: 1,000) asks first whether it
 * is really a refusal with a fee; either way the total typed is kept, and
 * the refusal dialogue can come back here with it.
 */
const completion = z.object({
  orderId: z.number().int().positive(),
  version: z.number().int().positive(),
  total_amount: z.string(),
  materials_cost: z.string(),
  has_review: z.boolean(),
  out_of_city: z.boolean(),
});

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
      const order = await kit.services.orders.get(ctx.state.principal, Number(ctx.state.conversation!.data.orderId));
      if (order.prepayment_amount !== null && toKopecks(amount) < toKopecks(order.prepayment_amount)) {
        return ctx.reply(ctx.t('invalid-total-prepayment', { prepayment: formatMoney(order.prepayment_amount, ctx.t) }));
      }
      const below = await kit.services.settings.get('refusalQuestionBelow');
      if (toKopecks(amount) < toKopecks(below)) {
        await setStep(store, ctx, 'complete_order', 'low_total', { total_amount: amount });
        const kb = new InlineKeyboard()
          .text(ctx.t('button-low-total-refusal'), encode({ type: 'pick', value: 'refusal' }))
          .row()
          .text(ctx.t('button-low-total-complete'), encode({ type: 'pick', value: 'complete' }))
          .row()
          .text(ctx.t('button-cancel'), encode({ type: 'menu', item: 'cancel' }));
        return ctx.reply(ctx.t('complete-low-total', { total: formatMoney(amount, ctx.t), below: formatMoney(below, ctx.t) }), { reply_markup: kb });
      }
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
    await ctx.reply(ctx.t('complete-ask-review'), { reply_markup: yesNoKeyboard(ctx) });
  });

  onButton(conv, 'pick', 'master.complete_low_total', async (ctx, d) => {
    const data = ctx.state.conversation!.data;
    if (ctx.state.conversation!.step !== 'low_total' || (d.value !== 'refusal' && d.value !== 'complete')) {
      return ctx.answerCallbackQuery({ text: ctx.t('button-stale') });
    }
    await ctx.answerCallbackQuery();
    if (d.value === 'complete') {
      await setStep(store, ctx, 'complete_order', 'materials');
      return ctx.reply(ctx.t('complete-ask-materials'), { reply_markup: cancelKeyboard(ctx) });
    }
    // Into the refusal dialogue with the total as the fee; its confirmation offers the way back.
    await endConversation(store, ctx);
    await startRefusal(kit, ctx, { orderId: Number(data.orderId), version: Number(data.version), completionTotal: String(data.total_amount) });
  });

  // Back from the refusal dialogue: completing, with the total typed before.
  onButton(c.filter(inConversation('refuse_on_site')), 'pick', 'master.complete_after_all', async (ctx, d) => {
    const data = ctx.state.conversation!.data;
    if (d.value !== 'complete' || typeof data.completionTotal !== 'string') return ctx.answerCallbackQuery({ text: ctx.t('button-stale') });
    await ctx.answerCallbackQuery();
    await endConversation(store, ctx);
    const total = data.completionTotal;
    await setStep(store, ctx, 'complete_order', 'materials', { orderId: data.orderId, version: data.version, total_amount: total });
    await ctx.reply(`${ctx.t('complete-back', { total: formatMoney(total, ctx.t) })}\n${ctx.t('complete-ask-materials')}`, {
      reply_markup: cancelKeyboard(ctx),
    });
  });

  onButton(conv, 'answer', 'master.complete_answer', async (ctx, d) => {
    const step = ctx.state.conversation!.step;
    await ctx.answerCallbackQuery();
    if (step === 'review') {
      await setStep(store, ctx, 'complete_order', 'out_of_city', { has_review: d.yes });
      return ctx.reply(ctx.t('complete-ask-out-of-city'), { reply_markup: yesNoKeyboard(ctx) });
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
    const order = await kit.services.orders.get(ctx.state.principal, orderId);
    const preview = ctx.t('complete-preview', {
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
    // The company already holds the prepayment: the client pays the rest, the master hands over the share less it.
    const prepaid = order.prepayment_amount;
    const text =
      prepaid === null
        ? preview
        : `${preview}\n${ctx.t('complete-preview-prepayment', {
            prepayment: formatMoney(prepaid, ctx.t),
            rest: formatMoney(fromKopecks(toKopecks(split.total) - toKopecks(prepaid)), ctx.t),
            owed: formatMoney(fromKopecks(toKopecks(split.companyShare) - toKopecks(prepaid)), ctx.t),
          })}`;
    const kb = new InlineKeyboard()
      .text(ctx.t('button-confirm'), encode({ type: 'confirm', yes: true }))
      .text(ctx.t('button-cancel'), encode({ type: 'confirm', yes: false }));
    await ctx.reply(text, { reply_markup: kb });
  });

  onConfirmAction(conv, kit, { handler: 'master.complete_confirm', done: 'done-complete', draft: completion }, (p, { orderId, version, ...input }) =>
    workflow.act(p, orderId, 'complete', input, { expectedVersion: version }),
  );

  return c;
}
