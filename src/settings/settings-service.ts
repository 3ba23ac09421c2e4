import type { Database } from '../db/database.ts';
import { ValidationError } from '../errors.ts';
import { requireAdmin } from '../orders/access.ts';
import type { Principal } from '../users/principal.ts';
import { deleteSetting, findSetting, upsertSetting } from './settings.sql.ts';

const DISPATCHER_CHAT = 'dispatcher_chat_id';

/**
 * Settings admins change while the service runs (stored, audited), as
 * opposed to configuration read once from the environment.
 */
export class SettingsService {
  private readonly db: Database;
  constructor(db: Database) {
    this.db = db;
  }

  /** The dispatchers' group chat that gets their reminders, when one is set. */
  async dispatcherChatId(): Promise<number | null> {
    const row = await findSetting(this.db, DISPATCHER_CHAT);
    return typeof row?.value === 'number' ? row.value : null;
  }

  /** Sets (a Telegram chat id; groups are negative) or clears (null) the dispatchers' group. Admins only. */
  async setDispatcherChat(actor: Principal, chatId: number | null): Promise<void> {
    requireAdmin(actor);
    if (chatId === null) return deleteSetting(this.db, DISPATCHER_CHAT, actor.userId || null);
    if (!Number.isSafeInteger(chatId) || chatId === 0)
      throw new ValidationError('must be a Telegram chat id (an integer, negative for groups)', { field: 'chat_id' });
    await upsertSetting(this.db, DISPATCHER_CHAT, chatId, actor.userId || null);
  }
}
