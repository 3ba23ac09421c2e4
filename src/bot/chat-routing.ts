import type { I18n } from '@grammyjs/i18n';
import type { Services } from '../services.ts';
import type { BotContext } from './bot-context.ts';
import { translator } from './i18n.ts';
import type { Recipient } from './notifier.ts';

/**
 * Which chats hear about what, for messages the bot sends on its own:
 *
 * - a master's order messages (assignment, status changes, nudges,
 *   reminders) go to their work group when they have one, and privately
 *   too when the setting `notifications.master_private_copy` is on (as in
 *   the legacy bot, a master with a group works there; without one, in the
 *   private chat);
 * - what the dispatchers must act on (a new order needs a master, a
 *   reopened order, an SLA breach, a client waiting) goes to the
 *   dispatchers' group when an admin set one, else to every admin and
 *   dispatcher privately.
 *
 * Group chats are written in Russian, the business's language; people in
 * their own. In a master's group the master is the reader (what the card
 * shows is what the master may see).
 */
export class ChatRouting {
  private readonly services: Services;
  private readonly i18n: I18n<BotContext>;
  constructor(services: Services, i18n: I18n<BotContext>) {
    this.services = services;
    this.i18n = i18n;
  }

  /** A person's private chat, in their language; null for someone the bot does not know. */
  async person(telegramId: number): Promise<Recipient | null> {
    const principal = await this.services.users.byTelegramId(telegramId);
    return principal ? { chatId: telegramId, principal, t: translator(this.i18n, principal.language) } : null;
  }

  /** The chats where a master hears about their orders (none when the master is unknown or not on Telegram). */
  async master(masterId: number | null): Promise<Recipient[]> {
    if (masterId === null) return [];
    const m = await this.services.masters.byId(masterId);
    const person = m?.telegram_id ? await this.person(m.telegram_id) : null;
    if (!m || !person) return [];
    if (m.work_chat_id === null) return [person];
    const group = { chatId: m.work_chat_id, principal: person.principal, t: translator(this.i18n, 'ru') };
    return (await this.services.settings.get('mastersPrivateCopy')) ? [group, person] : [group];
  }

  /** The dispatchers' group, or every admin and dispatcher but `except` (who did it and knows). */
  async dispatchers(except: number | null = null): Promise<Array<Omit<Recipient, 'principal'> & { principal: Recipient['principal'] | null }>> {
    const group = await this.services.settings.dispatcherChatId();
    if (group !== null) return [{ chatId: group, principal: null, t: translator(this.i18n, 'ru') }];
    const out: Recipient[] = [];
    for (const id of await this.services.users.telegramIdsWithRole('ADMIN', 'DISPATCHER')) {
      const r = id === except ? null : await this.person(id);
      if (r) out.push(r);
    }
    return out;
  }
}
