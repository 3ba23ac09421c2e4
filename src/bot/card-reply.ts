import type { InlineKeyboard } from 'grammy';
import type { VisibleOrder } from '../orders/order-access.ts';
import type { BotContext, BotKit } from './bot-context.ts';
import { orderCardText, orderKeyboard } from './order-card.ts';

/** An order card for the person in this chat, with the buttons they may press. */
async function renderCard(kit: BotKit, ctx: BotContext, order: VisibleOrder, intro?: string): Promise<{ text: string; reply_markup: InlineKeyboard }> {
  const equipmentName = await kit.equipment.namer(ctx.state.principal.language);
  const card = orderCardText(order, { t: ctx.t, equipmentName, timeZone: kit.settings.timeZone });
  return { text: intro ? `${intro}\n\n${card}` : card, reply_markup: orderKeyboard(order, ctx.state.principal, ctx.t) };
}

export async function replyCard(kit: BotKit, ctx: BotContext, order: VisibleOrder, intro?: string): Promise<void> {
  const { text, reply_markup } = await renderCard(kit, ctx, order, intro);
  await ctx.reply(text, { reply_markup });
}

/** Redraws the card a button was pressed on (or sends it anew when it was pressed elsewhere). */
export async function redrawCard(kit: BotKit, ctx: BotContext, order: VisibleOrder, intro?: string): Promise<void> {
  const { text, reply_markup } = await renderCard(kit, ctx, order, intro);
  if (ctx.callbackQuery?.message) await ctx.editMessageText(text, { reply_markup });
  else await ctx.reply(text, { reply_markup });
}
