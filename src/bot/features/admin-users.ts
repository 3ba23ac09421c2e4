import { Composer, InlineKeyboard } from 'grammy';
import { USER_ROLES, type UserRole } from '../../db/enums.ts';
import { ConflictError, NotFoundError } from '../../errors.ts';
import { savepoint } from '../outbox.ts';
import { requireAdmin } from '../../users/principal.ts';
import type { BotContext, BotKit } from '../bot-context.ts';
import { encode } from '../callback-data.ts';
import { onButton, onMenu } from '../routing.ts';

/**
 * Admins: users (everyone who ever wrote to the bot) and their roles. A
 * role button carries the whole role set it leads to, so pressing it twice
 * sets the same roles twice: harmless.
 */
const PER_PAGE = 8;

function userCard(ctx: BotContext, u: { name: string; telegramId: number; roles: UserRole[] }): { text: string; reply_markup: InlineKeyboard } {
  const roles = u.roles.length ? u.roles.map((r) => ctx.t(`role-${r}`)).join(', ') : ctx.t('role-none');
  const kb = new InlineKeyboard();
  for (const role of USER_ROLES) {
    const has = u.roles.includes(role);
    const next = has ? u.roles.filter((r) => r !== role) : [...u.roles, role];
    // Taking a role away asks first; giving one does not.
    kb.text(`${has ? '✓ ' : ''}${ctx.t(`role-${role}`)}`, encode({ type: has ? 'userRolesAsk' : 'userRoles', telegramId: u.telegramId, roles: next }));
  }
  kb.row().text(ctx.t('button-back'), encode({ type: 'users', afterId: 0 }));
  return { text: ctx.t('user-card', { name: u.name, telegramId: String(u.telegramId), roles }), reply_markup: kb };
}

export function adminUsersFeature(kit: BotKit): Composer<BotContext> {
  const c = new Composer<BotContext>();
  const { users } = kit.services;

  const page = async (ctx: BotContext, afterId: number) => {
    const list = await users.list(ctx.state.principal, afterId, PER_PAGE + 1);
    const kb = new InlineKeyboard();
    for (const u of list.slice(0, PER_PAGE)) {
      if (u.telegram_id === null) continue; // API-only accounts have no chat to manage
      const roles = u.roles.map((r) => ctx.t(`role-${r}`)).join(', ') || ctx.t('role-none');
      kb.text(`${u.name} · ${roles}`.slice(0, 60), encode({ type: 'userCard', telegramId: u.telegram_id })).row();
    }
    if (list.length > PER_PAGE) kb.text(ctx.t('button-next'), encode({ type: 'users', afterId: list[PER_PAGE - 1]!.id }));
    kb.text(ctx.t('button-back'), encode({ type: 'menu', item: 'home' }));
    await ctx.reply(ctx.t('users-title'), { reply_markup: kb });
  };

  onMenu(c, 'users', 'admin.users', (ctx) => page(ctx, 0));
  onButton(c, 'users', 'admin.users', (ctx, d) => page(ctx, d.afterId));

  onButton(c, 'userCard', 'admin.user_card', async (ctx, d) => {
    requireAdmin(ctx.state.principal);
    const u = await users.byTelegramId(d.telegramId);
    if (!u) throw new NotFoundError(`no user with Telegram id ${d.telegramId}`, { field: 'telegram_id' });
    const { text, reply_markup } = userCard(ctx, { name: u.name, telegramId: d.telegramId, roles: u.roles });
    await ctx.reply(text, { reply_markup });
  });

  onButton(c, 'userRolesAsk', 'admin.user_roles_ask', async (ctx, d) => {
    requireAdmin(ctx.state.principal);
    const u = await users.byTelegramId(d.telegramId);
    if (!u) throw new NotFoundError(`no user with Telegram id ${d.telegramId}`, { field: 'telegram_id' });
    const removed = u.roles.filter((r) => !d.roles.includes(r)).map((r) => ctx.t(`role-${r}`));
    await ctx.answerCallbackQuery();
    await ctx.editMessageReplyMarkup({
      reply_markup: new InlineKeyboard()
        .text(ctx.t('sure-remove-role', { role: removed.join(', '), name: u.name }), encode({ type: 'userRoles', telegramId: d.telegramId, roles: d.roles }))
        .row()
        .text(ctx.t('sure-no'), encode({ type: 'userCard', telegramId: d.telegramId })),
    });
  });

  onButton(c, 'userRoles', 'admin.user_roles', async (ctx, d) => {
    let u;
    try {
      u = await savepoint(kit.uow, () => users.setRoles(ctx.state.principal, d.telegramId, d.roles));
    } catch (err) {
      // The service keeps one admin at least, whoever asks (the bot, the API, the CLI).
      if (err instanceof ConflictError && err.field === 'roles') return ctx.answerCallbackQuery({ text: ctx.t('last-admin'), show_alert: true });
      throw err;
    }
    // The person hears of it from the service's change (services.people), as from the HTTP API.
    await ctx.answerCallbackQuery({ text: ctx.t('done-roles') });
    const { text, reply_markup } = userCard(ctx, { name: u.name, telegramId: d.telegramId, roles: u.roles });
    await ctx.editMessageText(text, { reply_markup });
    // A MASTER role alone assigns nothing: a master needs a phone and a specialization (a masters row).
    if (u.roles.includes('MASTER') && (await users.byTelegramId(d.telegramId))?.masterId === null) {
      await ctx.reply(ctx.t('master-role-needs-details', { name: u.name }), {
        reply_markup: new InlineKeyboard().text(ctx.t('button-register-master'), encode({ type: 'addMasterFor', telegramId: d.telegramId })),
      });
    }
  });

  return c;
}
