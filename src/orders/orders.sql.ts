import type { Queryable } from '../db/database.ts';
import { defineQuery } from '../db/query.ts';
import type { OrderState } from './order-actions.ts';
import { FIELD_DECLS, ORDER_FIELD_NAMES, type NewOrder } from './order-fields.ts';
import { orderTrailCtes } from './order-trail.sql.ts';
import { ORDER_VIEW_COLUMNS, ORDER_VIEW_JOINS, ORDER_VIEW_SELECT, type OrderView } from './order-view.ts';

const INSERT_PARAMS = { ...FIELD_DECLS, actor_id: 'int8', note: 'text?', details: 'jsonb?' } as const;
const FIELD_COUNT = ORDER_FIELD_NAMES.length;

// Field names and types come from the declaration (constants), the values are $n parameters.
const insertOrderQuery = defineQuery({
  name: 'orders.insert_order',
  params: INSERT_PARAMS,
  columns: ORDER_VIEW_COLUMNS,
  text: `
WITH created AS (
  INSERT INTO orders (${ORDER_FIELD_NAMES.join(', ')}, dispatcher_id)
  VALUES (${ORDER_FIELD_NAMES.map((k, i) => `$${i + 1}::${FIELD_DECLS[k].replace('?', '')}`).join(', ')}, $${FIELD_COUNT + 1}::int8)
  RETURNING *, NULL::order_status AS old_status
),
${orderTrailCtes({ source: 'created', action: 'order.create', history: true, actor: FIELD_COUNT + 1, note: FIELD_COUNT + 2, details: FIELD_COUNT + 3 })}
SELECT ${ORDER_VIEW_SELECT}
FROM created o ${ORDER_VIEW_JOINS}`,
});

/** Inserts an order with its first history row and audit row, in one statement. */
export function insertOrder(db: Queryable, order: NewOrder, actorId: number): Promise<OrderView> {
  return db.one(insertOrderQuery, { ...order, actor_id: actorId, note: null, details: null });
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
  columns: { id: 'int8', status: 'order_status', master_id: 'int8?', version: 'int4', deleted: 'bool' },
  text: `
SELECT id, status, master_id, version, deleted_at IS NOT NULL AS deleted
FROM orders WHERE id = $1::int8`,
});

/** The bare state of an order, deleted or not: used to explain a refused change. */
export function findOrderState(db: Queryable, id: number): Promise<OrderState | null> {
  return db.maybeOne(findOrderStateQuery, { id });
}

const findFeeHandedOverQuery = defineQuery({
  name: 'orders.find_fee_handed_over',
  params: { id: 'int8' },
  columns: { handed_over: 'bool' },
  text: `SELECT fee_handed_over_at IS NOT NULL AS handed_over FROM orders WHERE id = $1::int8`,
});

/** Whether the order's refusal fee was handed over in a settlement (false for an unknown order). */
export async function feeHandedOver(db: Queryable, id: number): Promise<boolean> {
  return (await db.maybeOne(findFeeHandedOverQuery, { id }))?.handed_over ?? false;
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
