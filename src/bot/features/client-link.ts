import { Composer, InputFile } from 'grammy';
import { clientDeepLink } from '../../clients/clients-service.ts';
import { qrPng } from '../../clients/qr-png.ts';
import { markHandler } from '../../telemetry/bot-telemetry.ts';
import type { BotContext, BotKit } from '../bot-context.ts';

/**
 * Gives staff the client's personal link for an order, as text and as a QR
 * code image: right after an order is created, and again with
 * /client_link N (a new link replaces the old one).
 */
export async function sendClientLink(kit: BotKit, ctx: BotContext, orderId: number): Promise<void> {
  const link = await kit.services.clients.issueLink(ctx.state.principal, orderId);
  const url = clientDeepLink(ctx.me.username, link.token);
  await ctx.replyWithPhoto(new InputFile(qrPng(url), `order-${orderId}-client.png`), {
    caption: ctx.t('client-link-for-staff', { id: String(orderId), url }),
  });
}

export function clientLinkFeature(kit: BotKit): Composer<BotContext> {
  const c = new Composer<BotContext>();
  c.command('client_link', async (ctx) => {
    markHandler(ctx, 'client.link');
    const id = /^\d{1,16}$/.test(ctx.match.trim()) ? Number(ctx.match.trim()) : null;
    if (id === null) return ctx.reply(ctx.t('client-link-usage'));
    await sendClientLink(kit, ctx, id);
  });
  return c;
}
