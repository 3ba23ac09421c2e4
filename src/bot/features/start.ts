import { Composer, InlineKeyboard } from 'grammy';

import { hasRole, isStaff, type Principal } from '../../users/principal.ts';
import type { BotContext, BotKit } from '../bot-context.ts';
import { encode, type MenuItem } from '../callback-data.ts';
import { endAndSay } from '../conversation.ts';
import { helpText, publishCommands } from '../command-menu.ts';
import { replyMenu } from '../reply-menu.ts';
import type { Translate } from '../i18n.ts';
import { markHandler } from '../../telemetry/bot-telemetry.ts';
import { onButton, onMenu } from '../routing.ts';

/** Greeting and main menu, help, language switch, /cancel. */

/** The inline main menu; `readsReports` says whether a dispatcher may read reports now (the setting), admins always may. */
export function mainMenu(p: Principal, t: Translate, readsReports = hasRole(p, 'ADMIN')): InlineKeyboard {
  const kb = new InlineKeyboard();
  const row = (...items: MenuItem[]) => {
    for (const item of items) kb.text(t(`menu-${item}`), encode({ type: 'menu', item }));
    kb.row();
  };
  if (isStaff(p)) row('new', 'orders', 'search');
  if (isStaff(p)) row('console');
  if (hasRole(p, 'MASTER')) row('my', 'stats');
  if (hasRole(p, 'ADMIN')) row('masters', 'users');
  if (readsReports) row('reports');
  row('language');
  return kb;
}

async function showMenu(kit: BotKit, ctx: BotContext, introKey = 'menu'): Promise<void> {
  const p = ctx.state.principal;
  // A master not yet approved has nothing to work on: say what they are waiting for instead of a menu of dead ends.
  if (!isStaff(p) && p.masterId !== null && !(await kit.services.masters.byId(p.masterId))?.is_approved) {
    // ...and take away any keyboard left from before: nothing on it would work yet.
    return void (await ctx.reply(ctx.t('master-awaiting-approval', { name: p.name }), ctx.state.inGroup ? {} : { reply_markup: { remove_keyboard: true } }));
  }
  const roles = p.roles.map((r) => ctx.t(`role-${r}`)).join(', ');
  const text = ctx.t(introKey, { name: p.name, roles });
  const allowed = { readsReports: await kit.services.settings.mayReadReports(p) };
  // The command menu follows the person's roles and language (they may have changed since last time).
  if (!ctx.state.inGroup) await publishCommands(ctx.api, p, ctx.t, allowed);
  // Reached by a button (Back), the menu replaces the message rather than piling up another.
  if (ctx.callbackQuery?.message && introKey === 'menu') await ctx.editMessageText(text, { reply_markup: mainMenu(p, ctx.t, allowed.readsReports) });
  // A group gets the inline menu (its buttons act as whoever presses them), never a keyboard over everybody's input field.
  else if (ctx.state.inGroup) await ctx.reply(text, { reply_markup: mainMenu(p, ctx.t, allowed.readsReports) });
  // A private chat gets the persistent main menu under the input field, for these roles and this language.
  else await ctx.reply(text, { reply_markup: await replyMenu(kit.services, p, ctx.t) });
}

export function startFeature(kit: BotKit): Composer<BotContext> {
  const c = new Composer<BotContext>();
  const store = kit.store;

  onMenu(c, 'home', 'start.menu', (ctx) => showMenu(kit, ctx), ['start', 'menu']);

  c.command('help', async (ctx) => {
    markHandler(ctx, 'start.help');
    const p = ctx.state.principal;
    const readsReports = await kit.services.settings.mayReadReports(p);
    await ctx.reply(helpText(p, ctx.t, { readsReports }), ctx.state.inGroup ? {} : { reply_markup: mainMenu(p, ctx.t, readsReports) });
  });

  onMenu(c, 'language', 'start.language', (ctx) =>
    ctx.reply(ctx.t('language-choose'), {
      reply_markup: new InlineKeyboard().text('Русский', encode({ type: 'lang', language: 'ru' })).text('English', encode({ type: 'lang', language: 'en' })),
    }),
  );

  onButton(c, 'lang', 'start.language_set', async (ctx, d) => {
    await kit.services.users.setLanguage(ctx.state.principal, d.language);
    ctx.state.principal.language = d.language;
    ctx.i18n.useLocale(d.language);
    await ctx.answerCallbackQuery();
    await showMenu(kit, ctx, 'language-set');
  });

  onMenu(c, 'cancel', 'start.cancel', async (ctx) => {
    if (!(await endAndSay(store, ctx))) await ctx.reply(ctx.t('nothing-to-cancel'));
    const p = ctx.state.principal;
    if (!ctx.state.inGroup) await ctx.reply(ctx.t('menu-again'), { reply_markup: mainMenu(p, ctx.t, await kit.services.settings.mayReadReports(p)) });
  });

  return c;
}
