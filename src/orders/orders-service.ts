import { createHash } from 'node:crypto';
import type { Database } from '../db/database.ts';
import { ORDER_STATUSES, type OrderStatus } from '../db/enums.ts';
import { UniqueViolationError } from '../db/errors.ts';
import { ConflictError, ForbiddenError, UnprocessableError } from '../errors.ts';
import { hasRole, requireStaff, type Principal } from '../users/principal.ts';
import { listDeletedOrders, type DeletedOrder } from './deleted-orders.sql.ts';
import { canonicalClientPhone } from './client-phone.ts';
import { findClientByPhone, type ClientRecord } from './returning-client.sql.ts';
import { decodeCursor, encodeCursor } from './cursor.ts';
import { findIdempotencyKey, insertIdempotencyKey } from './idempotency.sql.ts';
import { FIRST_PAGE, listMasterOrders, listOrders } from './list-orders.sql.ts';
import { listScope, readable, redact, type VisibleOrder } from './order-access.ts';
import type { OrderChangeFeed } from './order-changes.ts';
import { explainFieldError } from './order-errors.ts';
import { normalized, ORDER_FIELD_NAMES, type CreateOrderInput } from './order-fields.ts';
import { searchOrderViews } from './order-search.ts';
import type { OrderView } from './order-view.ts';
import { findOrder, insertOrder, listOrderHistory, type OrderHistoryEntry } from './orders.sql.ts';
import { toTimelineEntry, type OrderTimelineEntry } from './order-timeline.ts';
import { listOrderTimeline } from './order-timeline.sql.ts';

export interface OrderPage {
  items: VisibleOrder[];
  next_cursor: string | null;
}

export interface ListFilter {
  statuses?: OrderStatus[];
  masterId?: number;
  cursor?: string;
  limit?: number;
}

/** Creating and reading orders; every change to an existing one is an action of OrderWorkflow. */
export class OrdersService {
  private readonly db: Database;
  private readonly changes: OrderChangeFeed;
  /** Overrides the search's recent window (tests with few orders). */
  private readonly searchWindow: number | undefined;
  constructor(db: Database, changes: OrderChangeFeed, opts: { searchWindow?: number } = {}) {
    this.db = db;
    this.changes = changes;
    this.searchWindow = opts.searchWindow;
  }

  /**
   * Creates an order. With an idempotency key, a retry with the same body
   * returns the order the first call created; another body is refused.
   */
  async create(actor: Principal, input: CreateOrderInput, idempotencyKey?: string): Promise<{ order: OrderView; replayed: boolean }> {
    requireStaff(actor);
    const fields = normalized(input);
    if (!idempotencyKey) return { order: await this.insert(actor, fields), replayed: false };

    // In declared field order, so the same body hashes the same however its keys were written.
    const hash = createHash('sha256')
      .update(JSON.stringify(ORDER_FIELD_NAMES.map((k) => fields[k])))
      .digest();
    const replay = await this.replay(actor, idempotencyKey, hash);
    if (replay) return { order: replay, replayed: true };
    try {
      const order = await this.db.transaction(async (tx) => {
        const created = await insertOrder(tx, fields, actor.userId);
        await insertIdempotencyKey(tx, actor.userId, idempotencyKey, hash, created.id);
        return created;
      });
      this.publishCreated(actor, order);
      return { order, replayed: false };
    } catch (err) {
      // A parallel retry with the same key won the race: answer with its order.
      if (err instanceof UniqueViolationError && err.constraint === 'idempotency_keys_pkey') {
        const winner = await this.replay(actor, idempotencyKey, hash);
        if (winner) return { order: winner, replayed: true };
      }
      throw explainFieldError(err);
    }
  }

  private async insert(actor: Principal, fields: Parameters<typeof insertOrder>[1]): Promise<OrderView> {
    try {
      const order = await insertOrder(this.db, fields, actor.userId);
      this.publishCreated(actor, order);
      return order;
    } catch (err) {
      throw explainFieldError(err);
    }
  }

