import type { Queryable } from '../db/database.ts';
import type { OrderStatus } from '../db/enums.ts';
import { defineQuery } from '../db/query.ts';
import { STATUS_SETS, statusListSql } from '../orders/order-statuses.ts';

/**
 * Open orders and SLA breaches per status, in one statement for the gauge
 * timer. Each count is its own index scan: open counts are index-only scans
 * of orders_status_created_idx (status = X AND deleted_at IS NULL); breaches
 * range-scan orders_open_status_changed_idx up to now() - limit and check
 * the few candidates' scheduled_at, so the cost follows the number of open
 * orders, never the size of the table. The literal IN list (the statuses
 * with an SLA) repeats that index's predicate (0002) so the planner may use
 * it: giving another status an SLA needs a migration that widens the
 * index. A status with seconds = 0 has no SLA and counts no breaches.
 *
 * Breach rule (as the SLA watch): the clock starts when the order entered
 * its status, or at the scheduled visit when that is later.
 */
const countOpenOrdersQuery = defineQuery({
  name: 'telemetry.count_open_orders',
  params: { statuses: 'order_status[]', seconds: 'int4[]' },
  columns: { status: 'order_status', open: 'int8', breached: 'int8' },
  text: `
SELECT s.status,
  (SELECT count(*) FROM orders o
    WHERE o.status = s.status AND o.deleted_at IS NULL) AS open,
  (SELECT count(*) FROM orders o
    WHERE s.seconds > 0 AND o.status = s.status AND o.deleted_at IS NULL
      AND o.status IN ${statusListSql(STATUS_SETS.withSla)}
      AND o.status_changed_at < now() - make_interval(secs => s.seconds)
      AND GREATEST(o.status_changed_at, COALESCE(o.scheduled_at, o.status_changed_at)) < now() - make_interval(secs => s.seconds)
  ) AS breached
FROM unnest($1::order_status[], $2::int4[]) AS s(status, seconds)`,
});

export interface OpenOrderCount {
  status: OrderStatus;
  open: number;
  breached: number;
}

/** Open orders and SLA breaches for each given status (seconds[i] = 0: no SLA). */
export function countOpenOrders(db: Queryable, statuses: OrderStatus[], seconds: number[]): Promise<OpenOrderCount[]> {
  return db.many(countOpenOrdersQuery, { statuses, seconds });
}
