import type { Queryable } from '../db/database.ts';
import { defineQuery } from '../db/query.ts';
import { required } from './required.ts';

/**
 * What each master owes the company, read from the orders themselves: a
 * completed order adds its company share less the prepayment the company
 * took; closing it (alone, or in a settlement of several) hands that over.
 * A ledger derived from the orders cannot drift from them, and a balance at
 * any moment is the orders completed by then and not yet closed.
 */
const OWED = `(o.company_profit - COALESCE(o.prepayment_amount, 0))`;
const SENIOR = `EXISTS (SELECT 1 FROM user_roles sr WHERE sr.user_id = m.user_id AND sr.role = 'SENIOR_MASTER')`;

const BALANCE_COLUMNS = { master_id: 'int8', master_name: 'text', senior: 'bool', orders: 'int4', owed: 'numeric' } as const;

const listOwedNowQuery = defineQuery({
  name: 'money.list_owed_now',
  params: { masterId: 'int8?' },
  columns: BALANCE_COLUMNS,
  // Now is the common case: COMPLETED orders on the (master, status) index.
  text: `SELECT m.id AS master_id, u.name AS master_name, ${SENIOR} AS senior, b.orders, b.owed
FROM masters m
JOIN users u ON u.id = m.user_id
CROSS JOIN LATERAL (
  SELECT count(*)::int4 AS orders, COALESCE(sum(${OWED}), 0)::numeric AS owed
  FROM orders o WHERE o.master_id = m.id AND o.status = 'COMPLETED' AND o.deleted_at IS NULL
) b
WHERE ($1::int8 IS NULL OR m.id = $1::int8) AND m.deleted_at IS NULL AND b.orders > 0
ORDER BY b.owed DESC, m.id`,
});

/** Per master with anything owed now: how many orders and how much (one master when given). */
export function listOwedNow(db: Queryable, masterId: number | null) {
  return db.many(listOwedNowQuery, { masterId });
}

const listBalancesAtQuery = defineQuery({
  name: 'money.list_balances_at',
  params: { at: 'timestamptz', masterId: 'int8?' },
  columns: BALANCE_COLUMNS,
  text: `SELECT m.id AS master_id, u.name AS master_name, ${SENIOR} AS senior, b.orders, b.owed
FROM masters m
JOIN users u ON u.id = m.user_id
CROSS JOIN LATERAL (
  SELECT count(*)::int4 AS orders, COALESCE(sum(${OWED}), 0)::numeric AS owed
  FROM orders o
  WHERE o.master_id = m.id AND o.completed_at IS NOT NULL AND o.deleted_at IS NULL
    AND o.completed_at < $1::timestamptz AND (o.closed_at IS NULL OR o.closed_at >= $1::timestamptz)
) b
WHERE ($2::int8 IS NULL OR m.id = $2::int8) AND b.orders > 0
ORDER BY b.owed DESC, m.id`,
});

/** Per master: what was owed as the moment began (completed before it, not closed before it). */
export function listBalancesAt(db: Queryable, at: string, masterId: number | null) {
  return db.many(listBalancesAtQuery, { at, masterId });
}

const listLedgerEntriesQuery = defineQuery({
  name: 'money.list_ledger_entries',
  params: { masterId: 'int8', from: 'timestamptz', to: 'timestamptz' },
  columns: { kind: 'text', at: 'timestamptz', order_id: 'int8?', settlement_id: 'int8?', orders: 'int4', amount: 'numeric' },
  // A settlement of several orders is one hand-over; an order closed on its own is one too.
  text: `SELECT e.kind, e.at, e.order_id, e.settlement_id, e.orders, e.amount FROM (
  SELECT 'completed' AS kind, o.completed_at AS at, o.id AS order_id, NULL::int8 AS settlement_id, 1 AS orders, ${OWED} AS amount
  FROM orders o
  WHERE o.master_id = $1::int8 AND o.completed_at IS NOT NULL AND o.deleted_at IS NULL
    AND o.completed_at >= $2::timestamptz AND o.completed_at < $3::timestamptz
  UNION ALL
  SELECT 'handed_over', min(o.closed_at), CASE WHEN o.settlement_id IS NULL THEN min(o.id) END, o.settlement_id, count(*)::int4, -sum(${OWED})
  FROM orders o
  WHERE o.master_id = $1::int8 AND o.completed_at IS NOT NULL AND o.deleted_at IS NULL
    AND o.completed_at < $3::timestamptz AND o.closed_at >= $2::timestamptz AND o.closed_at < $3::timestamptz
  GROUP BY o.settlement_id, CASE WHEN o.settlement_id IS NULL THEN o.id END
) e
ORDER BY e.at, e.kind, e.order_id`,
});

