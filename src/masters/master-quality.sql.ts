import type { Queryable } from '../db/database.ts';
import { defineQuery } from '../db/query.ts';

/**
 * On-time arrival per master: of the visits with a scheduled time whose
 * first check-in ("on site", the first move to IN_PROGRESS) falls in the
 * period, how many checked in by the end of the visit window (or by the
 * scheduled time, when there is no window). A later IN_PROGRESS (resuming
 * after a long repair) is not an arrival. The visit counts for the order's
 * master; deleted orders do not count.
 */
const sumMasterArrivalsQuery = defineQuery({
  name: 'masters.sum_master_arrivals',
  params: { masterIds: 'int8[]?', from: 'timestamptz?', to: 'timestamptz?' },
  columns: { master_id: 'int8?', visits: 'int4', on_time: 'int4' },
  text: `
SELECT o.master_id, count(*)::int4 AS visits,
       count(*) FILTER (WHERE h.changed_at <= COALESCE(o.scheduled_until, o.scheduled_at))::int4 AS on_time
FROM order_status_history h
JOIN orders o ON o.id = h.order_id AND o.deleted_at IS NULL AND o.scheduled_at IS NOT NULL AND o.master_id IS NOT NULL
WHERE h.new_status = 'IN_PROGRESS'
  -- Open ends as infinities, not "$2 IS NULL OR ...": a cached generic plan then still scans
  -- order_status_history_arrivals_idx over the period, instead of every check-in ever made.
  AND h.changed_at >= COALESCE($2::timestamptz, '-infinity') AND h.changed_at < COALESCE($3::timestamptz, 'infinity')
  AND ($1::int8[] IS NULL OR o.master_id = ANY ($1::int8[]))
  AND NOT EXISTS (
    SELECT 1 FROM order_status_history e
    WHERE e.order_id = h.order_id AND e.new_status = 'IN_PROGRESS' AND (e.changed_at, e.id) < (h.changed_at, h.id)
  )
GROUP BY o.master_id`,
});

/** Visits and on-time check-ins per master over [from, to) (or all time), for these masters (or all). */
export function sumMasterArrivals(db: Queryable, p: { masterIds: number[] | null; from: string | null; to: string | null }) {
  return db.many(sumMasterArrivalsQuery, p);
}
