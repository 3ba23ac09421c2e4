import type { I18n } from '@grammyjs/i18n';
import type { Api } from 'grammy';
import type { BotCommand } from 'grammy/types';
import { hasRole, isStaff, type Principal } from '../users/principal.ts';
import type { BotContext } from './bot-context.ts';
import { translator, type Language, type Translate } from './i18n.ts';

/**
 * The commands each person may use, once: Telegram's command menu (set per
 * chat with setMyCommands, in the person's language) and /help both come
 * from here, so nobody is offered what their roles cannot do.
 */
/** What the roles alone do not say: a dispatcher reads reports only while the setting allows it (SettingsService.mayReadReports). */
export interface Allowed {
  readsReports: boolean;
}
type Who = (p: Pick<Principal, 'roles' | 'masterId'>, allowed: Allowed) => boolean;
const anyone: Who = () => true;
const master: Who = (p) => hasRole(p, 'MASTER') && p.masterId !== null;

const COMMANDS: ReadonlyArray<{ command: string; who: Who }> = [
  { command: 'start', who: anyone },
  { command: 'new', who: isStaff },
  { command: 'orders', who: isStaff },
  { command: 'order', who: (p, allowed) => isStaff(p) || master(p, allowed) },
  { command: 'search', who: isStaff },
  { command: 'my', who: master },
  { command: 'stats', who: master },
  { command: 'masters', who: (p) => hasRole(p, 'ADMIN') },
  { command: 'users', who: (p) => hasRole(p, 'ADMIN') },
  { command: 'reports', who: (_p, allowed) => allowed.readsReports },
  { command: 'console', who: isStaff },
  { command: 'language', who: anyone },
  { command: 'help', who: anyone },
  { command: 'cancel', who: anyone },
];

/** What a work group or the dispatchers' group is offered. */
const GROUP_COMMANDS = ['my', 'link', 'cancel', 'help'] as const;

function commandsFor(p: Pick<Principal, 'roles' | 'masterId'>, t: Translate, allowed: Allowed): BotCommand[] {
  return COMMANDS.filter((c) => c.who(p, allowed)).map((c) => ({ command: c.command, description: t(`command-${c.command}`) }));
}

/** /help: one line per command the reader's roles allow. */
export function helpText(p: Principal, t: Translate, allowed: Allowed): string {
  return [t('help-title'), ...commandsFor(p, t, allowed).map((c) => `/${c.command}: ${c.description}`)].join('\n');
}

/**
 * This person's command menu in their private chat, in the language they
 * chose in the bot (a chat scope wins over every language-specific default,
 * so their Telegram client's language does not matter).
 */
export async function publishCommands(api: Api, p: Principal, t: Translate, allowed: Allowed): Promise<void> {
  if (p.telegramId === null) return;
  const commands = commandsFor(p, t, allowed);
  if (!published.changes(api, p.telegramId, commands)) return;
  await api.setMyCommands(commands, { scope: { type: 'chat', chat_id: p.telegramId } });
  published.remember(api, p.telegramId, commands);
}

/**
 * The menu this process last set per chat, so that /start (which re-checks
 * the menu every time) calls Telegram only when the menu changed. Keyed by
 * the bot's token and the chat: grammY gives each update an Api object of
 * its own. Another instance may have set a different menu since, so a
 * remembered one is trusted for PUBLISHED_TTL_MS only.
 */
const PUBLISHED_TTL_MS = 10 * 60_000;
const lastPublished = new Map<string, { menu: string; at: number }>();
const published = {
  changes(api: Api, chatId: number, commands: BotCommand[]): boolean {
    const last = lastPublished.get(`${api.token}:${chatId}`);
    return !last || last.menu !== JSON.stringify(commands) || Date.now() - last.at > PUBLISHED_TTL_MS;
  },
  remember(api: Api, chatId: number, commands: BotCommand[]): void {
    lastPublished.set(`${api.token}:${chatId}`, { menu: JSON.stringify(commands), at: Date.now() });
  },
};
/** Strangers' private chats (start, help, language) and group chats, in Russian and English. */
export async function publishDefaultCommands(api: Api, i18n: I18n<BotContext>): Promise<void> {
  const stranger = { roles: [], masterId: null };
  for (const language of ['ru', 'en'] as Language[]) {
    const t = translator(i18n, language);
    const languageCode = language === 'ru' ? {} : { language_code: language };
    await api.setMyCommands(commandsFor(stranger, t, { readsReports: false }), { scope: { type: 'all_private_chats' }, ...languageCode });
    await api.setMyCommands(
      GROUP_COMMANDS.map((command) => ({ command, description: t(`command-${command}`) })),
      { scope: { type: 'all_group_chats' }, ...languageCode },
    );
  }
}
