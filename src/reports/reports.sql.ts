import type { Queryable } from '../db/database.ts';
import { defineQuery } from '../db/query.ts';
import { ORDER_VIEW_JOINS } from '../orders/order-view.ts';

/**
 * Period reports, half-open [from, to). The rollups' day is the local date in
 * the zone stored in the database (report_rollup_zone, migration 0160; the
 * service keeps it equal to REPORT_TIMEZONE): the whole days of that zone in
 * a period are read from the daily rollups that triggers keep exact
 * (migration 0009), today's too; the rest of the period from orders, through
 * the partial covering indexes: orders_status_created_idx for orders created
 * (a skip scan over the statuses), orders_closed_period_idx and
 * orders_completed_period_idx for settled money. A period of whole local
 * days in the stored zone reads the rollups alone, however many orders a
 * day has; any other period (another zone, a part of a day) is still exact,
 * with its partial days read from orders. Names are joined after
 * aggregation, per group, not per order.
 */
const PERIOD_DAYS = `report_period_days($1::timestamptz, $2::timestamptz)`;
/** The period's whole days in the stored zone, as bounds evaluated once per query (initPlans). */
export const WHOLE_DAYS = `day >= (SELECT first_day FROM ${PERIOD_DAYS}) AND day < (SELECT end_day FROM ${PERIOD_DAYS})`;
/**
 * The rest of the period, [lo, hi) at either end (empty ranges for whole
 * days); joined LATERAL so that each is one range of an index-only scan.
 */
export const EDGES = `report_period_edges($1::timestamptz, $2::timestamptz) AS edge(lo, hi)`;

const countCreatedQuery = defineQuery({
  name: 'reports.count_created_orders',
  params: { from: 'timestamptz', to: 'timestamptz' },
  columns: { status: 'order_status', equipment_type: 'text', orders: 'int8' },
  text: `
SELECT status, equipment_type, sum(orders)::int8 AS orders
FROM (
  SELECT status, equipment_type, orders FROM report_created_daily WHERE ${WHOLE_DAYS}
  UNION ALL
  SELECT e.* FROM ${EDGES} CROSS JOIN LATERAL (
    SELECT status, equipment_type, count(*) FROM orders
    WHERE deleted_at IS NULL AND created_at >= edge.lo AND created_at < edge.hi
    GROUP BY status, equipment_type
  ) e
) parts
GROUP BY status, equipment_type
HAVING sum(orders) > 0`,
});

export function countCreatedOrders(db: Queryable, from: string, to: string) {
  return db.many(countCreatedQuery, { from, to });
}

const sumClosedQuery = defineQuery({
  name: 'reports.sum_closed_orders',
  params: { from: 'timestamptz', to: 'timestamptz' },
  columns: {
    equipment_type: 'text',
    orders: 'int8',
    revenue: 'numeric',
    materials: 'numeric',
    master_share: 'numeric',
    company_share: 'numeric',
  },
  text: `
SELECT equipment_type, sum(orders)::int8 AS orders,
       sum(revenue) AS revenue, sum(materials) AS materials,
       sum(master_share) AS master_share, sum(company_share) AS company_share
FROM (
  SELECT equipment_type, orders, revenue, materials, master_share, company_share
  FROM report_closed_daily_equipment WHERE ${WHOLE_DAYS}
  UNION ALL
  SELECT e.* FROM ${EDGES} CROSS JOIN LATERAL (
    SELECT equipment_type, count(*), sum(total_amount), sum(materials_cost), sum(master_profit), sum(company_profit)
    FROM orders
    WHERE status = 'CLOSED' AND deleted_at IS NULL AND closed_at >= edge.lo AND closed_at < edge.hi
    GROUP BY equipment_type
  ) e
) parts
GROUP BY equipment_type
HAVING sum(orders) > 0`,
});

/** Settled money per equipment type for orders closed in the period. */
export function sumClosedOrders(db: Queryable, from: string, to: string) {
  return db.many(sumClosedQuery, { from, to });
}

