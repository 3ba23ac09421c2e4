import type { Queryable } from '../db/database.ts';
import { claimOutboxMessages, insertOutboxMessages } from './bot-outbox.sql.ts';
import { deleteConversation, findConversation, insertProcessedUpdate, saveConversation } from './bot.sql.ts';
import { insertOrderNudge, lockOrderNudges } from './nudges.sql.ts';
import { countOrdersByStatus } from './order-counts.sql.ts';
import type { OrderStatus } from '../db/enums.ts';

/**
 * The bot's own tables (processed update ids, dialogue state, notifications
 * saved at shutdown), the one
 * place the bot's pipeline and features reach them. Inside an update's unit
 * of work every call joins its transaction.
 */
export class BotStore {
  private readonly db: Queryable;
  constructor(db: Queryable) {
    this.db = db;
  }

  /** Records an update id; false when it was already recorded (a redelivery waits here for the first to commit). */
  recordUpdate(updateId: number): Promise<boolean> {
    return insertProcessedUpdate(this.db, updateId);
  }

  /** The chat's dialogue row, locked for this update. */
  findConversation(chatId: number, userId: number): Promise<{ kind: string; step: string; data: unknown } | null> {
    return findConversation(this.db, chatId, userId);
  }

  async saveConversation(chatId: number, userId: number, c: { kind: string; step: string; data: object }): Promise<void> {
    await saveConversation(this.db, chatId, userId, c);
  }

  async deleteConversation(chatId: number, userId: number): Promise<void> {
    await deleteConversation(this.db, chatId, userId);
  }

  /** Saves notifications a stopping instance did not send (bot_outbox). */
  async saveOutbox(messages: Array<{ chatId: number; payload: object }>): Promise<void> {
    await insertOutboxMessages(this.db, messages);
  }

  /** Takes up to `limit` saved notifications, oldest first; each is taken by one instance only. */
  claimOutbox(limit: number): Promise<Array<{ id: number; chat_id: number; payload: unknown }>> {
    return claimOutboxMessages(this.db, limit);
  }

  /**
   * Records "the client is waiting" for an order, unless someone did within
   * the last minute: true when this one counts (and should be sent). Must
   * run in the update's transaction (the lock is held to its end).
   */
  async recordNudge(n: { orderId: number; masterId: number; actorId: number }): Promise<boolean> {
    await lockOrderNudges(this.db, n.orderId);
    return insertOrderNudge(this.db, { ...n, withinSeconds: 60 });
  }

  /** Orders in each status, for the staff's list filters (they see every order). */
  async countOrders(statuses: readonly OrderStatus[]): Promise<Map<OrderStatus, number>> {
    return new Map((await countOrdersByStatus(this.db, statuses)).map((r) => [r.status, r.orders]));
  }
}
