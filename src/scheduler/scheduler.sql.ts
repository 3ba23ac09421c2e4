import type { Queryable } from '../db/database.ts';
import type { OrderStatus } from '../db/enums.ts';
import { defineQuery } from '../db/query.ts';
import { ORDER_VIEW_COLUMNS, ORDER_VIEW_JOINS, ORDER_VIEW_SELECT, type OrderView } from '../orders/order-view.ts';

/**
 * Claims are INSERT ... ON CONFLICT DO NOTHING RETURNING: whichever instance
 * inserts the alert row first sends it, so each breach is announced once
 * however many instances run the job.
 */
const claimSlaBreachesQuery = defineQuery({
  name: 'scheduler.claim_sla_breaches',
  params: { statuses: 'order_status[]', seconds: 'int4[]', limit: 'int4' },
  columns: { ...ORDER_VIEW_COLUMNS, limit_minutes: 'int4' },
  text: `
WITH due AS (
  SELECT o.id, o.status, o.status_changed_at, sla.seconds
  FROM unnest($1::order_status[], $2::int4[]) AS sla(status, seconds)
  JOIN orders o ON o.status = sla.status AND o.deleted_at IS NULL
   AND o.status_changed_at < now() - make_interval(secs => sla.seconds)
  WHERE GREATEST(o.status_changed_at, COALESCE(o.scheduled_at, o.status_changed_at)) < now() - make_interval(secs => sla.seconds)
  ORDER BY o.status_changed_at
  LIMIT $3::int4
),
claimed AS (
  INSERT INTO order_alerts (order_id, kind, status, status_changed_at)
  SELECT id, 'sla_breach', status, status_changed_at FROM due
  ON CONFLICT DO NOTHING
  RETURNING order_id
)
SELECT ${ORDER_VIEW_SELECT}, (due.seconds / 60)::int4 AS limit_minutes
FROM claimed c
JOIN due ON due.id = c.order_id
JOIN orders o ON o.id = c.order_id ${ORDER_VIEW_JOINS}
ORDER BY o.id`,
});

/** Orders newly past their SLA, each returned once ever per entry into its status. */
export function claimSlaBreaches(
  db: Queryable,
  sla: { statuses: OrderStatus[]; seconds: number[] },
  limit: number,
): Promise<Array<OrderView & { limit_minutes: number }>> {
  return db.many(claimSlaBreachesQuery, { statuses: sla.statuses, seconds: sla.seconds, limit });
}

const claimOverdueRepairsQuery = defineQuery({
  name: 'scheduler.claim_overdue_repairs',
  params: { today: 'date', limit: 'int4' },
  columns: ORDER_VIEW_COLUMNS,
  // A long repair past its expected date (local calendar), once per entry into LONG_REPAIR.
  text: `
WITH due AS (
  SELECT o.id, o.status, o.status_changed_at
  FROM orders o
  WHERE o.status = 'LONG_REPAIR' AND o.deleted_at IS NULL AND o.estimated_completion_date < $1::date
  ORDER BY o.estimated_completion_date, o.id
  LIMIT $2::int4
),
claimed AS (
  INSERT INTO order_alerts (order_id, kind, status, status_changed_at)
  SELECT id, 'eta_overdue', status, status_changed_at FROM due
  ON CONFLICT DO NOTHING
  RETURNING order_id
)
SELECT ${ORDER_VIEW_SELECT}
FROM claimed c
JOIN orders o ON o.id = c.order_id ${ORDER_VIEW_JOINS}
ORDER BY o.id`,
});

/** Long repairs newly past their expected completion date (before `today`), each returned once per entry into LONG_REPAIR. */
export function claimOverdueRepairs(db: Queryable, today: string, limit: number): Promise<OrderView[]> {
  return db.many(claimOverdueRepairsQuery, { today, limit });
}

const claimPeriodRunQuery = defineQuery({
  name: 'scheduler.claim_period_run',
  params: { job: 'text', periodKey: 'text' },
  columns: { job: 'text' },
  text: `
INSERT INTO scheduler_runs (job, period_key) VALUES ($1::text, $2::text)
ON CONFLICT DO NOTHING
RETURNING job`,
});

/** True for exactly one caller per (job, period), across all instances. */
export async function claimPeriodRun(db: Queryable, job: string, periodKey: string): Promise<boolean> {
  return (await db.maybeOne(claimPeriodRunQuery, { job, periodKey })) !== null;
}

const releasePeriodRunQuery = defineQuery({
  name: 'scheduler.release_period_run',
  params: { job: 'text', periodKey: 'text' },
  columns: {},
  text: `DELETE FROM scheduler_runs WHERE job = $1::text AND period_key = $2::text`,
});

/** Gives a claimed (job, period) back: the run found nobody to tell, so it stays due. */
export function releasePeriodRun(db: Queryable, job: string, periodKey: string): Promise<number> {
  return db.run(releasePeriodRunQuery, { job, periodKey });
}

const pruneProcessedUpdatesQuery = defineQuery({
  name: 'scheduler.prune_processed_updates',
  params: { olderThanSeconds: 'int4' },
  columns: {},
  text: `DELETE FROM processed_updates WHERE processed_at < now() - make_interval(secs => $1::int4)`,
});

/** Telegram redelivers for at most a day; a week of update ids is plenty. */
export function pruneProcessedUpdates(db: Queryable, olderThanSeconds: number): Promise<number> {
  return db.run(pruneProcessedUpdatesQuery, { olderThanSeconds });
}