  private async replay(actor: Principal, key: string, hash: Buffer): Promise<OrderView | null> {
    const existing = await findIdempotencyKey(this.db, actor.userId, key);
    if (!existing) return null;
    if (!existing.request_hash.equals(hash)) {
      throw new UnprocessableError('this Idempotency-Key was already used with a different request body', { field: 'idempotency_key' });
    }
    const order = await findOrder(this.db, existing.order_id);
    if (!order) throw new ConflictError('the order created with this Idempotency-Key has since been deleted', { field: 'idempotency_key' });
    return order;
  }

  private publishCreated(actor: Principal, order: OrderView): void {
    this.changes.publish({ action: 'create', from: null, to: order.status, order, previousMasterId: null, actor, note: null });
  }

  async get(actor: Principal, id: number): Promise<VisibleOrder> {
    return readable(actor, await findOrder(this.db, id), id);
  }

  /** An order someone else read (a notification's subject), as this person may see it. */
  asSeenBy(reader: Principal, order: OrderView): VisibleOrder {
    return redact(reader, order);
  }

  /** Keyset page, newest first. A master only ever lists their own orders. */
  async list(actor: Principal, filter: ListFilter): Promise<OrderPage> {
    const statuses = filter.statuses?.length ? [...new Set(filter.statuses)] : [...ORDER_STATUSES];
    const limit = filter.limit ?? 20;
    const after = filter.cursor ? decodeCursor(filter.cursor) : FIRST_PAGE;
    const masterId = listScope(actor, filter.masterId);
    // One row more than asked tells whether another page exists.
    const rows =
      masterId === undefined ? await listOrders(this.db, statuses, after, limit + 1) : await listMasterOrders(this.db, masterId, statuses, after, limit + 1);
    const page = rows.slice(0, limit);
    const last = page.at(-1);
    return {
      items: page.map((o) => redact(actor, o)),
      next_cursor: rows.length > limit && last ? encodeCursor({ createdAt: last.created_at, id: last.id }) : null,
    };
  }

  /** Finds orders by phone, address or client name (see order-search.ts). Staff only. */
  async search(actor: Principal, query: string, limit = 20): Promise<OrderView[]> {
    requireStaff(actor);
    return searchOrderViews(this.db, query, limit, this.searchWindow);
  }

  /**
   * Every change to an order, oldest first (the newest `limit`), or only
   * those after `sinceVersion` (what a stale edit missed). A master reading
   * an order whose phone is still hidden from them does not see it here either.
   */
  async timeline(actor: Principal, id: number, opts: { sinceVersion?: number; limit?: number } = {}): Promise<OrderTimelineEntry[]> {
    const order = readable(actor, await findOrder(this.db, id), id);
    const rows = await listOrderTimeline(this.db, id, opts.sinceVersion ?? null, opts.limit ?? 50);
    return rows.reverse().map((r) => toTimelineEntry(r, order.client_phone === null));
  }

  /** A returning client, by phone in any spelling: their order count, latest order and open ones. Staff only. */
  async clientByPhone(actor: Principal, phone: string): Promise<ClientRecord> {
    requireStaff(actor);
    return findClientByPhone(this.db, canonicalClientPhone(phone));
  }

  /** Deleted orders, the latest deleted first (keyset pages). Admins only. */
  async listDeleted(actor: Principal, opts: { cursor?: string; limit?: number } = {}): Promise<{ items: DeletedOrder[]; next_cursor: string | null }> {
    if (!hasRole(actor, 'ADMIN')) throw new ForbiddenError('only admins see deleted orders');
    const limit = opts.limit ?? 20;
    const rows = await listDeletedOrders(this.db, opts.cursor ? decodeCursor(opts.cursor) : FIRST_PAGE, limit + 1);
    const page = rows.slice(0, limit);
    const last = page.at(-1);
    return { items: page, next_cursor: rows.length > limit && last?.deleted_at ? encodeCursor({ createdAt: last.deleted_at, id: last.id }) : null };
  }

  async history(actor: Principal, id: number): Promise<OrderHistoryEntry[]> {
    readable(actor, await findOrder(this.db, id), id);
    return listOrderHistory(this.db, id);
  }
}
