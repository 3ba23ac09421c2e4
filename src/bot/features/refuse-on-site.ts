import { Composer, InlineKeyboard } from 'grammy';
import { z } from 'zod';
import { ForbiddenError } from '../../errors.ts';
import { mayAttempt } from '../../orders/order-access.ts';
import { reasonSchema } from '../../orders/order-actions.ts';
import type { BotContext, BotKit } from '../bot-context.ts';
import { encode } from '../callback-data.ts';
import { cancelKeyboard, inConversation, setStep, startConversation } from '../conversation.ts';
import { formatMoney, parseAmount } from '../format.ts';
import { onOrderAction, stillCurrent } from '../order-guard.ts';
import { onAnswer, onButton } from '../routing.ts';
import { onConfirmAction } from './order-dialogue-steps.ts';

/**
 * The client refused the repair on site: the master (or an admin for him)
 * gives the reason and the fee the client paid, if any (e.g. diagnostics);
 * the bot shows the fee's split by the refusal-fee rule (the workflow's
 * preview, the one money rule) and refuses only after a confirmation. A
 * completion under the threshold lands here with its total as the fee, and
 * can go back to completing with that total kept (master-complete.ts).
 */
const draft = z.object({
  orderId: z.number().int().positive(),
  version: z.number().int().positive(),
  reason: z.string(),
  fee: z.string().nullable(),
  /** Set when the completion dialogue sent the master here: the total they typed. */
  completionTotal: z.string().optional(),
});

/** Starts the refusal dialogue for an order at this version (from its button, or from a low completion total as the fee). */
export async function startRefusal(kit: BotKit, ctx: BotContext, d: { orderId: number; version: number; completionTotal?: string }): Promise<void> {
  await startConversation(kit.store, ctx, 'refuse_on_site', 'reason', ctx.t('client_refused-ask-reason', { id: String(d.orderId) }), {
    orderId: d.orderId,
    version: d.version,
    ...(d.completionTotal === undefined ? {} : { completionTotal: d.completionTotal, fee: d.completionTotal }),
  });
}

export function refuseOnSiteFeature(kit: BotKit): Composer<BotContext> {
  const c = new Composer<BotContext>();
  const store = kit.store;
  const { workflow } = kit.services;
  const conv = c.filter(inConversation('refuse_on_site'));

  /** The confirmation: reason, fee and its split (or no fee), with a way back to completing when that is where the master came from. */
  const confirm = async (ctx: BotContext, data: { orderId: number; reason: string; fee: string | null; completionTotal?: string }) => {
    let feeText = ctx.t('client_refused-no-fee');
    if (data.fee !== null) {
      const split = await workflow.previewRefusalFee(data.orderId, data.fee);
      feeText = ctx.t('client_refused-fee-split', {
        fee: formatMoney(split.total, ctx.t),
        rate: String(split.ratePercent),
        master: formatMoney(split.masterShare, ctx.t),
        company: formatMoney(split.companyShare, ctx.t),
      });
    }
    const kb = new InlineKeyboard()
      .text(ctx.t('button-confirm'), encode({ type: 'confirm', yes: true }))
      .text(ctx.t('button-cancel'), encode({ type: 'confirm', yes: false }));
    if (data.completionTotal !== undefined) kb.row().text(ctx.t('button-back-to-complete'), encode({ type: 'pick', value: 'complete' }));
    await ctx.reply(ctx.t('client_refused-confirm', { id: String(data.orderId), reason: data.reason, fee: feeText }), { reply_markup: kb });
  };

  onOrderAction(c, ['client_refused'], async (ctx, d) => {
    if (!mayAttempt(ctx.state.principal, 'client_refused')) throw new ForbiddenError('your roles may not refuse orders on site');
    if (!(await stillCurrent(kit, ctx, d))) return;
    await ctx.answerCallbackQuery();
    await startRefusal(kit, ctx, d);
  });

  onAnswer(c, 'refuse_on_site', 'order.client_refused_step', async (ctx, text) => {
    const step = ctx.state.conversation!.step;
    const data = ctx.state.conversation!.data;
    if (step === 'reason') {
      const reason = reasonSchema.safeParse(text);
      if (!reason.success) return ctx.reply(ctx.t('invalid-reason'));
      // The fee is already known when a low completion total led here.
      if (typeof data.fee === 'string') {
        await setStep(store, ctx, 'refuse_on_site', 'confirm', { reason: reason.data });
        return confirm(ctx, { orderId: Number(data.orderId), reason: reason.data, fee: data.fee, completionTotal: data.completionTotal as string | undefined });
      }
      await setStep(store, ctx, 'refuse_on_site', 'fee', { reason: reason.data });
      return ctx.reply(ctx.t('client_refused-ask-fee'), { reply_markup: cancelKeyboard(ctx, true) });
    }
    if (step !== 'fee') return ctx.reply(ctx.t('use-buttons'));
    const amount = parseAmount(text);
    if (!amount) return ctx.reply(ctx.t('invalid-amount'));
    // "0" is no fee: nothing to split or hand over.
    const fee = /^0+(\.0+)?$/.test(amount) ? null : amount;
    await setStep(store, ctx, 'refuse_on_site', 'confirm', { fee });
    await confirm(ctx, { orderId: Number(data.orderId), reason: String(data.reason), fee });
  });

  onButton(conv, 'skip', 'order.client_refused_no_fee', async (ctx) => {
    if (ctx.state.conversation!.step !== 'fee') return ctx.answerCallbackQuery({ text: ctx.t('button-stale') });
    await ctx.answerCallbackQuery();
    const data = ctx.state.conversation!.data;
    await setStep(store, ctx, 'refuse_on_site', 'confirm', { fee: null });
    await confirm(ctx, { orderId: Number(data.orderId), reason: String(data.reason), fee: null });
  });

  onConfirmAction(conv, kit, { handler: 'order.client_refused_confirm', done: 'done-client_refused', draft }, (p, { orderId, version, reason, fee }) =>
    workflow.act(p, orderId, 'client_refused', { reason, fee }, { expectedVersion: version }),
  );

  return c;
}
