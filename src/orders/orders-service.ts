import { createHash } from 'node:crypto';
import type { Database } from '../db/database.ts';
import { ORDER_STATUSES, type OrderStatus } from '../db/enums.ts';
import { CheckViolationError, ForeignKeyViolationError, UniqueViolationError } from '../db/errors.ts';
import { ConflictError, ForbiddenError, NotFoundError, PreconditionFailedError, UnprocessableError, ValidationError } from '../errors.ts';
import { hasRole, type Principal } from '../users/principal.ts';
import { present, requireAdmin, requireStaff, visibleTo, type VisibleOrder } from './access.ts';
import { decodeCursor, encodeCursor } from './cursor.ts';
import { findIdempotencyKey, insertIdempotencyKey } from './idempotency.sql.ts';
import { FIRST_PAGE, listMasterOrders, listOrders } from './list-orders.sql.ts';
import type { OrderChangeFeed } from './order-changes.ts';
import { searchOrderViews } from './order-search.ts';
import { normalizePhone, type CreateOrderInput, type PatchOrderInput } from './order-input.ts';
import type { OrderView } from './order-view.ts';
import { findOrder, findOrderState, insertOrder, listOrderHistory, softDeleteOrder, updateOrderFields, type OrderHistoryEntry } from './orders.sql.ts';
import { isStaff } from './transitions.ts';

/** CHECK constraints on fields a caller supplies: orders_<field>_<rule>. */
const INPUT_CHECKS = /^orders_(client_phone|client_name|client_address|description|notes|scheduled_note)_/;

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

/** Reading, creating, editing and deleting orders; transitions live in OrderWorkflow. */
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
    const fields = {
      equipmentType: input.equipment_type,
      description: input.description,
      clientName: input.client_name,
      clientAddress: input.client_address,
      clientPhone: normalizePhone(input.client_phone),
      notes: input.notes ?? null,
      scheduledAt: input.scheduled_at ?? null,
      scheduledNote: input.scheduled_note ?? null,
    };
    if (!idempotencyKey) return { order: await this.insert(actor, fields), replayed: false };

    const hash = createHash('sha256').update(JSON.stringify(fields)).digest();
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
      throw this.explainInsertError(err);
    }
  }

  private async insert(actor: Principal, fields: Parameters<typeof insertOrder>[1]): Promise<OrderView> {
    try {
      const order = await insertOrder(this.db, fields, actor.userId);
      this.publishCreated(actor, order);
      return order;
    } catch (err) {
      throw this.explainInsertError(err);
    }
  }

  private async replay(actor: Principal, key: string, hash: Buffer): Promise<OrderView | null> {
    const existing = await findIdempotencyKey(this.db, actor.userId, key);
    if (!existing) return null;
    if (!existing.request_hash.equals(hash)) {
      throw new UnprocessableError('this Idempotency-Key was already used with a different request body', { field: 'Idempotency-Key' });
    }
    const order = await findOrder(this.db, existing.order_id);
    if (!order) throw new ConflictError('the order created with this Idempotency-Key has since been deleted', { field: 'Idempotency-Key' });
    return order;
  }

  /** Turns a constraint the input broke into an error naming the field. */
  private explainInsertError(err: unknown): unknown {
    if (err instanceof ForeignKeyViolationError && err.constraint === 'orders_equipment_type_fkey') {
      return new UnprocessableError('unknown equipment type', { field: 'equipment_type' });
    }
    if (err instanceof CheckViolationError) {
      const field = INPUT_CHECKS.exec(err.constraint ?? '')?.[1];
      if (field) return new ValidationError(`violates ${err.constraint}`, { field });
    }
    return err;
  }

  private publishCreated(actor: Principal, order: OrderView): void {
    this.changes.publish({ action: 'create', from: null, to: order.status, order, previousMasterId: null, actor, note: null });
  }

  async get(actor: Principal, id: number): Promise<VisibleOrder> {
    return visibleTo(actor, await findOrder(this.db, id), id);
  }

  /** Keyset page, newest first. A master only ever lists their own orders. */
  async list(actor: Principal, filter: ListFilter): Promise<OrderPage> {
    const statuses = filter.statuses?.length ? [...new Set(filter.statuses)] : [...ORDER_STATUSES];
    const limit = filter.limit ?? 20;
    const after = filter.cursor ? decodeCursor(filter.cursor) : FIRST_PAGE;
    let masterId = filter.masterId;
    if (!isStaff(actor.roles)) {
      if (!hasRole(actor, 'MASTER') || actor.masterId === null) throw new ForbiddenError('you have no role that may list orders');
      if (masterId !== undefined && masterId !== actor.masterId) throw new ForbiddenError('masters may list only their own orders', { field: 'master_id' });
      masterId = actor.masterId;
    }
    // One row more than asked tells whether another page exists.
    const rows =
      masterId === undefined ? await listOrders(this.db, statuses, after, limit + 1) : await listMasterOrders(this.db, masterId, statuses, after, limit + 1);
    const page = rows.slice(0, limit);
    const last = page.at(-1);
    return {
      items: page.map((o) => present(actor, o)),
      next_cursor: rows.length > limit && last ? encodeCursor({ createdAt: last.created_at, id: last.id }) : null,
    };
  }

  /** Finds orders by phone, address or client name (see order-search.ts). Staff only. */
  async search(actor: Principal, query: string, limit = 20): Promise<OrderView[]> {
    requireStaff(actor);
    return searchOrderViews(this.db, query, limit, this.searchWindow);
  }

  async edit(actor: Principal, id: number, expectedVersion: number, patch: PatchOrderInput): Promise<OrderView> {
    requireStaff(actor);
    const fields = {
      equipmentType: patch.equipment_type,
      description: patch.description,
      clientName: patch.client_name,
      clientAddress: patch.client_address,
      clientPhone: patch.client_phone === undefined ? undefined : normalizePhone(patch.client_phone),
      notes: patch.notes,
      scheduledAt: patch.scheduled_at,
      scheduledNote: patch.scheduled_note,
    };
    let updated: OrderView | null;
    try {
      updated = await updateOrderFields(this.db, id, expectedVersion, fields, actor.userId, JSON.stringify({ fields: Object.keys(patch) }));
    } catch (err) {
      throw this.explainInsertError(err);
    }
    if (updated) {
      this.changes.publish({ action: 'edit', from: updated.status, to: updated.status, order: updated, previousMasterId: null, actor, note: null });
      return updated;
    }
    const state = await findOrderState(this.db, id);
    if (!state || state.deleted) throw new NotFoundError(`order ${id} not found`, { field: 'id' });
    if (state.version !== expectedVersion) {
      throw new PreconditionFailedError(`order ${id} is at version ${state.version}, not ${expectedVersion}`, {
        field: 'If-Match',
        details: { current_version: state.version },
      });
    }
    throw new ConflictError(`order ${id} is ${state.status} and can no longer be edited`, { details: { status: state.status } });
  }

  async remove(actor: Principal, id: number): Promise<void> {
    requireAdmin(actor);
    if (!(await softDeleteOrder(this.db, id, actor.userId))) throw new NotFoundError(`order ${id} not found`, { field: 'id' });
  }

  async history(actor: Principal, id: number): Promise<OrderHistoryEntry[]> {
    visibleTo(actor, await findOrder(this.db, id), id);
    return listOrderHistory(this.db, id);
  }
}
