import type { Queryable } from '../db/database.ts';
import { defineQuery } from '../db/query.ts';
import type { OrderStatus } from '../db/enums.ts';
import { orderEventCtes } from './order-events.ts';
import { ORDER_VIEW_COLUMNS, ORDER_VIEW_JOINS, ORDER_VIEW_SELECT, type OrderView } from './order-view.ts';

const insertOrderQuery = defineQuery({
  name: 'orders.insert_order',
  params: {
    equipmentType: 'text',
    description: 'text',
    clientName: 'text',
    clientAddress: 'text',
    clientPhone: 'text',
    notes: 'text?',
    scheduledAt: 'timestamptz?',
    scheduledNote: 'text?',
    actorId: 'int8',
    note: 'text?',
    details: 'jsonb?',
  },
  columns: ORDER_VIEW_COLUMNS,
  text: `
WITH created AS (
  INSERT INTO orders (equipment_type, description, client_name, client_address, client_phone,
                      notes, scheduled_at, scheduled_note, dispatcher_id)
  VALUES ($1::text, $2::text, $3::text, $4::text, $5::text, $6::text, $7::timestamptz, $8::text, $9::int8)
  RETURNING *, NULL::order_status AS old_status
),
${orderEventCtes({ source: 'created', action: 'order.create', actor: 9, note: 10, details: 11 })}
SELECT ${ORDER_VIEW_SELECT}
FROM created o ${ORDER_VIEW_JOINS}`,
});

export interface NewOrder {
  equipmentType: string;
  description: string;
  clientName: string;
  clientAddress: string;
  clientPhone: string;
  notes: string | null;
  scheduledAt: string | null;
  scheduledNote: string | null;
}

/** Inserts an order with its first history row and audit row, in one statement. */
export function insertOrder(db: Queryable, order: NewOrder, actorId: number): Promise<OrderView> {
  return db.one(insertOrderQuery, { ...order, actorId, note: null, details: null });
}

const findOrderQuery = defineQuery({
  name: 'orders.find_order',
  params: { id: 'int8' },
  columns: ORDER_VIEW_COLUMNS,
  text: `
SELECT ${ORDER_VIEW_SELECT}
FROM orders o ${ORDER_VIEW_JOINS}
WHERE o.id = $1::int8 AND o.deleted_at IS NULL`,
});

export function findOrder(db: Queryable, id: number): Promise<OrderView | null> {
  return db.maybeOne(findOrderQuery, { id });
}

const findOrderStateQuery = defineQuery({
  name: 'orders.find_order_state',
  params: { id: 'int8' },
  columns: { status: 'order_status', master_id: 'int8?', version: 'int4', deleted: 'bool' },
  text: `
SELECT status, master_id, version, deleted_at IS NOT NULL AS deleted
FROM orders WHERE id = $1::int8`,
});

export interface OrderState {
  status: OrderStatus;
  master_id: number | null;
  version: number;
  deleted: boolean;
}

/** The bare state of an order, deleted or not: used to explain a refused change. */
export function findOrderState(db: Queryable, id: number): Promise<OrderState | null> {
  return db.maybeOne(findOrderStateQuery, { id });
}

const updateOrderFieldsQuery = defineQuery({
  name: 'orders.update_order_fields',
  params: {
    id: 'int8',
    expectedVersion: 'int4',
    equipmentType: 'text?',
    description: 'text?',
    clientName: 'text?',
    clientAddress: 'text?',
    clientPhone: 'text?',
    setNotes: 'bool',
    notes: 'text?',
    setScheduledAt: 'bool',
    scheduledAt: 'timestamptz?',
    setScheduledNote: 'bool',
    scheduledNote: 'text?',
    actorId: 'int8',
    note: 'text?',
    details: 'jsonb?',
  },
  columns: ORDER_VIEW_COLUMNS,
  text: `
WITH changed AS (
  UPDATE orders o SET
    equipment_type = COALESCE($3::text, o.equipment_type),
    description    = COALESCE($4::text, o.description),
    client_name    = COALESCE($5::text, o.client_name),
    client_address = COALESCE($6::text, o.client_address),
    client_phone   = COALESCE($7::text, o.client_phone),
    notes          = CASE WHEN $8::bool THEN $9::text ELSE o.notes END,
    scheduled_at   = CASE WHEN $10::bool THEN $11::timestamptz ELSE o.scheduled_at END,
    scheduled_note = CASE WHEN $12::bool THEN $13::text ELSE o.scheduled_note END,
    version = o.version + 1,
    updated_at = now()
  WHERE o.id = $1::int8 AND o.version = $2::int4 AND o.deleted_at IS NULL AND o.status <> 'CLOSED'
  RETURNING new.*, old.status AS old_status
),
${orderEventCtes({ source: 'changed', action: 'order.edit', actor: 14, note: 15, details: 16 })}
SELECT ${ORDER_VIEW_SELECT}
FROM changed o ${ORDER_VIEW_JOINS}`,
});

