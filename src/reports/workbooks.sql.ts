import type { Queryable } from '../db/database.ts';
import { defineQuery } from '../db/query.ts';
import { required } from '../money/required.ts';
import { statusArraySql, STATUS_SETS } from '../orders/order-statuses.ts';

/**
 * The rows the workbooks list. Masters' names come from their users row,
 * joined per order here because each sheet is one master's orders.
 */
const MASTER_JOIN = `LEFT JOIN masters m ON m.id = o.master_id LEFT JOIN users mu ON mu.id = m.user_id`;
const SENIOR = `EXISTS (SELECT 1 FROM user_roles sr WHERE sr.user_id = m.user_id AND sr.role = 'SENIOR_MASTER')`;

const listSettlementOrdersQuery = defineQuery({
  name: 'reports.list_settlement_orders',
  params: { from: 'timestamptz', to: 'timestamptz', masterId: 'int8?' },
  columns: {
    id: 'int8',
    master_id: 'int8?',
    master_name: 'text',
    senior: 'bool',
    status: 'order_status',
    equipment_type: 'text',
    client_address: 'text',
    completed_at: 'timestamptz?',
    closed_at: 'timestamptz?',
    total_amount: 'numeric?',
    materials_cost: 'numeric?',
    master_rate: 'int4?',
    master_profit: 'numeric?',
    company_profit: 'numeric?',
    prepayment_amount: 'numeric?',
    has_review: 'bool',
    out_of_city: 'bool',
    /** Differences of corrections made after the order was closed that no settlement has taken yet: owed on their own. */
    unsettled_corrections: 'numeric',
  },
  // Orders completed in the period (settled or not), on orders_completed_period_idx.
  text: `SELECT o.id, o.master_id, mu.name AS master_name, ${SENIOR} AS senior, o.status, o.equipment_type, o.client_address,
  o.completed_at, o.closed_at, o.total_amount, o.materials_cost, o.master_rate, o.master_profit, o.company_profit,
  o.prepayment_amount, o.has_review, o.out_of_city,
  COALESCE((SELECT sum(c.owed_delta) FROM order_corrections c WHERE c.order_id = o.id AND c.after_close AND c.settlement_id IS NULL), 0)::numeric
    AS unsettled_corrections
FROM orders o ${MASTER_JOIN}
WHERE o.completed_at >= $1::timestamptz AND o.completed_at < $2::timestamptz AND o.completed_at IS NOT NULL
  AND o.deleted_at IS NULL AND o.master_id IS NOT NULL AND ($3::int8 IS NULL OR o.master_id = $3::int8)
ORDER BY mu.name, o.master_id, o.completed_at, o.id`,
});

const SETTLED = ['master_id', 'completed_at', 'total_amount', 'materials_cost', 'master_profit', 'company_profit'] as const;

/** Orders completed in [from, to) with their money, by master (one master when given). */
export async function listSettlementOrders(db: Queryable, from: string, to: string, masterId: number | null) {
  return required(await db.many(listSettlementOrdersQuery, { from, to, masterId }), SETTLED, listSettlementOrdersQuery.name);
}

