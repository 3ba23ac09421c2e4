import { Composer, InlineKeyboard } from 'grammy';
import { isStaff } from '../../users/principal.ts';
import type { BotContext, BotKit } from '../bot-context.ts';
import { onMenu } from '../routing.ts';

/**
 * /console (and the menu's Console button) for admins and dispatchers: a
 * one-time login link for a browser, and over https a button that opens the
 * console inside Telegram as a Mini App. The link is made in the update's
 * transaction and sent after it commits; link previews are off, so nothing
 * fetches it on the person's behalf.
 */
export function consoleLinkFeature(kit: BotKit): Composer<BotContext> {
  const c = new Composer<BotContext>();
  const auth = kit.services.console.auth;
  onMenu(c, 'console', 'console.link', async (ctx) => {
    const p = ctx.state.principal;
    if (!isStaff(p)) return ctx.reply(ctx.t('console-staff-only'));
    if (!auth.publicUrl) return ctx.reply(ctx.t('console-not-configured'));
    const link = await auth.issueLoginLink(p);
    const minutes = String(Math.max(1, Math.round((Date.parse(link.expiresAt) - Date.now()) / 60_000)));
    // Telegram takes Mini App and URL buttons over https only; elsewhere (a local setup) the link is in the text.
    if (!link.url.startsWith('https://')) {
      return ctx.reply(ctx.t('console-link-text', { url: link.url, minutes }), { link_preview_options: { is_disabled: true } });
    }
    const kb = new InlineKeyboard().webApp(ctx.t('console-open-app'), `${auth.publicUrl}/console/`).row().url(ctx.t('console-open-browser'), link.url);
    await ctx.reply(ctx.t('console-link', { minutes }), { reply_markup: kb, link_preview_options: { is_disabled: true } });
  });
  return c;
}