export interface OrderFieldsPatch {
  equipmentType?: string;
  description?: string;
  clientName?: string;
  clientAddress?: string;
  clientPhone?: string;
  /** undefined leaves it; null clears it. */
  notes?: string | null;
  scheduledAt?: string | null;
  scheduledNote?: string | null;
}

/** Applies a patch if the version still matches; null when it does not (or the order is gone or closed). */
export function updateOrderFields(
  db: Queryable,
  id: number,
  expectedVersion: number,
  patch: OrderFieldsPatch,
  actorId: number,
  details: string,
): Promise<OrderView | null> {
  return db.maybeOne(updateOrderFieldsQuery, {
    id,
    expectedVersion,
    equipmentType: patch.equipmentType ?? null,
    description: patch.description ?? null,
    clientName: patch.clientName ?? null,
    clientAddress: patch.clientAddress ?? null,
    clientPhone: patch.clientPhone ?? null,
    setNotes: patch.notes !== undefined,
    notes: patch.notes ?? null,
    setScheduledAt: patch.scheduledAt !== undefined,
    scheduledAt: patch.scheduledAt ?? null,
    setScheduledNote: patch.scheduledNote !== undefined,
    scheduledNote: patch.scheduledNote ?? null,
    actorId,
    note: null,
    details,
  });
}

const softDeleteOrderQuery = defineQuery({
  name: 'orders.soft_delete_order',
  params: { id: 'int8', actorId: 'int8', note: 'text?', details: 'jsonb?' },
  columns: { id: 'int8' },
  text: `
WITH removed AS (
  UPDATE orders o SET deleted_at = now(), updated_at = now(), version = o.version + 1
  WHERE o.id = $1::int8 AND o.deleted_at IS NULL
  RETURNING new.*, old.status AS old_status
),
${orderEventCtes({ source: 'removed', action: 'order.delete', actor: 2, note: 3, details: 4 })}
SELECT id FROM removed`,
});

/** Marks an order deleted; false when there was nothing (visible) to delete. */
export async function softDeleteOrder(db: Queryable, id: number, actorId: number): Promise<boolean> {
  return (await db.maybeOne(softDeleteOrderQuery, { id, actorId, note: null, details: null })) !== null;
}

/** Columns of a history entry (also the API's response schema). */
export const ORDER_HISTORY_COLUMNS = {
  id: 'int8',
  old_status: 'order_status?',
  new_status: 'order_status',
  actor_id: 'int8?',
  actor_name: 'text?',
  changed_at: 'timestamptz',
  note: 'text?',
} as const;

const listOrderHistoryQuery = defineQuery({
  name: 'orders.list_order_history',
  params: { orderId: 'int8' },
  columns: ORDER_HISTORY_COLUMNS,
  text: `
SELECT h.id, h.old_status, h.new_status, h.actor_id, u.name AS actor_name, h.changed_at, h.note
FROM order_status_history h
LEFT JOIN users u ON u.id = h.actor_id
WHERE h.order_id = $1::int8
ORDER BY h.changed_at, h.id`,
});

export type OrderHistoryEntry = Awaited<ReturnType<typeof listOrderHistory>>[number];

export function listOrderHistory(db: Queryable, orderId: number) {
  return db.many(listOrderHistoryQuery, { orderId });
}
