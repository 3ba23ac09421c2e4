import { createHash, randomBytes } from 'node:crypto';
import type { Database } from '../db/database.ts';
import { ConflictError, NotFoundError, ValidationError } from '../errors.ts';
import type { OrderWorkflow } from '../orders/order-workflow.ts';
import { requireStaff, type Principal } from '../users/principal.ts';
import type { RowOf } from '../db/types.ts';
import {
  addRatingComment,
  CLIENT_ORDER_COLUMNS,
  findClientOrder,
  findDispatchRoute,
  findOrderClientInfo,
  insertRating,
  listClientOrders,
  listOrderClients,
  recordClientMessage,
  redeemClientLink,
  saveClientLink,
} from './clients.sql.ts';

/** An order as its client sees it. */
export type ClientOrder = RowOf<typeof CLIENT_ORDER_COLUMNS>;

/** Where news from a client goes: the order's dispatcher (the master's name only for the text). */
export interface DispatchRoute {
  id: number;
  dispatcher_telegram_id: number | null;
  master_name: string | null;
}

/**
 * The client in the loop. A staff member issues a link for an order; the
 * person who opens it in the bot becomes a client of that order (no role:
 * a client reaches nothing but their own orders, through this service).
 * Tokens are 'c' + 43 base64url characters (a Telegram start parameter
 * allows 64 of [A-Za-z0-9_-]); only their SHA-256 is stored.
 */
export function clientDeepLink(botUsername: string, token: string): string {
  return `https://t.me/${botUsername}?start=${token}`;
}

const CLIENT_TOKEN = /^c[A-Za-z0-9_-]{43}$/;
const hashOf = (token: string) => createHash('sha256').update(token).digest();

export class ClientsService {
  private readonly db: Database;
  private readonly workflow: OrderWorkflow;
  private readonly linkTtlDays: number;
  private botUsername: string | undefined;
  constructor(db: Database, workflow: OrderWorkflow, opts: { linkTtlDays?: number } = {}) {
    this.db = db;
    this.workflow = workflow;
    this.linkTtlDays = opts.linkTtlDays ?? 60;
  }

  /** The bot's @username, known once the bot has started (links are t.me/<username>?start=...). */
  useBot(username: string): void {
    this.botUsername = username;
  }

  /** The deep link for a token; null while no bot runs in this process. */
  linkUrl(token: string): string | null {
    return this.botUsername ? clientDeepLink(this.botUsername, token) : null;
  }

  /** A new personal link for the order's client (an earlier one stops working). */
  async issueLink(actor: Principal, orderId: number): Promise<{ token: string; expiresAt: string }> {
    requireStaff(actor);
    const token = `c${randomBytes(32).toString('base64url')}`;
    const saved = await saveClientLink(this.db, { orderId, tokenHash: hashOf(token), actorId: actor.userId, ttlDays: this.linkTtlDays });
    if (!saved) throw new NotFoundError(`order ${orderId} not found`, { field: 'id' });
    return { token, expiresAt: saved.expires_at };
  }

  /** Opens a link: the user becomes the order's client; null when the link is unknown, replaced or expired. */
  async join(user: Principal, chatId: number, token: string): Promise<{ order: ClientOrder; firstTime: boolean } | null> {
    if (!CLIENT_TOKEN.test(token)) return null;
    const joined = await redeemClientLink(this.db, { tokenHash: hashOf(token), userId: user.userId, chatId });
    if (!joined) return null;
    const order = await findClientOrder(this.db, joined.order_id, user.userId);
    return order ? { order, firstTime: joined.first_time } : null;
  }

  /** One of the user's orders as a client; 404 for any order they are not a client of. */
  async orderOf(user: Principal, orderId: number): Promise<ClientOrder> {
    const order = await findClientOrder(this.db, orderId, user.userId);
    if (!order) throw new NotFoundError(`order ${orderId} not found`, { field: 'id' });
    return order;
  }

  /** The user's orders as a client, the latest first (empty for anyone else). */
  ordersOf(user: Principal): Promise<ClientOrder[]> {
    return listClientOrders(this.db, user.userId);
  }

  /** The client cancels before the master arrives: the order is refused with the client's reason. */
  async cancel(user: Principal, orderId: number, reason: string): Promise<ClientOrder> {
    await this.orderOf(user, orderId);
    await this.workflow.act(user, orderId, 'client_cancel', { reason });
    return this.orderOf(user, orderId);
  }

  /** A client's message to the dispatcher, kept in the order's audit. */
  async writeToDispatcher(user: Principal, orderId: number, text: string): Promise<DispatchRoute> {
    const route = await recordClientMessage(this.db, { orderId, userId: user.userId, text });
    if (!route) throw new NotFoundError(`order ${orderId} not found`, { field: 'id' });
    return route;
  }

  /** The client's score (1-5) for completed work, once. */
  async rate(user: Principal, orderId: number, score: number): Promise<{ route: DispatchRoute; score: number }> {
    if (!Number.isInteger(score) || score < 1 || score > 5) throw new ValidationError('a rating is a whole number from 1 to 5', { field: 'score' });
    const order = await this.orderOf(user, orderId);
    const rated = await insertRating(this.db, { orderId, userId: user.userId, score, comment: null });
    if (!rated) {
      throw new ConflictError(order.rating !== null ? `order ${orderId} is already rated` : `order ${orderId} cannot be rated before the work is done`, {
        details: { status: order.status, rating: order.rating },
      });
    }
    return { route: await findDispatchRoute(this.db, orderId), score: rated.score };
  }

  /** A comment to the rating just given; null when there is no rating without a comment to add it to. */
  async comment(user: Principal, orderId: number, text: string): Promise<{ route: DispatchRoute; score: number } | null> {
    const done = await addRatingComment(this.db, { orderId, userId: user.userId, comment: text });
    return done ? { route: await findDispatchRoute(this.db, orderId), score: done.score } : null;
  }

  /** The chats that hear of the order's progress, with their language. */
  audience(orderId: number): Promise<Array<{ chat_id: number; language: string }>> {
    return listOrderClients(this.db, orderId);
  }

  /** Staff's view: clients following the order, its link's expiry and its rating. */
  async infoFor(actor: Principal, orderId: number) {
    requireStaff(actor);
    const info = await findOrderClientInfo(this.db, orderId);
    if (!info) throw new NotFoundError(`order ${orderId} not found`, { field: 'id' });
    return info;
  }
}
