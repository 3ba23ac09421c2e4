import { Composer } from 'grammy';
import type { Location } from 'grammy/types';
import { mapLinks } from '../../places/map-links.ts';
import type { LiveShare } from '../../places/places-service.ts';
import { isStaff } from '../../users/principal.ts';
import { markHandler } from '../../telemetry/bot-telemetry.ts';
import type { BotContext, BotKit } from '../bot-context.ts';
import { endConversation, setStep } from '../conversation.ts';

/**
 * Places of an order, from Telegram.
 *   /pin N           staff send the client's location: the order's pin
 *   a location       from a master on site: the check-in of the order he arrived at; the dispatcher hears of
 *                    it with map links and the distance from the pin
 *   a live location  the same, and then its edits (Telegram edits the shared message as the master moves)
 *                    move the check-in until the sharing ends, is stopped, or the order leaves the site;
 *                    the card shows where he was last seen and how far from the pin
 */
/** Telegram's "until I stop" sharing has a huge period: a day is as long as a visit is followed. */
const LONGEST_FOLLOW_SECONDS = 24 * 60 * 60;

const orderArg = (match: string) => (/^\d{1,16}$/.test(match.trim()) ? Number(match.trim()) : null);

/** The sharing a live location message starts, measured from Telegram's own send time. */
function liveShare(chatId: number, message: { message_id: number; date: number; location: Location }): LiveShare | null {
  const period = message.location.live_period;
  if (period === undefined) return null;
  const until = new Date((message.date + Math.min(period, LONGEST_FOLLOW_SECONDS)) * 1000).toISOString();
  return { chatId, messageId: message.message_id, until };
}

export function orderPlacesFeature(kit: BotKit): Composer<BotContext> {
  const c = new Composer<BotContext>();
  const { places } = kit.services;

  c.command('pin', async (ctx) => {
    markHandler(ctx, 'places.pin_start');
    const id = orderArg(ctx.match);
    if (id === null || !isStaff(ctx.state.principal)) return ctx.reply(ctx.t('media-usage', { command: '/pin' }));
    await kit.services.orders.get(ctx.state.principal, id);
    await setStep(kit.store, ctx, 'pin_place', 'location', { orderId: id });
    await ctx.reply(ctx.t('places-pin-prompt', { id: String(id) }));
  });

  c.on('message:location', async (ctx) => {
    const { latitude, longitude } = ctx.message.location;
    const conv = ctx.state.conversation;
    if (conv?.kind === 'pin_place') {
      markHandler(ctx, 'places.pin');
      await endConversation(kit.store, ctx);
      await places.pin(ctx.state.principal, Number(conv.data.orderId), { latitude, longitude });
      return ctx.reply(ctx.t('places-pinned', { id: String(conv.data.orderId) }));
    }
    markHandler(ctx, 'places.check_in');
    const id = await places.currentJobOf(ctx.state.principal);
    if (id === null) return ctx.reply(ctx.t('places-no-job'));
    const live = liveShare(ctx.chat.id, ctx.message);
    const where = await places.checkIn(ctx.state.principal, id, { latitude, longitude }, live);
    await ctx.reply(ctx.t(live ? 'places-checked-in-live' : 'places-checked-in', { id: String(id) }));
    const links = mapLinks(where.checkIn!);
    await kit.notifier.clients.masterCheckedIn(await kit.services.orders.get(ctx.state.principal, id), links, where.distance, live?.until ?? null);
  });

  // A live location moving (or stopped: its last edit has no live_period). Silent: edits come every few
  // seconds, so the dispatcher reads the latest on the card rather than being rung for each.
  c.on('edited_message:location', async (ctx) => {
    markHandler(ctx, 'places.follow_live');
    const { latitude, longitude, live_period } = ctx.editedMessage.location;
    const point = live_period === undefined ? null : { latitude, longitude };
    await places.followLive(ctx.state.principal, { chatId: ctx.chat.id, messageId: ctx.editedMessage.message_id }, point);
  });

  return c;
}
