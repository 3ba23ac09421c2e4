import type { InlineKeyboard } from 'grammy';
import { canRead, type VisibleOrder } from '../orders/order-access.ts';
import { mapLinks } from '../places/map-links.ts';
import type { OrderPlaces } from '../places/places-service.ts';
import type { BotContext, BotKit } from './bot-context.ts';
import { encode } from './callback-data.ts';
import { formatDateTime } from './format.ts';
import { orderCardText, orderKeyboard } from './order-card.ts';

/** An order card for the person in this chat, with the buttons they may press. */
async function renderCard(kit: BotKit, ctx: BotContext, order: VisibleOrder, intro?: string): Promise<{ text: string; reply_markup: InlineKeyboard }> {
  const equipmentName = await kit.equipment.namer(ctx.state.principal.language);
  const card = orderCardText(order, { t: ctx.t, equipmentName, timeZone: kit.settings.timeZone });
  const reply_markup = orderKeyboard(order, ctx.state.principal, ctx.t);
  const extra = await filesAndPlaces(kit, ctx, order, reply_markup);
  const text = [card, ...extra].join('\n');
  return { text: intro ? `${intro}\n\n${text}` : text, reply_markup };
}

/**
 * What the card adds from beside the order row: the address on Yandex and
 * Google Maps (the pinned point when there is one, else the address as a
 * search), how many photos and documents it has (with a button that sends
 * them back as albums) and where the master checked in (last seen,
 * distance from the pin, a map). Only for readers of the staff card: a
 * client has a card of their own (client-messages.ts).
 */
async function filesAndPlaces(kit: BotKit, ctx: BotContext, order: VisibleOrder, kb: InlineKeyboard): Promise<string[]> {
  const p = ctx.state.principal;
  if (!canRead(p, order)) return [];
  const files = await kit.services.attachments.count(p, order);
  const places = await kit.services.places.ofShown(p, order);
  const maps = mapLinks(places.pin ?? order.client_address);
  kb.row().url(ctx.t('button-map-yandex'), maps.yandex).url(ctx.t('button-map-google'), maps.google);
  const lines: string[] = [];
  const extra: Array<() => void> = [];
  if (files.photos + files.documents > 0) {
    lines.push(ctx.t('card-files', { photos: String(files.photos), documents: String(files.documents) }));
    extra.push(() => kb.text(ctx.t('button-album', { count: String(files.photos + files.documents) }), encode({ type: 'album', orderId: order.id })));
  }
  const check = places.checkIn;
  if (check) {
    lines.push(checkInLine(ctx, kit.settings.timeZone, order, places));
    extra.push(() => kb.url(ctx.t('button-check-in-map'), mapLinks(check).yandex));
  }
  if (extra.length > 0) kb.row();
  for (const add of extra) add();
  return lines;
}

function checkInLine(ctx: BotContext, timeZone: string, order: VisibleOrder, places: OrderPlaces): string {
  const check = places.checkIn!;
  const seen = formatDateTime(check.set_at, timeZone);
  // Edits are followed only while the order is on site (places.sql.ts): a live line past that would mislead.
  const following = order.status === 'IN_PROGRESS' && check.live_until !== null && Date.parse(check.live_until) > Date.now();
  const line = following
    ? ctx.t('card-check-in-live', { time: seen, until: formatDateTime(check.live_until!, timeZone) })
    : ctx.t('card-check-in', { time: seen });
  return places.distance === null ? line : `${line} ${ctx.t('places-distance', { metres: String(places.distance) })}`;
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
