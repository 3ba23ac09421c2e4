import { Composer, InlineKeyboard } from 'grammy';
import { z } from 'zod';
import { PreconditionFailedError } from '../../errors.ts';
import { ORDER_FIELDS, type OrderFieldsPatch } from '../../orders/order-fields.ts';
import { requireStaff } from '../../users/principal.ts';
import { parseTime } from '../../time/parse-time.ts';
import { visitFields } from '../../time/visit.ts';
import type { BotContext, BotKit } from '../bot-context.ts';
import { encode } from '../callback-data.ts';
import { replyCard } from '../card-reply.ts';
import { cancelKeyboard, endConversation, inConversation, setStep } from '../conversation.ts';
import { formatVisit } from '../format.ts';
import { onOrderAction, stillCurrent } from '../order-guard.ts';
import { savepoint } from '../outbox.ts';
import { onAnswer, onButton } from '../routing.ts';
import { describeEntry } from './order-history.ts';

/**
 * Staff edit an order's descriptive fields from its card: pick a field,
 * send the new value (checked by the API's own field schema; the time in
 * plain Russian, kept as a note when unreadable). The edit applies only to
 * the version the card showed; when someone changed the order meanwhile,
 * the editor is told what they changed and nothing is overwritten.
 */
const CHOICES = ['equipment_type', 'description', 'client_name', 'client_address', 'client_phone', 'notes', 'time'] as const;
type Choice = (typeof CHOICES)[number];
type TextChoice = Exclude<Choice, 'equipment_type'>;
const CLEARABLE: readonly Choice[] = ['notes', 'time'];
const target = z.object({ orderId: z.number().int().positive(), version: z.number().int().positive(), field: z.enum(CHOICES).optional() });

export function orderEditFeature(kit: BotKit): Composer<BotContext> {
  const c = new Composer<BotContext>();
  const { store } = kit;
  const tz = kit.settings.timeZone;

  onOrderAction(c, ['edit'], async (ctx, d) => {
    requireStaff(ctx.state.principal);
    if (!(await stillCurrent(kit, ctx, d))) return;
    await ctx.answerCallbackQuery();
    ctx.state.conversation = null;
    await setStep(store, ctx, 'edit_order', 'field', { orderId: d.orderId, version: d.version });
    const kb = new InlineKeyboard();
    CHOICES.forEach((field, i) => {
      kb.text(ctx.t(`edit-choice-${field}`), encode({ type: 'pick', value: field }));
      if (i % 2 === 1) kb.row();
    });
    kb.row().text(ctx.t('button-cancel'), encode({ type: 'menu', item: 'cancel' }));
    await ctx.reply(ctx.t('edit-choose', { id: String(d.orderId) }), { reply_markup: kb });
  });

  onButton(c.filter(inConversation('edit_order', 'field')), 'pick', 'order.edit_field', async (ctx, d) => {
    const field = CHOICES.find((f) => f === d.value);
    if (!field) return ctx.answerCallbackQuery({ text: ctx.t('button-stale') });
    await ctx.answerCallbackQuery();
    const { orderId } = target.parse(ctx.state.conversation!.data);
    if (field === 'equipment_type') return askEquipment(ctx);
    const order = await kit.services.orders.get(ctx.state.principal, orderId);
    const now = field === 'time' ? (order.scheduled_at ? formatVisit(order.scheduled_at, order.scheduled_until, tz) : order.scheduled_note) : order[field];
    await setStep(store, ctx, 'edit_order', 'value', { field });
    const ask = ctx.t('edit-ask-value', { field: ctx.t(`edit-choice-${field}`), current: now ?? '—' });
    await ctx.reply(CLEARABLE.includes(field) ? `${ask}\n${ctx.t('edit-clear-hint')}` : ask, { reply_markup: cancelKeyboard(ctx) });
  });

  /** Applies the edit at the card's version; a stale one is told what changed and saves nothing. */
  const save = async (ctx: BotContext, d: z.output<typeof target>, patch: OrderFieldsPatch) => {
    await endConversation(store, ctx);
    try {
      const order = await savepoint(kit.uow, () => kit.services.workflow.act(ctx.state.principal, d.orderId, 'edit', patch, { expectedVersion: d.version }));
      await replyCard(kit, ctx, order, ctx.t('edit-saved'));
    } catch (err) {
      if (!(err instanceof PreconditionFailedError)) throw err;
      // Someone changed the order after the card was drawn: say what, overwrite nothing.
      const missed = await kit.services.orders.timeline(ctx.state.principal, d.orderId, { sinceVersion: d.version });
      const what = missed.map((e) => `${e.actor_name ?? ctx.t('history-system')}: ${describeEntry(ctx.t, e, tz)}`);
      const order = await kit.services.orders.get(ctx.state.principal, d.orderId);
      await replyCard(kit, ctx, order, ctx.t('edit-stale', { id: String(d.orderId), changes: what.join('\n') || '—' }));
    }
  };

  /** Equipment is chosen with the same buttons as in a new order. */
  const askEquipment = async (ctx: BotContext) => {
    await setStep(store, ctx, 'edit_order', 'equipment', { field: 'equipment_type' });
    const kb = new InlineKeyboard();
    (await kit.equipment.active()).forEach((type, i) => {
      kb.text(ctx.state.principal.language === 'en' ? type.name_en : type.name_ru, encode({ type: 'equipment', code: type.code }));
      if (i % 2 === 1) kb.row();
    });
    kb.row().text(ctx.t('button-cancel'), encode({ type: 'menu', item: 'cancel' }));
    await ctx.reply(ctx.t('edit-ask-equipment'), { reply_markup: kb });
  };

  onButton(c.filter(inConversation('edit_order', 'equipment')), 'equipment', 'order.edit_equipment', async (ctx, e) => {
    if (!(await kit.equipment.active()).some((type) => type.code === e.code)) return ctx.answerCallbackQuery({ text: ctx.t('button-stale') });
    await ctx.answerCallbackQuery();
    await save(ctx, target.parse(ctx.state.conversation!.data), { equipment_type: e.code });
  });

  onAnswer(
    c,
    'edit_order',
    'order.edit_value',
    async (ctx, text) => {
      const d = target.parse(ctx.state.conversation!.data);
      const field = d.field;
      if (!field || field === 'equipment_type') return ctx.reply(ctx.t('use-buttons'));
      const patch = toPatch(field, text.trim(), tz);
      if (!patch) return ctx.reply(ctx.t('edit-invalid', { field: ctx.t(`edit-choice-${field}`) }));
      await save(ctx, d, patch);
    },
    'value',
  );

  return c;
}

/** The patch a typed value makes; null when the field's own schema refuses it. */
function toPatch(field: TextChoice, text: string, tz: string): OrderFieldsPatch | null {
  const clear = text === '-' || text === '—';
  if (field === 'time') {
    if (clear) return { scheduled_at: null, scheduled_until: null, scheduled_note: null };
    const visit = visitFields(parseTime(text, { now: new Date(), timeZone: tz }));
    if (visit) return visit;
    const note = ORDER_FIELDS.scheduled_note.input.safeParse(text);
    return note.success ? { scheduled_at: null, scheduled_until: null, scheduled_note: note.data } : null;
  }
  if (field === 'notes' && clear) return { notes: null };
  const parsed = ORDER_FIELDS[field].input.safeParse(text);
  return parsed.success ? { [field]: parsed.data } : null;
}
