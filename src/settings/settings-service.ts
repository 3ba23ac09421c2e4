import type { Database } from '../db/database.ts';
import { ValidationError } from '../errors.ts';
import { isAmount } from '../orders/money.ts';
import { hasRole, requireAdmin, type Principal } from '../users/principal.ts';
import { findSetting, saveSetting } from './settings.sql.ts';

/** Settings admins change at run time, with their defaults (app_settings). */
export interface Settings {
  /** Dispatchers may read reports and receive the scheduled ones (the legacy bot's default). */
  dispatchersReadReports: boolean;
  /** The dispatchers' group chat that gets their reminders (null: each dispatcher privately). */
  dispatcherChatId: number | null;
  /** A master with a work group also gets their order messages privately (off: the group only, as the legacy bot did). */
  mastersPrivateCopy: boolean;
  /** A master completes an order only with an "after" photo attached (checked in the complete statement). */
  completionNeedsAfterPhoto: boolean;
  /** A completion total under this (a decimal string) makes the bot ask whether it is really a refusal with a fee (legacy: 1,000). */
  refusalQuestionBelow: string;
}

const KEYS: { [K in keyof Settings]: { key: string; fallback: Settings[K]; valid(v: unknown): v is Settings[K] } } = {
  dispatchersReadReports: { key: 'reports.dispatchers_allowed', fallback: true, valid: (v): v is boolean => typeof v === 'boolean' },
  completionNeedsAfterPhoto: { key: 'orders.completion_needs_after_photo', fallback: false, valid: (v): v is boolean => typeof v === 'boolean' },
  dispatcherChatId: {
    key: 'notifications.dispatcher_chat_id',
    fallback: null,
    valid: (v): v is number | null => v === null || (typeof v === 'number' && Number.isSafeInteger(v) && v !== 0),
  },
  mastersPrivateCopy: { key: 'notifications.master_private_copy', fallback: false, valid: (v): v is boolean => typeof v === 'boolean' },
  refusalQuestionBelow: { key: 'orders.refusal_question_below', fallback: '1000.00', valid: (v): v is string => typeof v === 'string' && isAmount(v) },
};

export class SettingsService {
  private readonly db: Database;
  constructor(db: Database) {
    this.db = db;
  }

  async get<K extends keyof Settings>(name: K): Promise<Settings[K]> {
    const value = await findSetting(this.db, KEYS[name].key);
    return KEYS[name].valid(value) ? value : KEYS[name].fallback;
  }

  async all(): Promise<Settings> {
    return {
      dispatchersReadReports: await this.get('dispatchersReadReports'),
      dispatcherChatId: await this.get('dispatcherChatId'),
      mastersPrivateCopy: await this.get('mastersPrivateCopy'),
      completionNeedsAfterPhoto: await this.get('completionNeedsAfterPhoto'),
      refusalQuestionBelow: await this.get('refusalQuestionBelow'),
    };
  }

  async set<K extends keyof Settings>(actor: Principal, name: K, value: Settings[K]): Promise<Settings> {
    requireAdmin(actor);
    if (!KEYS[name].valid(value)) throw new ValidationError(`is not a valid value for ${KEYS[name].key}`, { field: name });
    await saveSetting(this.db, KEYS[name].key, value, actor.userId);
    return this.all();
  }

  /** Admins read reports; dispatchers while the setting allows it. */
  async mayReadReports(actor: Principal): Promise<boolean> {
    if (hasRole(actor, 'ADMIN')) return true;
    return hasRole(actor, 'DISPATCHER') && (await this.get('dispatchersReadReports'));
  }

  /** The dispatchers' group for reminders, when one is set. */
  dispatcherChatId(): Promise<number | null> {
    return this.get('dispatcherChatId');
  }

  /** Sets (a Telegram chat id; groups are negative) or clears (null) the dispatchers' group. Admins only. */
  async setDispatcherChat(actor: Principal, chatId: number | null): Promise<void> {
    if (chatId !== null && (!Number.isSafeInteger(chatId) || chatId === 0)) {
      requireAdmin(actor);
      throw new ValidationError('must be a Telegram chat id (an integer, negative for groups)', { field: 'chat_id' });
    }
    await this.set(actor, 'dispatcherChatId', chatId);
  }

  /**
   * Telegram moved the dispatchers' group (to a supergroup: `toChatId`) or
   * the bot was removed from it (null): the setting follows. A fact, not a
   * choice, so no role is needed; `actorId` (whoever did it) is audited.
   * True when the dispatchers' group was that chat.
   */
  async dispatcherChatMoved(actorId: number, fromChatId: number, toChatId: number | null): Promise<boolean> {
    if ((await this.dispatcherChatId()) !== fromChatId) return false;
    await saveSetting(this.db, KEYS.dispatcherChatId.key, toChatId, actorId);
    return true;
  }
}