const sumByMasterQuery = defineQuery({
  name: 'reports.sum_orders_by_master',
  params: { from: 'timestamptz', to: 'timestamptz', masterId: 'int8?' },
  columns: {
    master_id: 'int8',
    master_name: 'text',
    completed: 'int8',
    closed: 'int8',
    revenue: 'numeric',
    materials: 'numeric',
    master_share: 'numeric',
    company_share: 'numeric',
  },
  text: `
WITH closed AS (
  SELECT master_id, sum(closed) AS closed,
         sum(revenue) AS revenue, sum(materials) AS materials,
         sum(master_share) AS master_share, sum(company_share) AS company_share
  FROM (
    SELECT master_id, orders AS closed, revenue, materials, master_share, company_share
    FROM report_closed_daily_master
    WHERE ${WHOLE_DAYS} AND ($3::int8 IS NULL OR master_id = $3::int8)
    UNION ALL
    SELECT e.* FROM ${EDGES} CROSS JOIN LATERAL (
      SELECT master_id, count(*), sum(total_amount), sum(materials_cost), sum(master_profit), sum(company_profit)
      FROM orders
      WHERE status = 'CLOSED' AND deleted_at IS NULL AND closed_at >= edge.lo AND closed_at < edge.hi
        AND ($3::int8 IS NULL OR master_id = $3::int8)
      GROUP BY master_id
    ) e
  ) parts
  GROUP BY master_id
  HAVING sum(closed) > 0
),
completed AS (
  SELECT master_id, sum(completed) AS completed
  FROM (
    SELECT master_id, orders AS completed FROM report_completed_daily_master
    WHERE ${WHOLE_DAYS} AND ($3::int8 IS NULL OR master_id = $3::int8)
    UNION ALL
    SELECT e.* FROM ${EDGES} CROSS JOIN LATERAL (
      SELECT master_id, count(*) FROM orders
      WHERE completed_at IS NOT NULL AND deleted_at IS NULL AND completed_at >= edge.lo AND completed_at < edge.hi
        AND ($3::int8 IS NULL OR master_id = $3::int8)
      GROUP BY master_id
    ) e
  ) parts
  GROUP BY master_id
  HAVING sum(completed) > 0
)
SELECT m.id AS master_id, u.name AS master_name,
       COALESCE(cp.completed, 0)::int8 AS completed, COALESCE(c.closed, 0)::int8 AS closed,
       COALESCE(c.revenue, 0)::numeric AS revenue, COALESCE(c.materials, 0)::numeric AS materials,
       COALESCE(c.master_share, 0)::numeric AS master_share, COALESCE(c.company_share, 0)::numeric AS company_share
FROM (SELECT master_id FROM closed UNION SELECT master_id FROM completed) AS active(master_id)
JOIN masters m ON m.id = active.master_id
JOIN users u ON u.id = m.user_id
LEFT JOIN closed c ON c.master_id = m.id
LEFT JOIN completed cp ON cp.master_id = m.id
ORDER BY revenue DESC, m.id`,
});

/** Per master: orders completed and closed in the period and the settled money. */
export function sumOrdersByMaster(db: Queryable, from: string, to: string, masterId: number | null) {
  return db.many(sumByMasterQuery, { from, to, masterId });
}

const listClosedForExportQuery = defineQuery({
  name: 'reports.list_closed_orders_for_export',
  params: { from: 'timestamptz', to: 'timestamptz', afterClosedAt: 'timestamptz', afterId: 'int8', limit: 'int4' },
  columns: {
    id: 'int8',
    /** Never null for a CLOSED order (CHECK), though the column allows it. */
    closed_at: 'timestamptz?',
    equipment_type: 'text',
    master_id: 'int8?',
    master_name: 'text?',
    total_amount: 'numeric?',
    materials_cost: 'numeric?',
    master_profit: 'numeric?',
    company_profit: 'numeric?',
  },
  text: `
SELECT o.id, o.closed_at, o.equipment_type, o.master_id, mu.name AS master_name,
       o.total_amount, o.materials_cost, o.master_profit, o.company_profit
FROM (
  SELECT id, closed_at, equipment_type, master_id, dispatcher_id, total_amount, materials_cost, master_profit, company_profit
  FROM orders
  WHERE status = 'CLOSED' AND deleted_at IS NULL
    AND closed_at >= $1::timestamptz AND closed_at < $2::timestamptz
    AND (closed_at, id) > ($3::timestamptz, $4::int8)
  ORDER BY closed_at, id
  LIMIT $5::int4
) o ${ORDER_VIEW_JOINS}
ORDER BY o.closed_at, o.id`,
});

/** Closed orders of a period in (closed_at, id) order, a keyset batch at a time (exports stream). */
export function listClosedOrdersForExport(db: Queryable, from: string, to: string, after: { closedAt: string; id: number }, limit: number) {
  return db.many(listClosedForExportQuery, { from, to, afterClosedAt: after.closedAt, afterId: after.id, limit });
}
