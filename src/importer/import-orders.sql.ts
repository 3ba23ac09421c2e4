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
  },
  columns: { legacy_id: 'int8', order_id: 'int8' },
  // Ids are drawn first so the mapping row can be written in the same statement.
  text: `
WITH src AS MATERIALIZED (
  SELECT s.*, nextval(pg_get_serial_sequence('orders', 'id')) AS order_id
  FROM unnest($1::int8[], $2::order_status[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[], $8::text[],
              $9::timestamptz[], $10::text[], $11::int8[], $12::int8[], $13::numeric[], $14::numeric[], $15::numeric[],
              $16::numeric[], $17::numeric[], $18::bool[], $19::bool[], $20::date[], $21::int4[], $22::text[],
              $23::timestamptz[], $24::text[], $25::timestamptz[], $26::timestamptz[], $27::timestamptz[],
              $28::timestamptz[], $29::timestamptz[])
    AS s(legacy_id, status, equipment_type, description, client_name, client_address, client_phone, notes,
         scheduled_at, scheduled_note, dispatcher_id, master_id, total_amount, materials_cost, master_profit,
         company_profit, prepayment_amount, has_review, out_of_city, estimated_completion_date, reschedule_count,
         reschedule_reason, last_rescheduled_at, refuse_reason, created_at, updated_at, status_changed_at,
         completed_at, closed_at)
),
inserted AS (
  INSERT INTO orders (id, status, equipment_type, description, client_name, client_address, client_phone, notes,
                      scheduled_at, scheduled_note, dispatcher_id, master_id, total_amount, materials_cost, master_profit,
                      company_profit, prepayment_amount, has_review, out_of_city, estimated_completion_date, reschedule_count,
                      reschedule_reason, last_rescheduled_at, refuse_reason, created_at, updated_at, status_changed_at,
                      completed_at, closed_at)
  OVERRIDING SYSTEM VALUE
  SELECT order_id, status, equipment_type, description, client_name, client_address, client_phone, notes,
         scheduled_at, scheduled_note, dispatcher_id, master_id, total_amount, materials_cost, master_profit,
         company_profit, prepayment_amount, has_review, out_of_city, estimated_completion_date, reschedule_count,
         reschedule_reason, last_rescheduled_at, refuse_reason, created_at, updated_at, status_changed_at,
         completed_at, closed_at
  FROM src
)
INSERT INTO legacy_orders (legacy_id, order_id)
SELECT legacy_id, order_id FROM src
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
}

/** Inserts the batch; returns legacy id -> new order id. */
export async function insertOrders(db: Queryable, rows: OrderRow[]): Promise<Map<number, number>> {
  const col = <K extends keyof OrderRow>(k: K) => rows.map((r) => r[k]);
  const result = await db.many(insertOrdersQuery, {
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
  });
  return new Map(result.map((r) => [r.legacy_id, r.order_id]));
}
