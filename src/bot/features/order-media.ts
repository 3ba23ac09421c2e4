import { Composer, InlineKeyboard, type Filter } from 'grammy';
import type { InputMediaPhoto } from 'grammy/types';
import { ATTACHMENT_STAGES, type AttachmentStage } from '../../attachments/attachments-service.ts';
import { mapLinks } from '../../places/map-links.ts';
import { isStaff } from '../../users/principal.ts';
import { markHandler } from '../../telemetry/bot-telemetry.ts';
import type { BotContext, BotKit } from '../bot-context.ts';
import { encode } from '../callback-data.ts';
import { endConversation, setStep } from '../conversation.ts';
import { onButton } from '../routing.ts';

/**
 * Photos, documents and places of an order, from Telegram.
 *   /photo N       choose a stage (appliance, before, after, document), then send photos or files; "Готово" ends
 *   /photos N      the order's photos as albums, its documents as files
 *   /pin N         staff send the client's location: the order's pin
 *   a location     from a master on site: the check-in of the order he arrived at; the dispatcher hears of
 *                  it with map links and the distance from the pin
 */
const ALBUM = 10;

const doneButton = (ctx: BotContext, orderId: number) => new InlineKeyboard().text(ctx.t('media-button-done'), encode({ type: 'media', orderId, stage: null }));

const orderArg = (match: string) => (/^\d{1,16}$/.test(match.trim()) ? Number(match.trim()) : null);

export function orderMediaFeature(kit: BotKit): Composer<BotContext> {
  const c = new Composer<BotContext>();
  const { attachments, places } = kit.services;

  c.command('photo', async (ctx) => {
    markHandler(ctx, 'media.attach_start');
    const id = orderArg(ctx.match);
    if (id === null) return ctx.reply(ctx.t('media-usage', { command: '/photo' }));
    await kit.services.orders.get(ctx.state.principal, id);
    const kb = new InlineKeyboard();
    for (const stage of ATTACHMENT_STAGES) kb.text(ctx.t(`media-stage-${stage}`), encode({ type: 'media', orderId: id, stage })).row();
    await ctx.reply(ctx.t('media-choose-stage', { id: String(id) }), { reply_markup: kb });
  });

  // A stage chosen: files sent now go to it. No stage: "Done".
  onButton(c, 'media', 'media.attach_button', async (ctx, d) => {
    await ctx.answerCallbackQuery();
    if (d.stage === null) {
      await endConversation(kit.store, ctx);
      const count = (await attachments.list(ctx.state.principal, d.orderId)).length;
      return ctx.reply(ctx.t('media-done', { id: String(d.orderId), count: String(count) }));
    }
    await kit.services.orders.get(ctx.state.principal, d.orderId);
    await setStep(kit.store, ctx, 'attach_files', d.stage, { orderId: d.orderId });
    return ctx.reply(ctx.t('media-send', { stage: ctx.t(`media-stage-${d.stage}`) }), { reply_markup: doneButton(ctx, d.orderId) });
  });

  const attaching = (ctx: BotContext) => ctx.state.conversation?.kind === 'attach_files';
  c.filter(attaching).on(['message:photo', 'message:document'], async (ctx: Filter<BotContext, 'message:photo' | 'message:document'>) => {
    markHandler(ctx, 'media.attach');
    const conv = ctx.state.conversation!;
    const photo = ctx.message.photo?.at(-1);
    const doc = ctx.message.document;
    const file = photo ?? doc!;
    const saved = await attachments.add(ctx.state.principal, Number(conv.data.orderId), {
      stage: conv.step as AttachmentStage,
      media: photo ? 'photo' : 'document',
      fileId: file.file_id,
      fileUniqueId: file.file_unique_id,
      fileName: doc?.file_name ?? null,
    });
    await ctx.reply(ctx.t(saved.added ? 'media-saved' : 'media-already'), { reply_markup: doneButton(ctx, Number(conv.data.orderId)) });
  });

  c.command('photos', async (ctx) => {
    markHandler(ctx, 'media.show');
    const id = orderArg(ctx.match);
    if (id === null) return ctx.reply(ctx.t('media-usage', { command: '/photos' }));
    const files = await attachments.list(ctx.state.principal, id);
    if (files.length === 0) return ctx.reply(ctx.t('media-none', { id: String(id) }));
    const photos = files.filter((f) => f.media === 'photo');
    for (let i = 0; i < photos.length; i += ALBUM) {
      const album: InputMediaPhoto[] = photos.slice(i, i + ALBUM).map((f) => ({
        type: 'photo',
        media: f.file_id,
        caption: ctx.t('media-caption', { stage: ctx.t(`media-stage-${f.stage}`), who: f.added_by_name }),
      }));
      if (album.length === 1) await ctx.replyWithPhoto(album[0]!.media, { caption: album[0]!.caption });
      else await ctx.replyWithMediaGroup(album);
    }
    for (const f of files.filter((x) => x.media === 'document'))
      await ctx.replyWithDocument(f.file_id, { caption: ctx.t('media-caption', { stage: ctx.t(`media-stage-${f.stage}`), who: f.added_by_name }) });
  });

  c.command('pin', async (ctx) => {
    markHandler(ctx, 'places.pin_start');
    const id = orderArg(ctx.match);
    if (id === null || !isStaff(ctx.state.principal)) return ctx.reply(ctx.t('media-usage', { command: '/pin' }));
    await kit.services.orders.get(ctx.state.principal, id);
    await setStep(kit.store, ctx, 'pin_place', 'location', { orderId: id });
    await ctx.reply(ctx.t('places-pin-prompt', { id: String(id) }));
  });

  c.on('message:location', async (ctx) => {
    const { latitude, longitude, live_period } = ctx.message.location;
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
    const where = await places.checkIn(ctx.state.principal, id, { latitude, longitude }, live_period !== undefined);
    await ctx.reply(ctx.t('places-checked-in', { id: String(id) }));
    const links = mapLinks(where.checkIn!);
    await kit.notifier.clients.masterCheckedIn(await kit.services.orders.get(ctx.state.principal, id), links, where.distance);
  });

  return c;
}