/** A master's ledger over [from, to): completions (+) and hand-overs (-), in time order. */
export function listLedgerEntries(db: Queryable, masterId: number, from: string, to: string) {
  return db.many(listLedgerEntriesQuery, { masterId, from, to });
}

const listOwedOrdersQuery = defineQuery({
  name: 'money.list_owed_orders',
  params: { masterId: 'int8', limit: 'int4' },
  columns: {
    id: 'int8',
    completed_at: 'timestamptz?',
    equipment_type: 'text',
    client_address: 'text',
    total_amount: 'numeric?',
    company_profit: 'numeric?',
    prepayment_amount: 'numeric?',
    owed: 'numeric',
  },
  text: `SELECT o.id, o.completed_at, o.equipment_type, o.client_address, o.total_amount, o.company_profit, o.prepayment_amount, ${OWED} AS owed
FROM orders o
WHERE o.master_id = $1::int8 AND o.status = 'COMPLETED' AND o.deleted_at IS NULL
ORDER BY o.completed_at, o.id
LIMIT $2::int4`,
});

/** A master's completed orders not yet handed over, oldest first. */
export async function listOwedOrders(db: Queryable, masterId: number, limit: number) {
  return required(await db.many(listOwedOrdersQuery, { masterId, limit }), ['completed_at', 'total_amount', 'company_profit'], listOwedOrdersQuery.name);
}

const sumEarnedQuery = defineQuery({
  name: 'money.sum_master_earned',
  params: { masterId: 'int8', from: 'timestamptz', to: 'timestamptz' },
  columns: { orders: 'int4', earned: 'numeric' },
  text: `SELECT count(*)::int4 AS orders, COALESCE(sum(o.master_profit), 0)::numeric AS earned
FROM orders o
WHERE o.master_id = $1::int8 AND o.completed_at IS NOT NULL AND o.deleted_at IS NULL
  AND o.completed_at >= $2::timestamptz AND o.completed_at < $3::timestamptz`,
});

/** What a master earned on orders completed in [from, to), settled or not. */
export function sumEarned(db: Queryable, masterId: number, from: string, to: string) {
  return db.one(sumEarnedQuery, { masterId, from, to });
}

const settleOrdersQuery = defineQuery({
  name: 'money.settle_orders',
  params: { masterId: 'int8', orderIds: 'int8[]', actorId: 'int8' },
  columns: { id: 'int8', master_id: 'int8', orders: 'int4', amount: 'numeric', settled_at: 'timestamptz' },
  // All or nothing: the settlement exists only when every listed order is a
  // COMPLETED order of this master (locked, so a concurrent close makes it miss).
  // One hand-over and one audit entry; each order still gets its history row.
  text: `WITH picked AS (
  SELECT o.id, ${OWED} AS owed
  FROM orders o
  WHERE o.id = ANY ($2::int8[]) AND o.master_id = $1::int8 AND o.status = 'COMPLETED' AND o.deleted_at IS NULL
  FOR UPDATE
), settlement AS (
  INSERT INTO settlements (master_id, orders, amount, settled_by)
  SELECT $1::int8, count(*), sum(p.owed), $3::int8 FROM picked p
  HAVING count(*) = cardinality($2::int8[])
  RETURNING id, master_id, orders, amount, settled_at
), closed AS (
  UPDATE orders o SET status = 'CLOSED', status_changed_at = now(), closed_at = now(), settlement_id = s.id,
    version = o.version + 1, updated_at = now()
  FROM settlement s
  WHERE o.id IN (SELECT p.id FROM picked p)
  RETURNING o.id, s.id AS settlement_id
), history AS (
  INSERT INTO order_status_history (order_id, old_status, new_status, actor_id, note, changed_at)
  SELECT c.id, 'COMPLETED', 'CLOSED', $3::int8, 'settlement #' || c.settlement_id, clock_timestamp() FROM closed c
), audit AS (
  INSERT INTO audit_log (actor_id, action, entity_type, entity_id, details)
  SELECT $3::int8, 'settlement.create', 'settlement', s.id,
         jsonb_build_object('master_id', s.master_id, 'orders', s.orders, 'amount', s.amount, 'order_ids', $2::int8[])
  FROM settlement s
)
SELECT s.id, s.master_id, s.orders, s.amount, s.settled_at FROM settlement s`,
});

/** Closes these orders of one master as one hand-over; null when any is not a COMPLETED order of theirs. */
export function settleOrders(db: Queryable, masterId: number, orderIds: number[], actorId: number) {
  return db.maybeOne(settleOrdersQuery, { masterId, orderIds, actorId });
}
