import type { Queryable } from '../db/database.ts';
import type { OrderStatus } from '../db/enums.ts';
import { defineQuery } from '../db/query.ts';
import type { NewOrder } from '../orders/order-fields.ts';
import { nullable } from './arrays.ts';

/** Orders from the legacy file, a batch per statement, each remembered by its legacy id. */

const insertOrdersQuery = defineQuery({
  name: 'importer.insert_orders',
  params: {
    legacyIds: 'int8[]',
    statuses: 'order_status[]',
    equipment: 'text[]',
    descriptions: 'text[]',
    clientNames: 'text[]',
    clientAddresses: 'text[]',
    clientPhones: 'text[]',
    notes: 'text[]',
    scheduledAt: 'timestamptz[]',
    scheduledNotes: 'text[]',
    dispatcherIds: 'int8[]',
    masterIds: 'int8[]',
    totals: 'numeric[]',
    materials: 'numeric[]',
    masterProfits: 'numeric[]',
    companyProfits: 'numeric[]',
    prepayments: 'numeric[]',
    hasReview: 'bool[]',
    outOfCity: 'bool[]',
    etas: 'date[]',
    rescheduleCounts: 'int4[]',
    rescheduleReasons: 'text[]',
    lastRescheduledAt: 'timestamptz[]',
    refuseReasons: 'text[]',
    createdAt: 'timestamptz[]',
    updatedAt: 'timestamptz[]',
    statusChangedAt: 'timestamptz[]',
    completedAt: 'timestamptz[]',
    closedAt: 'timestamptz[]',
    deletedAt: 'timestamptz[]',
    source: 'text',
    legacyRows: 'jsonb[]',
    fingerprints: 'text[]',
    refusalAmounts: 'numeric[]',
  },
  columns: { legacy_id: 'int8', order_id: 'int8' },
  // Ids are drawn first so the mapping row can be written in the same statement.
  text: `
WITH src AS MATERIALIZED (
  SELECT s.*, nextval((SELECT pg_get_serial_sequence('orders', 'id'))::regclass) AS order_id
  FROM unnest($1::int8[], $2::order_status[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[], $8::text[],
              $9::timestamptz[], $10::text[], $11::int8[], $12::int8[], $13::numeric[], $14::numeric[], $15::numeric[],
              $16::numeric[], $17::numeric[], $18::bool[], $19::bool[], $20::date[], $21::int4[], $22::text[],
              $23::timestamptz[], $24::text[], $25::timestamptz[], $26::timestamptz[], $27::timestamptz[],
              $28::timestamptz[], $29::timestamptz[], $30::timestamptz[], $32::jsonb[], $33::text[], $34::numeric[])
    AS s(legacy_id, status, equipment_type, description, client_name, client_address, client_phone, notes,
         scheduled_at, scheduled_note, dispatcher_id, master_id, total_amount, materials_cost, master_profit,
         company_profit, prepayment_amount, has_review, out_of_city, estimated_completion_date, reschedule_count,
         reschedule_reason, last_rescheduled_at, refuse_reason, created_at, updated_at, status_changed_at,
         completed_at, closed_at, deleted_at, legacy_row, fingerprint, refusal_amount)
),
inserted AS (
  INSERT INTO orders (id, status, equipment_type, description, client_name, client_address, client_phone, notes,
                      scheduled_at, scheduled_note, dispatcher_id, master_id, total_amount, materials_cost, master_profit,
                      company_profit, prepayment_amount, has_review, out_of_city, estimated_completion_date, reschedule_count,
                      reschedule_reason, last_rescheduled_at, refuse_reason, created_at, updated_at, status_changed_at,
                      completed_at, closed_at, deleted_at)
  OVERRIDING SYSTEM VALUE
  SELECT order_id, status, equipment_type, description, client_name, client_address, client_phone, notes,
         scheduled_at, scheduled_note, dispatcher_id, master_id, total_amount, materials_cost, master_profit,
         company_profit, prepayment_amount, has_review, out_of_city, estimated_completion_date, reschedule_count,
         reschedule_reason, last_rescheduled_at, refuse_reason, created_at, updated_at, status_changed_at,
         completed_at, closed_at, deleted_at
  FROM src
)
INSERT INTO legacy_orders (source, legacy_id, order_id, legacy_row, fingerprint, synced_version, refusal_amount)
SELECT $31::text, legacy_id, order_id, legacy_row, fingerprint, 1, refusal_amount FROM src
RETURNING legacy_id, order_id`,
});

/** A legacy order as imported: what a new order has, plus the state it had reached. */
export interface OrderRow extends NewOrder {
  legacyId: number;
  status: OrderStatus;
  dispatcherId: number | null;
  masterId: number | null;
  total: string | null;
  materials: string | null;
  masterProfit: string | null;
  companyProfit: string | null;
  prepayment: string | null;
  hasReview: boolean;
  outOfCity: boolean;
  eta: string | null;
  rescheduleCount: number;
  rescheduleReason: string | null;
  lastRescheduledAt: string | null;
  refuseReason: string | null;
  createdAt: string;
  updatedAt: string;
  statusChangedAt: string;
  completedAt: string | null;
  closedAt: string | null;
  deletedAt: string | null;
  legacyRow: unknown;
  fingerprint: string;
  /** The fee of a refusal with money, kept beside the order until orders carry one. */
  refusalAmount: string | null;
}

/** Inserts the batch; returns legacy id -> new order id. */
export async function insertOrders(db: Queryable, source: string, rows: OrderRow[]): Promise<Map<number, number>> {
  const result = await db.many(insertOrdersQuery, { ...orderParams(rows), source, fingerprints: rows.map((r) => r.fingerprint) });
  return new Map(result.map((r) => [r.legacy_id, r.order_id]));
}

