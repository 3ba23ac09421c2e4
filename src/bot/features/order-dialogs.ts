import { Composer } from 'grammy';
import { z } from 'zod';
import { ForbiddenError } from '../../errors.ts';
import { canRead, mayAttempt } from '../../orders/order-access.ts';
import { reasonSchema, type ActionInput } from '../../orders/order-actions.ts';
import type { BotContext, BotKit } from '../bot-context.ts';
import { replyCard } from '../card-reply.ts';
import { cancelKeyboard, endConversation, inConversation, setStep, startConversation, type ConversationKind } from '../conversation.ts';
import { parseAmount, parseDate } from '../format.ts';
import { guarded, onOrderAction, stillCurrent } from '../order-guard.ts';
import { parseTime, type ParsedTime } from '../../time/parse-time.ts';
import { localParts } from '../../scheduler/periods.ts';
import { onAnswer, onButton } from '../routing.ts';
import { dateExample } from '../visit-time.ts';

/**
 * Order actions that need a few words first: decline and cancel after
 * accepting (master) and refuse (staff) ask for a reason; long repair asks for the expected completion
 * date and an optional prepayment. The button's version travels with the
 * dialogue, so the action applies only to the order as it was shown.
 */
const target = z.object({ orderId: z.number().int().positive(), version: z.number().int().positive() });
const REASON_KINDS = { decline: 'decline_order', refuse: 'refuse_order', cancel_accepted: 'cancel_accepted' } as const satisfies Record<
  string,
  ConversationKind
>;
type ReasonAction = keyof typeof REASON_KINDS;

/** The local calendar date of a time said in words ("через 3 дня", "в пятницу"); null when unread. */
function dateOf(p: ParsedTime, timeZone: string): string | null {
  if (p.kind === 'unreadable') return null;
  return localParts(new Date(p.kind === 'at' ? p.at : p.from), timeZone).date;
}

export function orderDialogsFeature(kit: BotKit): Composer<BotContext> {
  const c = new Composer<BotContext>();
  const store = kit.store;
  const { workflow } = kit.services;

  /** Opens a dialogue for an order button once the reader may act and the button is current. */
  const open = async (ctx: BotContext, d: { action: ReasonAction | 'long_repair'; orderId: number; version: number }, kind: ConversationKind, step: string) => {
    if (!mayAttempt(ctx.state.principal, d.action)) throw new ForbiddenError(`your roles may not ${d.action} orders`);
    if (!(await stillCurrent(kit, ctx, d))) return;
    await ctx.answerCallbackQuery();
    const question = ctx.t(`${d.action}-ask-${step}`, { id: String(d.orderId), example: dateExample(kit.settings.timeZone, new Date()).example });
    await startConversation(store, ctx, kind, step, question, { orderId: d.orderId, version: d.version });
  };

  /** Applies the transition, ends the dialogue either way, and shows the result. */
  const finish = async <N extends ReasonAction | 'long_repair'>(ctx: BotContext, name: N, input: ActionInput<N>) => {
    const t = target.safeParse(ctx.state.conversation!.data);
    await endConversation(store, ctx);
    if (!t.success) return ctx.reply(ctx.t('error-generic'));
    const p = ctx.state.principal;
    const order = await guarded(kit, ctx, t.data.orderId, () => workflow.act(p, t.data.orderId, name, input, { expectedVersion: t.data.version }));
    if (order === undefined) return;
    // A master who declined no longer sees the order; staff do.
    if (!canRead(p, order)) return ctx.reply(ctx.t(`done-${name}`));
    await replyCard(kit, ctx, order, ctx.t(`done-${name}`));
  };

  onOrderAction(c, ['decline', 'refuse', 'cancel_accepted'], (ctx, d) =>
    open(ctx, { ...d, action: d.action as ReasonAction }, REASON_KINDS[d.action as ReasonAction], 'reason'),
  );
  onOrderAction(c, ['long_repair'], (ctx, d) => open(ctx, { ...d, action: 'long_repair' }, 'long_repair', 'eta'));

  for (const [name, kind] of Object.entries(REASON_KINDS) as Array<[ReasonAction, ConversationKind]>) {
    onAnswer(
      c,
      kind,
      `order.${name}_reason`,
      async (ctx, text) => {
        const reason = reasonSchema.safeParse(text);
        if (!reason.success) return ctx.reply(ctx.t('invalid-reason'));
        await finish(ctx, name, { reason: reason.data });
      },
      'reason',
    );
  }

  const longRepair = c.filter(inConversation('long_repair'));
  onAnswer(c, 'long_repair', 'order.long_repair_step', async (ctx, text) => {
    const step = ctx.state.conversation!.step;
    if (step === 'eta') {
      const date = parseDate(text) ?? dateOf(parseTime(text, { now: new Date(), timeZone: kit.settings.timeZone }), kit.settings.timeZone);
      const { example, today } = dateExample(kit.settings.timeZone, new Date());
      if (!date) return ctx.reply(ctx.t('invalid-date', { example }));
      // A repair expected to end before today is a typo: say so rather than record it.
      if (date < today) return ctx.reply(ctx.t('invalid-date-past', { example }));
      await setStep(store, ctx, 'long_repair', 'parts', { eta: date });
      return ctx.reply(ctx.t('long_repair-ask-parts'), { reply_markup: cancelKeyboard(ctx, true) });
    }
    if (step === 'parts') {
      const parts = reasonSchema.safeParse(text);
      if (!parts.success) return ctx.reply(ctx.t('invalid-reason'));
      return longRepairNext(ctx, 'parts', parts.data);
    }
    const amount = parseAmount(text);
    if (!amount) return ctx.reply(ctx.t('invalid-amount'));
    await longRepairNext(ctx, step, amount);
  });
  onButton(longRepair, 'skip', 'order.long_repair_skip', async (ctx) => {
    const step = ctx.state.conversation!.step;
    if (step !== 'parts' && step !== 'cost' && step !== 'prepayment') return ctx.answerCallbackQuery({ text: ctx.t('button-stale') });
    await ctx.answerCallbackQuery();
    await longRepairNext(ctx, step, null);
  });

  /** Parts needed and an estimated cost beside the ETA, then the prepayment; each may be skipped (null). */
  const longRepairNext = async (ctx: BotContext, step: string, value: string | null) => {
    if (step === 'parts') {
      await setStep(store, ctx, 'long_repair', 'cost', { parts: value });
      return ctx.reply(ctx.t('long_repair-ask-cost'), { reply_markup: cancelKeyboard(ctx, true) });
    }
    if (step === 'cost') {
      await setStep(store, ctx, 'long_repair', 'prepayment', { cost: value });
      return ctx.reply(ctx.t('long_repair-ask-prepayment'), { reply_markup: cancelKeyboard(ctx, true) });
    }
    const data = ctx.state.conversation!.data;
    await finish(ctx, 'long_repair', {
      estimated_completion_date: String(data.eta),
      prepayment_amount: value,
      parts_needed: typeof data.parts === 'string' ? data.parts : null,
      estimated_cost: typeof data.cost === 'string' ? data.cost : null,
    });
  };

  return c;
}
