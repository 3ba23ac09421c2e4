import type { Queryable } from '../db/database.ts';
import { defineQuery } from '../db/query.ts';

/**
 * What each master owes the company, read from the orders themselves plus
 * the corrections made after completion: a completed order adds its company
 * share less the prepayment the company took; a refusal with a fee adds the
 * company's share of the fee; a correction adds its difference; closing an
 * order, or a settlement of several, hands that over. A ledger derived from
 * the orders cannot drift from them, and a balance at any moment is what was
 * booked by then and not yet handed over.
 */
// The fragments below are fixed text (no values, no arguments) shared by
// several queries, so that what a master owes is written once.
export const OWED = `(o.company_profit - COALESCE(o.prepayment_amount, 0))`;
/** A refusal's fee whose company share is still with the master (or was at some moment). */
export const FEE_ROW = `o.refusal_fee IS NOT NULL AND o.status = 'REFUSED' AND o.deleted_at IS NULL`;
const SENIOR = `EXISTS (SELECT 1 FROM user_roles sr WHERE sr.user_id = m.user_id AND sr.role = 'SENIOR_MASTER')`;
/**
 * Differences of an order's corrections made at or after a moment: its share
 * carries them, the moment did not. Two plain constants, one per moment (the
 * balance's $1, the order's completion), rather than one built per call, so
 * every query's text can be read whole here.
 */
const CORRECTED_SINCE_AT = `COALESCE((SELECT sum(c.owed_delta) FROM order_corrections c WHERE c.order_id = o.id AND c.corrected_at >= $1::timestamptz), 0)`;
const CORRECTED_SINCE_COMPLETION = `COALESCE((SELECT sum(c.owed_delta) FROM order_corrections c WHERE c.order_id = o.id AND c.corrected_at >= o.completed_at), 0)`;

const BALANCE_COLUMNS = { master_id: 'int8', master_name: 'text', senior: 'bool', orders: 'int4', owed: 'numeric' } as const;

const listOwedNowQuery = defineQuery({
  name: 'money.list_owed_now',
  params: { masterId: 'int8?' },
  columns: BALANCE_COLUMNS,
  // Now is the common case: COMPLETED orders on the (master, status) index.
  text: `SELECT m.id AS master_id, u.name AS master_name, ${SENIOR} AS senior, (x.n + f.n)::int4 AS orders, (x.owed + f.owed + c.owed)::numeric AS owed
FROM masters m
JOIN users u ON u.id = m.user_id
CROSS JOIN LATERAL (
  SELECT count(*) AS n, COALESCE(sum(${OWED}), 0) AS owed
  FROM orders o WHERE o.master_id = m.id AND o.status = 'COMPLETED' AND o.deleted_at IS NULL
) x
CROSS JOIN LATERAL (
  SELECT count(*) AS n, COALESCE(sum(o.refusal_company_share), 0) AS owed
  FROM orders o WHERE o.master_id = m.id AND ${FEE_ROW} AND o.fee_handed_over_at IS NULL
) f
CROSS JOIN LATERAL (
  SELECT count(*) AS n, COALESCE(sum(c.owed_delta), 0) AS owed
  FROM order_corrections c WHERE c.master_id = m.id AND c.after_close AND c.settlement_id IS NULL
) c
WHERE ($1::int8 IS NULL OR m.id = $1::int8) AND m.deleted_at IS NULL AND x.n + f.n + c.n > 0
ORDER BY 5 DESC, m.id`,
});

/** Per master with anything owed now: how many orders and how much (one master when given). */
export function listOwedNow(db: Queryable, masterId: number | null) {
  return db.many(listOwedNowQuery, { masterId });
}

const listBalancesAtQuery = defineQuery({
  name: 'money.list_balances_at',
  params: { at: 'timestamptz', masterId: 'int8?' },
  columns: BALANCE_COLUMNS,
  text: `SELECT m.id AS master_id, u.name AS master_name, ${SENIOR} AS senior, (x.n + f.n)::int4 AS orders, (x.owed + f.owed + c.owed)::numeric AS owed
FROM masters m
JOIN users u ON u.id = m.user_id
CROSS JOIN LATERAL (
  SELECT count(*) AS n, COALESCE(sum(${OWED} - ${CORRECTED_SINCE_AT}), 0) AS owed
  FROM orders o
  WHERE o.master_id = m.id AND o.completed_at IS NOT NULL AND o.deleted_at IS NULL
    AND o.completed_at < $1::timestamptz AND (o.closed_at IS NULL OR o.closed_at >= $1::timestamptz)
) x
CROSS JOIN LATERAL (
  SELECT count(*) AS n, COALESCE(sum(o.refusal_company_share), 0) AS owed
  FROM orders o
  WHERE o.master_id = m.id AND ${FEE_ROW}
    AND o.refused_at < $1::timestamptz AND (o.fee_handed_over_at IS NULL OR o.fee_handed_over_at >= $1::timestamptz)
) f
CROSS JOIN LATERAL (
  SELECT count(*) AS n, COALESCE(sum(c.owed_delta), 0) AS owed
  FROM order_corrections c LEFT JOIN settlements s ON s.id = c.settlement_id
  WHERE c.master_id = m.id AND c.after_close AND c.corrected_at < $1::timestamptz AND (s.id IS NULL OR s.settled_at >= $1::timestamptz)
) c
WHERE ($2::int8 IS NULL OR m.id = $2::int8) AND x.n + f.n + c.n > 0
ORDER BY 5 DESC, m.id`,
});