const listRefusalsQuery = defineQuery({
  name: 'reports.list_refusals',
  params: { from: 'timestamptz', to: 'timestamptz' },
  columns: {
    master_id: 'int8?',
    master_name: 'text',
    order_id: 'int8',
    reason: 'text',
    refused_at: 'timestamptz',
    /** The fee the client paid on refusing on site, split like revenue (null: none). */
    fee: 'numeric?',
    fee_master_share: 'numeric?',
    fee_company_share: 'numeric?',
    fee_handed_over: 'bool',
  },
  // An order refused while a master held it, by the history row of the refusal
  // (the fee is the order's while it stays refused; a reopened order has none).
  text: `SELECT h.master_id, mu.name AS master_name, h.order_id, COALESCE(h.note, '') AS reason, h.changed_at AS refused_at,
  h.refusal_fee AS fee, h.refusal_master_share AS fee_master_share, h.refusal_company_share AS fee_company_share, h.fee_handed_over_at IS NOT NULL AS fee_handed_over
FROM (
  SELECT sh.order_id, sh.note, sh.changed_at, o.master_id, f.refusal_fee, f.refusal_master_share, f.refusal_company_share, f.fee_handed_over_at
  FROM order_status_history sh JOIN orders o ON o.id = sh.order_id
  -- The order's fee belongs to its latest refusal, while it stays refused.
  LEFT JOIN LATERAL (
    SELECT o.refusal_fee, o.refusal_master_share, o.refusal_company_share, o.fee_handed_over_at
    WHERE o.status = 'REFUSED' AND NOT EXISTS (
      SELECT 1 FROM order_status_history x WHERE x.order_id = o.id AND x.new_status = 'REFUSED' AND x.changed_at > sh.changed_at)
  ) f ON true
  WHERE sh.new_status = 'REFUSED' AND sh.changed_at >= $1::timestamptz AND sh.changed_at < $2::timestamptz
    AND o.master_id IS NOT NULL AND o.deleted_at IS NULL
) h
JOIN masters m ON m.id = h.master_id JOIN users mu ON mu.id = m.user_id
ORDER BY mu.name, h.master_id, h.changed_at`,
});

/** Refusals in [from, to) of orders a master held, with the reason given. */
export async function listRefusals(db: Queryable, from: string, to: string) {
  return required(await db.many(listRefusalsQuery, { from, to }), ['master_id'], listRefusalsQuery.name);
}

const listActiveOrdersQuery = defineQuery({
  name: 'reports.list_active_orders',
  params: { masterId: 'int8?' },
  columns: {
    id: 'int8',
    master_id: 'int8?',
    master_name: 'text?',
    status: 'order_status',
    equipment_type: 'text',
    client_name: 'text',
    client_address: 'text',
    scheduled_at: 'timestamptz?',
    created_at: 'timestamptz',
    prepayment_amount: 'numeric?',
  },
  text: `SELECT o.id, o.master_id, mu.name AS master_name, o.status, o.equipment_type, o.client_name, o.client_address,
  o.scheduled_at, o.created_at, o.prepayment_amount
FROM orders o ${MASTER_JOIN}
WHERE o.status = ANY (${statusArraySql(STATUS_SETS.open)}) AND o.deleted_at IS NULL
  AND ($1::int8 IS NULL OR o.master_id = $1::int8)
ORDER BY mu.name NULLS FIRST, o.master_id NULLS FIRST, o.created_at, o.id`,
});

/** Orders not finished yet (every open status), unassigned first, then by master. */
export function listActiveOrders(db: Queryable, masterId: number | null) {
  return db.many(listActiveOrdersQuery, { masterId });
}

const listDailyFiguresQuery = defineQuery({
  name: 'reports.list_daily_figures',
  params: { from: 'timestamptz', to: 'timestamptz', timeZone: 'text' },
  columns: { day: 'date', orders: 'int4', revenue: 'numeric' },
  // Completed orders per local calendar day, on orders_completed_period_idx,
  // and refusal fees on the day the client refused (revenue without an order
  // done), on orders_refusal_fee_period_idx.
  text: `SELECT d.day, sum(d.orders)::int4 AS orders, COALESCE(sum(d.revenue), 0)::numeric AS revenue
FROM (
  SELECT (o.completed_at AT TIME ZONE $3::text)::date AS day, 1 AS orders, o.total_amount AS revenue
  FROM orders o
  WHERE o.completed_at >= $1::timestamptz AND o.completed_at < $2::timestamptz AND o.completed_at IS NOT NULL AND o.deleted_at IS NULL
  UNION ALL
  SELECT (o.refused_at AT TIME ZONE $3::text)::date, 0, o.refusal_fee
  FROM orders o
  WHERE o.refused_at >= $1::timestamptz AND o.refused_at < $2::timestamptz AND o.refusal_fee IS NOT NULL AND o.deleted_at IS NULL
) d
GROUP BY 1
ORDER BY 1`,
});

/** Orders completed per local day of [from, to), and the revenue of the day: theirs and the refusal fees taken. */
export function listDailyFigures(db: Queryable, from: string, to: string, timeZone: string) {
  return db.many(listDailyFiguresQuery, { from, to, timeZone });
}
