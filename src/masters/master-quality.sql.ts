import type { Queryable } from '../db/database.ts';
import { defineQuery } from '../db/query.ts';
import { EDGES, WHOLE_DAYS } from '../reports/reports.sql.ts';

/**
 * On-time arrival per master: of the visits with a scheduled time whose
 * first check-in ("on site", the first move to IN_PROGRESS, kept as
 * orders.arrived_at) falls in the period, how many checked in by the end of
 * the visit window (or by the scheduled time, when there is no window). A
 * later IN_PROGRESS (resuming after a long repair) is not an arrival. The
 * visit counts for the order's master; deleted orders do not count.
 *
 * As the other period reports (reports.sql.ts): whole days of the stored
 * rollup zone from report_arrivals_daily (migrations 0159, 0160), the rest
 * of the period from orders on orders_arrivals_period_idx, so a year costs
 * what a day does. An open end (NULL) reaches all time on that side: the
 * rollup alone covers it.
 */

const sumMasterArrivalsQuery = defineQuery({
  name: 'masters.sum_master_arrivals',
  params: { from: 'timestamptz?', to: 'timestamptz?', masterIds: 'int8[]?' },
  columns: { master_id: 'int8?', visits: 'int4', on_time: 'int4' },
  text: `
SELECT master_id, sum(visits)::int4 AS visits, sum(on_time)::int4 AS on_time
FROM (
  SELECT master_id, visits, on_time FROM report_arrivals_daily
  WHERE ${WHOLE_DAYS}
    AND ($3::int8[] IS NULL OR master_id = ANY ($3::int8[]))
  UNION ALL
  SELECT e.* FROM ${EDGES}
  CROSS JOIN LATERAL (
    SELECT master_id, count(*), count(*) FILTER (WHERE arrived_at <= COALESCE(scheduled_until, scheduled_at))
    FROM orders
    WHERE deleted_at IS NULL AND scheduled_at IS NOT NULL AND master_id IS NOT NULL
      AND arrived_at >= edge.lo AND arrived_at < edge.hi
      AND ($3::int8[] IS NULL OR master_id = ANY ($3::int8[]))
    GROUP BY master_id
  ) e
) parts
GROUP BY master_id
HAVING sum(visits) > 0`,
});

/** Visits and on-time check-ins per master over [from, to) (or all time), for these masters (or all). */
export function sumMasterArrivals(db: Queryable, p: { masterIds: number[] | null; from: string | null; to: string | null }) {
  return db.many(sumMasterArrivalsQuery, p);
}