/** Per master: what was owed as the moment began (booked before it, not handed over before it). */
export function listBalancesAt(db: Queryable, at: string, masterId: number | null) {
  return db.many(listBalancesAtQuery, { at, masterId });
}

const listLedgerEntriesQuery = defineQuery({
  name: 'money.list_ledger_entries',
  params: { masterId: 'int8', from: 'timestamptz', to: 'timestamptz' },
  columns: { kind: 'text', at: 'timestamptz', order_id: 'int8?', settlement_id: 'int8?', orders: 'int4', amount: 'numeric' },
  // A completion is booked as it was (later corrections are entries of their
  // own); a settlement is one hand-over of what it recorded; an order closed
  // on its own hands over what it carried then (not corrections made after).
  text: `SELECT e.kind, e.at, e.order_id, e.settlement_id, e.orders, e.amount FROM (
  SELECT 'completed' AS kind, o.completed_at AS at, o.id AS order_id, NULL::int8 AS settlement_id, 1 AS orders,
    ${OWED} - ${CORRECTED_SINCE_COMPLETION} AS amount
  FROM orders o
  WHERE o.master_id = $1::int8 AND o.completed_at IS NOT NULL AND o.deleted_at IS NULL
    AND o.completed_at >= $2::timestamptz AND o.completed_at < $3::timestamptz
  UNION ALL
  SELECT 'refusal_fee', o.refused_at, o.id, NULL, 1, o.refusal_company_share
  FROM orders o
  WHERE o.master_id = $1::int8 AND ${FEE_ROW} AND o.refused_at >= $2::timestamptz AND o.refused_at < $3::timestamptz
  UNION ALL
  SELECT 'correction', c.corrected_at, c.order_id, NULL, 0, c.owed_delta
  FROM order_corrections c
  WHERE c.master_id = $1::int8 AND c.corrected_at >= $2::timestamptz AND c.corrected_at < $3::timestamptz
  UNION ALL
  SELECT 'handed_over', o.closed_at, o.id, NULL, 1,
    -(${OWED} - COALESCE((SELECT sum(c.owed_delta) FROM order_corrections c WHERE c.order_id = o.id AND c.after_close), 0))
  FROM orders o
  WHERE o.master_id = $1::int8 AND o.settlement_id IS NULL AND o.completed_at IS NOT NULL AND o.deleted_at IS NULL
    AND o.closed_at >= $2::timestamptz AND o.closed_at < $3::timestamptz
  UNION ALL
  SELECT 'handed_over', s.settled_at, NULL, s.id, s.orders, -s.amount
  FROM settlements s
  WHERE s.master_id = $1::int8 AND s.settled_at >= $2::timestamptz AND s.settled_at < $3::timestamptz
) e
ORDER BY e.at, e.kind, e.order_id`,
});

/** A master's ledger over [from, to): completions, fees and corrections (+/-), hand-overs (-), in time order. */
export function listLedgerEntries(db: Queryable, masterId: number, from: string, to: string) {
  return db.many(listLedgerEntriesQuery, { masterId, from, to });
}

const sumEarnedQuery = defineQuery({
  name: 'money.sum_master_earned',
  params: { masterId: 'int8', from: 'timestamptz', to: 'timestamptz' },
  columns: { orders: 'int4', earned: 'numeric' },
  // The master's share of refusal fees is earned too.
  text: `SELECT (x.n + f.n)::int4 AS orders, (x.earned + f.earned)::numeric AS earned
FROM (
  SELECT count(*) AS n, COALESCE(sum(o.master_profit), 0) AS earned
  FROM orders o
  WHERE o.master_id = $1::int8 AND o.completed_at IS NOT NULL AND o.deleted_at IS NULL
    AND o.completed_at >= $2::timestamptz AND o.completed_at < $3::timestamptz
) x, (
  SELECT count(*) AS n, COALESCE(sum(o.refusal_master_share), 0) AS earned
  FROM orders o
  WHERE o.master_id = $1::int8 AND ${FEE_ROW} AND o.refused_at >= $2::timestamptz AND o.refused_at < $3::timestamptz
) f`,
});

/** What a master earned on orders completed (and fees taken) in [from, to), settled or not. */
export function sumEarned(db: Queryable, masterId: number, from: string, to: string) {
  return db.one(sumEarnedQuery, { masterId, from, to });
}
