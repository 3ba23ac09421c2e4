import { Composer, InlineKeyboard, type Filter } from 'grammy';
import { ATTACHMENT_STAGES, type AttachmentStage } from '../../attachments/attachments-service.ts';
import { markHandler } from '../../telemetry/bot-telemetry.ts';
import { sendAlbums } from '../album.ts';
import type { BotContext, BotKit } from '../bot-context.ts';
import { encode } from '../callback-data.ts';
import { endConversation, setStep } from '../conversation.ts';
import { onButton } from '../routing.ts';
import { fileOf } from './dialogue-files.ts';

/**
 * Photos and documents of an order, from Telegram (places: order-places.ts).
 *   /photo N       choose a stage (appliance, before, after, document), then send photos or files; "Готово" ends
 *   /photos N      the order's photos and documents as albums (also the card's button)
 */
const doneButton = (ctx: BotContext, orderId: number) => new InlineKeyboard().text(ctx.t('media-button-done'), encode({ type: 'media', orderId, stage: null }));

const orderArg = (match: string) => (/^\d{1,16}$/.test(match.trim()) ? Number(match.trim()) : null);

export function orderMediaFeature(kit: BotKit): Composer<BotContext> {
  const c = new Composer<BotContext>();
  const { attachments } = kit.services;

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
    const saved = await attachments.add(ctx.state.principal, Number(conv.data.orderId), { stage: conv.step as AttachmentStage, ...fileOf(ctx.message) });
    await ctx.reply(ctx.t(saved.added ? 'media-saved' : 'media-already'), { reply_markup: doneButton(ctx, Number(conv.data.orderId)) });
  });

  // The card's button: the same albums, for whoever may read the order (the list refuses anyone else).
  onButton(c, 'album', 'media.album', async (ctx, d) => {
    await ctx.answerCallbackQuery();
    const files = await attachments.list(ctx.state.principal, d.orderId);
    if (files.length === 0) return ctx.reply(ctx.t('media-none', { id: String(d.orderId) }));
    await sendAlbums(ctx, d.orderId, files);
  });

  c.command('photos', async (ctx) => {
    markHandler(ctx, 'media.show');
    const id = orderArg(ctx.match);
    if (id === null) return ctx.reply(ctx.t('media-usage', { command: '/photos' }));
    const files = await attachments.list(ctx.state.principal, id);
    if (files.length === 0) return ctx.reply(ctx.t('media-none', { id: String(id) }));
    await sendAlbums(ctx, id, files);
  });

  return c;
}
