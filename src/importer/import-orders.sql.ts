import type { Queryable } from '../db/database.ts';
import { defineQuery } from '../db/query.ts';
import { jsonArray } from './arrays.ts';
import { columnBatch, columnValues } from './column-arrays.ts';
import type { ParamsOf } from '../db/types.ts';
import { FIELD_DECLS, ORDER_FIELD_NAMES, type NewOrder } from '../orders/order-fields.ts';

/**
 * Orders from the legacy file, a batch per statement, each remembered by its
 * legacy id. A batch of new orders travels as one array per column
 * (column-arrays.ts); a later snapshot's few updates as one JSON array of
 * rows (json_to_recordset). The column lists below derive from the order's declared fields
 * (ORDER_FIELDS) plus the state a legacy order had reached: a field added to
 * the order domain is inserted here too, and the mapper must supply it
 * (OrderRow extends NewOrder), so the compiler points at map-order.ts.
 */

/** What a legacy order carries beyond the fields a person gives an order: the state it reached, and its legacy identity. */
const STATE_DECLS = {
  status: 'order_status',
  dispatcher_id: 'int8?',
  master_id: 'int8?',
  total_amount: 'numeric?',
  materials_cost: 'numeric?',
  master_profit: 'numeric?',
  company_profit: 'numeric?',
  prepayment_amount: 'numeric?',
  has_review: 'bool',
  out_of_city: 'bool',
  estimated_completion_date: 'date?',
  reschedule_count: 'int4',
  reschedule_reason: 'text?',
  last_rescheduled_at: 'timestamptz?',
  refuse_reason: 'text?',
  created_at: 'timestamptz',
  updated_at: 'timestamptz',
  status_changed_at: 'timestamptz',
  completed_at: 'timestamptz?',
  closed_at: 'timestamptz?',
  deleted_at: 'timestamptz?',
  refused_at: 'timestamptz?',
  refusal_fee: 'numeric?',
  refusal_master_share: 'numeric?',
  refusal_company_share: 'numeric?',
  fee_handed_over_at: 'timestamptz?',
} as const;

/** Kept beside the order in legacy_orders. */
const LEGACY_DECLS = {
  legacy_id: 'int8',
  fingerprint: 'text',
  /** The fee of a refusal with money as the legacy file had it (the order carries it as refusal_fee too). */
  refusal_amount: 'numeric?',
} as const;

/** A legacy order as imported: what a new order has, plus the state it had reached; keys are the columns. */
export type OrderRow = NewOrder &
  ParamsOf<typeof STATE_DECLS> &
  ParamsOf<typeof LEGACY_DECLS> & {
    /** The legacy row kept whole, as JSON text: stringified once, for its fingerprint too, and nested as a string. */
    legacy_row: string;
  };

/** Columns of orders the import writes, in statement order: the declared fields, then the state. */
export const ORDER_COLUMNS: readonly string[] = [...ORDER_FIELD_NAMES, ...Object.keys(STATE_DECLS)];
const RECORD_DECLS = { ...FIELD_DECLS, ...STATE_DECLS, ...LEGACY_DECLS, legacy_row: 'text' } as const;
// json_to_recordset's column definitions, e.g. "client_phone text, master_id int8": names and types only, no values.
const RECORD_COLUMNS = Object.entries(RECORD_DECLS)
  .map(([name, decl]) => `${name} ${decl.replace('?', '')}`)
  .join(', ');
const ORDER_LIST = ORDER_COLUMNS.join(', ');

// The legacy rows travel apart, as one JSON array of them (below).
const { legacy_row: _legacyRow, ...COLUMN_DECLS } = RECORD_DECLS;
const INSERT_BATCH = columnBatch(COLUMN_DECLS, 2);

const insertOrdersQuery = defineQuery({
  name: 'importer.insert_orders',
  params: { source: 'text', ...INSERT_BATCH.params, legacyRows: 'text' },
  columns: { legacy_id: 'int8', order_id: 'int8' },
  // Ids are drawn first so the mapping row can be written in the same
  // statement. ROWS FROM zips the columns' arrays and the legacy rows in
  // step. The legacy rows are already JSON texts: joined into one array
  // they are lexed once and never escaped, where a text[] element had every
  // quote escaped and unescaped, then was checked as json again (measured
  // on a 500-order batch: 4.0 ms against 8.3 ms on the server).
  text: `
WITH src AS MATERIALIZED (
  SELECT s.*, nextval((SELECT pg_get_serial_sequence('orders', 'id'))::regclass) AS order_id
  FROM ROWS FROM (${INSERT_BATCH.rowsFromArgs}, json_array_elements($${INSERT_BATCH.nextParam}::text::json)) AS s(${INSERT_BATCH.names}, legacy_row)
),
inserted AS (
  INSERT INTO orders (id, ${ORDER_LIST}) OVERRIDING SYSTEM VALUE
  SELECT order_id, ${ORDER_LIST} FROM src
)
INSERT INTO legacy_orders (source, legacy_id, order_id, legacy_row, fingerprint, synced_version, refusal_amount)
SELECT $1::text, legacy_id, order_id, legacy_row, fingerprint, 1, refusal_amount FROM src
RETURNING legacy_id, order_id`,
});

/** A batch of new orders as the statement takes it: built while the batch before is being written. */
export type PreparedOrders = ReturnType<typeof prepareOrders>;

export function prepareOrders(rows: OrderRow[]) {
  return { ...columnValues(INSERT_BATCH, rows), legacyRows: `[${rows.map((r) => r.legacy_row).join(',')}]` };
}