/** The columns of a batch as the array parameters both statements take. */
function orderParams(rows: OrderRow[]) {
  const col = <K extends keyof OrderRow>(k: K) => rows.map((r) => r[k]);
  return {
    legacyIds: col('legacyId'),
    statuses: col('status'),
    equipment: col('equipment_type'),
    descriptions: col('description'),
    clientNames: col('client_name'),
    clientAddresses: col('client_address'),
    clientPhones: col('client_phone'),
    notes: nullable(col('notes')),
    scheduledAt: nullable(col('scheduled_at')),
    scheduledNotes: nullable(col('scheduled_note')),
    dispatcherIds: nullable(col('dispatcherId')),
    masterIds: nullable(col('masterId')),
    totals: nullable(col('total')),
    materials: nullable(col('materials')),
    masterProfits: nullable(col('masterProfit')),
    companyProfits: nullable(col('companyProfit')),
    prepayments: nullable(col('prepayment')),
    hasReview: col('hasReview'),
    outOfCity: col('outOfCity'),
    etas: nullable(col('eta')),
    rescheduleCounts: col('rescheduleCount'),
    rescheduleReasons: nullable(col('rescheduleReason')),
    lastRescheduledAt: nullable(col('lastRescheduledAt')),
    refuseReasons: nullable(col('refuseReason')),
    createdAt: col('createdAt'),
    updatedAt: col('updatedAt'),
    statusChangedAt: col('statusChangedAt'),
    completedAt: nullable(col('completedAt')),
    closedAt: nullable(col('closedAt')),
    deletedAt: nullable(col('deletedAt')),
    legacyRows: rows.map((r) => JSON.stringify(r.legacyRow)),
    refusalAmounts: nullable(col('refusalAmount')),
  };
}

const SET_COLUMNS = [
  'status',
  'equipment_type',
  'description',
  'client_name',
  'client_address',
  'client_phone',
  'notes',
  'scheduled_at',
  'scheduled_note',
  'dispatcher_id',
  'master_id',
  'total_amount',
  'materials_cost',
  'master_profit',
  'company_profit',
  'prepayment_amount',
  'has_review',
  'out_of_city',
  'estimated_completion_date',
  'reschedule_count',
  'reschedule_reason',
  'last_rescheduled_at',
  'refuse_reason',
  'updated_at',
  'status_changed_at',
  'completed_at',
  'closed_at',
  'deleted_at',
] as const;

const updateOrdersQuery = defineQuery({
  name: 'importer.update_orders',
  params: {
    ...insertOrdersQuery.params,
    orderIds: 'int8[]',
    expectedVersions: 'int4[]',
  },
  columns: { legacy_id: 'int8', order_id: 'int8' },
  // Only an order nobody changed in the new system since the last import
  // (its version as the import left it); the mapping remembers the new state.
  text: `
WITH src AS MATERIALIZED (
  SELECT * FROM unnest($1::int8[], $2::order_status[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[], $8::text[],
              $9::timestamptz[], $10::text[], $11::int8[], $12::int8[], $13::numeric[], $14::numeric[], $15::numeric[],
              $16::numeric[], $17::numeric[], $18::bool[], $19::bool[], $20::date[], $21::int4[], $22::text[],
              $23::timestamptz[], $24::text[], $25::timestamptz[], $26::timestamptz[], $27::timestamptz[],
              $28::timestamptz[], $29::timestamptz[], $30::timestamptz[], $32::jsonb[], $33::text[], $34::numeric[],
              $35::int8[], $36::int4[])
    AS s(legacy_id, status, equipment_type, description, client_name, client_address, client_phone, notes,
         scheduled_at, scheduled_note, dispatcher_id, master_id, total_amount, materials_cost, master_profit,
         company_profit, prepayment_amount, has_review, out_of_city, estimated_completion_date, reschedule_count,
         reschedule_reason, last_rescheduled_at, refuse_reason, created_at, updated_at, status_changed_at,
         completed_at, closed_at, deleted_at, legacy_row, fingerprint, refusal_amount, order_id, expected_version)
),
updated AS (
  UPDATE orders o SET ${SET_COLUMNS.map((c) => `${c} = s.${c}`).join(', ')}, version = o.version + 1
  FROM src s
  WHERE o.id = s.order_id AND o.version = s.expected_version
  RETURNING s.legacy_id, o.id AS order_id, o.version
),
mapped AS (
  UPDATE legacy_orders l
  SET legacy_row = s.legacy_row, fingerprint = s.fingerprint, synced_version = u.version, refusal_amount = s.refusal_amount
  FROM updated u JOIN src s ON s.legacy_id = u.legacy_id
  WHERE l.source = $31::text AND l.legacy_id = u.legacy_id
)
SELECT legacy_id, order_id FROM updated`,
});

/** Rewrites orders from a later snapshot; returns legacy id -> order id of those written (the rest changed meanwhile). */
export async function updateOrders(
  db: Queryable,
  source: string,
  rows: Array<OrderRow & { orderId: number; expectedVersion: number }>,
): Promise<Map<number, number>> {
  if (rows.length === 0) return new Map();
  const result = await db.many(updateOrdersQuery, {
    ...orderParams(rows),
    source,
    fingerprints: rows.map((r) => r.fingerprint),
    orderIds: rows.map((r) => r.orderId),
    expectedVersions: rows.map((r) => r.expectedVersion),
  });
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
  text: `SELECT legacy_id, legacy_row FROM legacy_orders WHERE source = $1::text AND legacy_id = ANY ($2::int8[])`,
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
