import { Composer, InlineKeyboard } from 'grammy';
import type { BotContext, BotKit } from '../bot-context.ts';
import { encode } from '../callback-data.ts';
import { inConversation, setStep } from '../conversation.ts';
import { formatDateTime } from '../format.ts';
import { statusName } from '../order-card.ts';
import { onButton } from '../routing.ts';

/**
 * Returning clients in the new-order dialogue: once the phone is entered,
 * the dispatcher sees how many orders that number had, the latest one, and
 * any still open (a likely duplicate, with a button to open it); the name
 * and address from the latest order can be taken over with one press.
 */
const REUSE = 'client_reuse';

/** Called by the new-order dialogue when a phone was accepted (the draft holds it once the dialogue moves on). */
export async function tellReturningClient(kit: BotKit, ctx: BotContext, phone: string): Promise<void> {
  const rec = await kit.services.orders.clientByPhone(ctx.state.principal, phone);
  if (rec.order_count === 0 || rec.last_id === null) return;
  const equipmentName = await kit.equipment.namer(ctx.state.principal.language);
  const lines = [
    ctx.t('client-returning', {
      count: rec.order_count,
      id: String(rec.last_id),
      date: rec.last_created_at ? formatDateTime(rec.last_created_at, kit.settings.timeZone).slice(0, 10) : '—',
      equipment: rec.last_equipment_type ? equipmentName(rec.last_equipment_type) : '—',
      status: rec.last_status ? statusName(ctx.t, rec.last_status) : '—',
    }),
    ctx.t('client-stored', { name: rec.last_client_name ?? '—', address: rec.last_client_address ?? '—' }),
  ];
  const kb = new InlineKeyboard().text(ctx.t('button-client-reuse'), encode({ type: 'pick', value: REUSE })).row();
  for (const id of rec.open_ids.slice(0, 3)) {
    lines.push(ctx.t('client-open-order', { id: String(id) }));
    kb.text(ctx.t('button-open-order', { id: String(id) }), encode({ type: 'card', orderId: id }));
  }
  await ctx.reply(lines.join('\n'), { reply_markup: kb });
}

export function returningClientFeature(kit: BotKit): Composer<BotContext> {
  const c = new Composer<BotContext>();
  onButton(c.filter(inConversation('create_order')), 'pick', 'orders.create_client_reuse', async (ctx, d) => {
    const conv = ctx.state.conversation!;
    const phone = conv.data.client_phone;
    if (d.value !== REUSE || typeof phone !== 'string') return ctx.answerCallbackQuery({ text: ctx.t('button-stale') });
    const rec = await kit.services.orders.clientByPhone(ctx.state.principal, phone);
    if (!rec.last_client_name || !rec.last_client_address) return ctx.answerCallbackQuery({ text: ctx.t('button-stale') });
    // The same step: only the name and address change, the dialogue goes on where it was.
    await setStep(kit.store, ctx, 'create_order', conv.step, { client_name: rec.last_client_name, client_address: rec.last_client_address });
    await ctx.answerCallbackQuery();
    await ctx.reply(ctx.t('client-reused', { name: rec.last_client_name, address: rec.last_client_address }));
  });
  return c;
}
