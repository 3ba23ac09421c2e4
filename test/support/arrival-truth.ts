/**
 * Ground truth for on-time arrivals: the masters report's query before the
 * arrivals rollup (migration 0159), verbatim, reading every first check-in
 * from order_status_history. Parameters: $1 master ids or NULL, $2 from,
 * $3 to (NULL: open).
 */
export const ARRIVALS_BEFORE_ROLLUP = `
SELECT o.master_id, count(*)::int4 AS visits,
       count(*) FILTER (WHERE h.changed_at <= COALESCE(o.scheduled_until, o.scheduled_at))::int4 AS on_time
FROM order_status_history h
JOIN orders o ON o.id = h.order_id AND o.deleted_at IS NULL AND o.scheduled_at IS NOT NULL AND o.master_id IS NOT NULL
WHERE h.new_status = 'IN_PROGRESS'
  AND h.changed_at >= COALESCE($2::timestamptz, '-infinity') AND h.changed_at < COALESCE($3::timestamptz, 'infinity')
  AND ($1::int8[] IS NULL OR o.master_id = ANY ($1::int8[]))
  AND NOT EXISTS (
    SELECT 1 FROM order_status_history e
    WHERE e.order_id = h.order_id AND e.new_status = 'IN_PROGRESS' AND (e.changed_at, e.id) < (h.changed_at, h.id)
  )
GROUP BY o.master_id`;

/** The same first check-ins counted per day in the rollup zone ($1): what report_arrivals_daily must hold. */
const DAILY_TRUTH = `
SELECT (h.changed_at AT TIME ZONE $1::text)::date AS day, o.master_id, count(*)::int8 AS visits,
       count(*) FILTER (WHERE h.changed_at <= COALESCE(o.scheduled_until, o.scheduled_at))::int8 AS on_time
FROM order_status_history h
JOIN orders o ON o.id = h.order_id AND o.deleted_at IS NULL AND o.scheduled_at IS NOT NULL AND o.master_id IS NOT NULL
WHERE h.new_status = 'IN_PROGRESS'
  AND NOT EXISTS (
    SELECT 1 FROM order_status_history e
    WHERE e.order_id = h.order_id AND e.new_status = 'IN_PROGRESS' AND (e.changed_at, e.id) < (h.changed_at, h.id)
  )
GROUP BY 1, 2`;

const DAILY_ROLLUP = `SELECT day, master_id, visits, on_time FROM report_arrivals_daily WHERE visits <> 0 OR on_time <> 0`;

/** Orders whose arrived_at is not their first check-in. */
const WRONG_ARRIVED_AT = `
SELECT o.id FROM orders o
WHERE o.arrived_at IS DISTINCT FROM (SELECT min(h.changed_at) FROM order_status_history h WHERE h.order_id = o.id AND h.new_status = 'IN_PROGRESS')`;

/**
 * One row ($1: the rollup zone): rollup cells that differ from the truth (either way), orders with
 * a wrong arrived_at, and how many visits the truth has (so that an empty
 * comparison is visible).
 */
export const ARRIVALS_DIFFERENCES = `
SELECT (SELECT count(*)::int FROM ((${DAILY_ROLLUP} EXCEPT ALL ${DAILY_TRUTH}) UNION ALL (${DAILY_TRUTH} EXCEPT ALL ${DAILY_ROLLUP})) d) AS cells,
       (SELECT count(*)::int FROM (${WRONG_ARRIVED_AT}) w) AS arrived_at,
       (SELECT COALESCE(sum(visits), 0)::int FROM (${DAILY_TRUTH}) v) AS visits`;