/** Inserts the batch; returns legacy id -> new order id. */
export async function insertOrders(db: Queryable, source: string, batch: PreparedOrders): Promise<Map<number, number>> {
  const result = await db.many(insertOrdersQuery, { source, ...batch });
  return new Map(result.map((r) => [r.legacy_id, r.order_id]));
}

// Every column but the creation time, which a later snapshot cannot move.
const SET_LIST = ORDER_COLUMNS.filter((c) => c !== 'created_at')
  .map((c) => `${c} = s.${c}`)
  .join(', ');

const updateOrdersQuery = defineQuery({
  name: 'importer.update_orders',
  params: { rows: 'text', source: 'text' },
  columns: { legacy_id: 'int8', order_id: 'int8' },
  // Only an order nobody changed in the new system since the last import
  // (its version as the import left it); the mapping remembers the new state.
  text: `
WITH src AS MATERIALIZED (
  SELECT * FROM json_to_recordset($1::text::json) AS s(${RECORD_COLUMNS}, order_id int8, expected_version int4)
),
updated AS (
  UPDATE orders o SET ${SET_LIST}, version = o.version + 1
  FROM src s
  WHERE o.id = s.order_id AND o.version = s.expected_version
  RETURNING s.legacy_id, o.id AS order_id, o.version
),
mapped AS (
  UPDATE legacy_orders l
  SET legacy_row = s.legacy_row::json, fingerprint = s.fingerprint, synced_version = u.version, refusal_amount = s.refusal_amount
  FROM updated u JOIN src s ON s.legacy_id = u.legacy_id
  WHERE l.source = $2::text AND l.legacy_id = u.legacy_id
)
SELECT legacy_id, order_id FROM updated`,
});

/** Rewrites orders from a later snapshot; returns legacy id -> order id of those written (the rest changed meanwhile). */
export async function updateOrders(
  db: Queryable,
  source: string,
  rows: Array<OrderRow & { order_id: number; expected_version: number }>,
): Promise<Map<number, number>> {
  if (rows.length === 0) return new Map();
  const result = await db.many(updateOrdersQuery, { rows: jsonArray(rows), source });
  return new Map(result.map((r) => [r.legacy_id, r.order_id]));
}

const listImportedOrdersQuery = defineQuery({
  name: 'importer.list_imported_orders',
  params: { source: 'text', legacyIds: 'int8[]' },
  columns: { legacy_id: 'int8', order_id: 'int8', fingerprint: 'text?', synced_version: 'int4?', version: 'int4' },
  text: `
SELECT l.legacy_id, l.order_id, l.fingerprint, l.synced_version, o.version
FROM legacy_orders l JOIN orders o ON o.id = l.order_id
WHERE l.source = $1::text AND l.legacy_id = ANY ($2::int8[])`,
});

/** What an earlier import left of these legacy orders: to tell unchanged, changed and conflicting ones apart. */
export async function listImportedOrders(db: Queryable, source: string, legacyIds: number[]) {
  return new Map((await db.many(listImportedOrdersQuery, { source, legacyIds })).map((r) => [r.legacy_id, r]));
}

const listLegacyOrderRowsQuery = defineQuery({
  name: 'importer.list_legacy_order_rows',
  params: { source: 'text', legacyIds: 'int8[]' },
  columns: { legacy_id: 'int8', legacy_row: 'jsonb?' },
  text: `SELECT legacy_id, legacy_row::jsonb AS legacy_row FROM legacy_orders WHERE source = $1::text AND legacy_id = ANY ($2::int8[])`,
});

/** The legacy rows an earlier import kept, for the orders a later snapshot changed (to name the changed columns). */
export async function listLegacyOrderRows(db: Queryable, source: string, legacyIds: number[]): Promise<Map<number, Record<string, unknown> | null>> {
  if (legacyIds.length === 0) return new Map();
  const rows = await db.many(listLegacyOrderRowsQuery, { source, legacyIds });
  return new Map(rows.map((r) => [r.legacy_id, r.legacy_row as Record<string, unknown> | null]));
}

const appendStatusCatchUpQuery = defineQuery({
  name: 'importer.append_status_catch_up',
  params: { orderIds: 'int8[]', changedAt: 'timestamptz', note: 'text' },
  columns: { count: 'int8' },
  // An order's status equals its latest history row: where the snapshot's
  // history does not say how it got there, one row of the import's says it.
  text: `
WITH latest AS (
  SELECT o.id, o.status, h.new_status, h.changed_at
  FROM orders o
  LEFT JOIN LATERAL (
    SELECT new_status, changed_at FROM order_status_history
    WHERE order_id = o.id ORDER BY changed_at DESC, id DESC LIMIT 1
  ) h ON true
  WHERE o.id = ANY ($1::int8[])
),
inserted AS (
  INSERT INTO order_status_history (order_id, old_status, new_status, actor_id, changed_at, note)
  SELECT id, new_status, status, NULL, GREATEST($2::timestamptz, changed_at), $3::text
  FROM latest WHERE new_status IS DISTINCT FROM status
  RETURNING 1
)
SELECT count(*) AS count FROM inserted`,
});

export async function appendStatusCatchUp(db: Queryable, orderIds: number[], changedAt: string, note: string): Promise<number> {
  if (orderIds.length === 0) return 0;
  return (await db.one(appendStatusCatchUpQuery, { orderIds, changedAt, note })).count;
}
