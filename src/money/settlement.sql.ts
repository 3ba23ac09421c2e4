import type { Queryable } from '../db/database.ts';
import { defineQuery } from '../db/query.ts';
import { FEE_ROW, OWED } from './ledger.sql.ts';
import { required } from './required.ts';

/** A fee is awaiting hand-over until a settlement takes it. */
const FEE_OPEN = `${FEE_ROW} AND o.fee_handed_over_at IS NULL`;

const listOwedOrdersQuery = defineQuery({
  name: 'money.list_owed_orders',
  params: { masterId: 'int8', limit: 'int4' },
  columns: {
    id: 'int8',
    /** completed, or refusal_fee (a refused order whose fee is still with the master). */
    kind: 'text',
    completed_at: 'timestamptz?',
    equipment_type: 'text',
    client_address: 'text',
    total_amount: 'numeric?',
    company_profit: 'numeric?',
    prepayment_amount: 'numeric?',
    owed: 'numeric',
  },
  // A refusal's fee stands in for the total, its company share for the share, its time for the completion.
  text: `SELECT * FROM (
  SELECT o.id, 'completed' AS kind, o.completed_at, o.equipment_type, o.client_address, o.total_amount, o.company_profit, o.prepayment_amount, ${OWED} AS owed
  FROM orders o
  WHERE o.master_id = $1::int8 AND o.status = 'COMPLETED' AND o.deleted_at IS NULL
  UNION ALL
  SELECT o.id, 'refusal_fee', o.refused_at, o.equipment_type, o.client_address, o.refusal_fee, o.refusal_company_share, NULL, o.refusal_company_share
  FROM orders o
  WHERE o.master_id = $1::int8 AND ${FEE_OPEN}
) w
ORDER BY w.completed_at, w.id
LIMIT $2::int4`,
});

/** A master's orders not yet handed over (completed, refusals with a fee), oldest first. */
export async function listOwedOrders(db: Queryable, masterId: number, limit: number) {
  return required(await db.many(listOwedOrdersQuery, { masterId, limit }), ['completed_at', 'total_amount', 'company_profit'], listOwedOrdersQuery.name);
}

const settleOrdersQuery = defineQuery({
  name: 'money.settle_orders',
  params: { masterId: 'int8', orderIds: 'int8[]', actorId: 'int8' },
  columns: { id: 'int8', master_id: 'int8', orders: 'int4', corrections: 'int4', amount: 'numeric', settled_at: 'timestamptz' },
  // All or nothing: the settlement exists only when every listed order is a
  // COMPLETED order of this master or a refusal of theirs with a fee still
  // held (locked, so a concurrent close makes it miss). Differences of
  // corrections made after orders were closed go with every settlement.
  // One hand-over and one audit entry; each closed order gets its history row.
  text: `WITH picked AS (
  SELECT o.id, o.status, CASE WHEN o.status = 'REFUSED' THEN o.refusal_company_share ELSE ${OWED} END AS owed
  FROM orders o
  WHERE o.id = ANY ($2::int8[]) AND o.master_id = $1::int8 AND o.deleted_at IS NULL
    AND (o.status = 'COMPLETED' OR (${FEE_OPEN}))
  FOR UPDATE
), open_corrections AS (
  SELECT c.id, c.owed_delta FROM order_corrections c
  WHERE c.master_id = $1::int8 AND c.after_close AND c.settlement_id IS NULL
  FOR UPDATE
), settlement AS (
  INSERT INTO settlements (master_id, orders, amount, settled_by)
  SELECT $1::int8, (SELECT count(*) FROM picked),
    COALESCE((SELECT sum(p.owed) FROM picked p), 0) + COALESCE((SELECT sum(c.owed_delta) FROM open_corrections c), 0), $3::int8
  WHERE (SELECT count(*) FROM picked) = cardinality($2::int8[])
    AND (cardinality($2::int8[]) > 0 OR EXISTS (SELECT 1 FROM open_corrections))
  RETURNING id, master_id, orders, amount, settled_at
), closed AS (
  UPDATE orders o SET status = 'CLOSED', status_changed_at = now(), closed_at = now(), settlement_id = s.id,
    version = o.version + 1, updated_at = now()
  FROM settlement s
  WHERE o.id IN (SELECT p.id FROM picked p WHERE p.status = 'COMPLETED')
  RETURNING o.id, s.id AS settlement_id
), fees AS (
  UPDATE orders o SET fee_handed_over_at = now(), settlement_id = s.id, version = o.version + 1, updated_at = now()
  FROM settlement s
  WHERE o.id IN (SELECT p.id FROM picked p WHERE p.status = 'REFUSED')
), swept AS (
  UPDATE order_corrections c SET settlement_id = s.id
  FROM settlement s
  WHERE c.id IN (SELECT oc.id FROM open_corrections oc)
), history AS (
  INSERT INTO order_status_history (order_id, old_status, new_status, actor_id, note, changed_at)
  SELECT c.id, 'COMPLETED', 'CLOSED', $3::int8, 'settlement #' || c.settlement_id, clock_timestamp() FROM closed c
), audit AS (
  INSERT INTO audit_log (actor_id, action, entity_type, entity_id, details)
  SELECT $3::int8, 'settlement.create', 'settlement', s.id,
         jsonb_build_object('master_id', s.master_id, 'orders', s.orders, 'amount', s.amount, 'order_ids', $2::int8[],
                            'correction_ids', (SELECT COALESCE(jsonb_agg(oc.id ORDER BY oc.id), '[]'::jsonb) FROM open_corrections oc))
  FROM settlement s
)
SELECT s.id, s.master_id, s.orders, (SELECT count(*) FROM open_corrections)::int4 AS corrections, s.amount, s.settled_at FROM settlement s`,
});

/** Hands over these orders of one master (and their open correction differences); null when any order may not be. */
export function settleOrders(db: Queryable, masterId: number, orderIds: number[], actorId: number) {
  return db.maybeOne(settleOrdersQuery, { masterId, orderIds, actorId });
}
