import type { Queryable } from '../db/database.ts';
import { defineQuery } from '../db/query.ts';

/**
 * The report rollups (migration 0009) of the orders an import inserts,
 * added once for the whole import instead of by the per-statement trigger
 * for each batch. Nobody sees the imported orders before the import's
 * transaction commits, and the rollups they add are written in that same
 * transaction, so readers see exactly what the triggers would have left.
 * One aggregate over the whole import writes each report cell once rather
 * than once per batch: measured, 10 s of PostgreSQL time at 100,000 orders
 * went to the triggers' upserts. Nothing is dropped or locked beyond the
 * rollup rows the import adds to.
 */

const setRollupsDeferredQuery = defineQuery({
  name: 'importer.set_rollups_deferred',
  params: { deferred: 'bool' },
  columns: { skip_rollups: 'text' },
  // This transaction only; the triggers read it (report_rollups_skipped()).
  text: `SELECT set_config('repair_bot.skip_rollups', CASE WHEN $1::bool THEN 'on' ELSE 'off' END, true) AS skip_rollups`,
});

/** On: the triggers leave the rollups to addOrderRollups; off: they keep them again (updates of known orders need them). */
export async function setRollupsDeferred(db: Queryable, deferred: boolean): Promise<void> {
  await db.one(setRollupsDeferredQuery, { deferred });
}

const addOrderRollupsQuery = defineQuery({
  name: 'importer.add_order_rollups',
  params: { source: 'text', fromId: 'int8', toId: 'int8' },
  columns: {},
  // The ids this import drew: only its own orders of the source among them
  // (another writer's order drawn meanwhile had its trigger). Deleted orders
  // count nowhere, as in the trigger.
  text: `
SELECT FROM report_rollups_add(ARRAY(
  SELECT ROW(1, o.created_at, o.status, o.equipment_type, o.master_id, o.completed_at, o.closed_at,
             o.total_amount, o.materials_cost, o.master_profit, o.company_profit)::order_rollup_delta
  FROM orders o JOIN legacy_orders l ON l.order_id = o.id AND l.source = $1::text
  WHERE o.id BETWEEN $2::int8 AND $3::int8 AND o.deleted_at IS NULL))`,
});

/** Adds to the rollups the orders of `source` with ids in [fromId, toId] (those this import inserted). */
export async function addOrderRollups(db: Queryable, source: string, fromId: number, toId: number): Promise<void> {
  await db.run(addOrderRollupsQuery, { source, fromId, toId });
}

const addRefusalFeeRollupsQuery = defineQuery({
  name: 'importer.add_refusal_fee_rollups',
  params: { source: 'text', fromId: 'int8', toId: 'int8' },
  columns: {},
  // The refusal-fee rollup (migration 0131) skips with the others: a legacy
  // refusal with an amount carries a fee.
  text: `
SELECT FROM report_refusal_fees_add(ARRAY(
  SELECT ROW(1, o.refused_at, o.master_id, o.refusal_fee, o.refusal_master_share, o.refusal_company_share)::refusal_fee_delta
  FROM orders o JOIN legacy_orders l ON l.order_id = o.id AND l.source = $1::text
  WHERE o.id BETWEEN $2::int8 AND $3::int8 AND o.deleted_at IS NULL AND o.refusal_fee IS NOT NULL))`,
});

/** The same for the refusal fees of those orders. */
export async function addRefusalFeeRollups(db: Queryable, source: string, fromId: number, toId: number): Promise<void> {
  await db.run(addRefusalFeeRollupsQuery, { source, fromId, toId });
}

const markHistoryQuery = defineQuery({
  name: 'importer.mark_history',
  params: {},
  columns: { history_id: 'int8' },
  // The history sequence's position: every row this import inserts after it has a larger id.
  text: `SELECT COALESCE(pg_sequence_last_value(pg_get_serial_sequence('order_status_history', 'id')::regclass), 0)::int8 AS history_id`,
});

/** Below every history id drawn from now on. */
export async function markHistory(db: Queryable): Promise<number> {
  return (await db.one(markHistoryQuery, {})).history_id;
}

const addImportedArrivalsQuery = defineQuery({
  name: 'importer.add_imported_arrivals',
  params: { source: 'text', fromId: 'int8', toId: 'int8' },
  columns: {},
  // This import's new orders got their history with the triggers skipped:
  // their first check-in is set here and added to the arrivals rollup
  // (migration 0159) in one statement, as addOrderRollups does. They had
  // none before (arrived_at IS NULL), so each adds a visit and takes none.
  text: `
WITH arrived AS (
  UPDATE orders o SET arrived_at = f.first
  FROM (SELECT h.order_id, min(h.changed_at) AS first
        FROM order_status_history h JOIN legacy_orders l ON l.order_id = h.order_id AND l.source = $1::text
        WHERE h.order_id BETWEEN $2::int8 AND $3::int8 AND h.new_status = 'IN_PROGRESS'
        GROUP BY h.order_id) f
  WHERE o.id = f.order_id AND o.arrived_at IS NULL
  RETURNING o.arrived_at, o.master_id, o.scheduled_at, o.scheduled_until, o.deleted_at
)
SELECT FROM report_arrivals_add(ARRAY(
  SELECT ROW(1, a.arrived_at, a.master_id, a.arrived_at <= COALESCE(a.scheduled_until, a.scheduled_at))::arrival_delta
  FROM arrived a WHERE a.deleted_at IS NULL AND a.scheduled_at IS NOT NULL AND a.master_id IS NOT NULL))`,
});

/** Sets the first check-in of the orders of `source` with ids in [fromId, toId] and adds their visits; the triggers must be skipped. */
export async function addImportedArrivals(db: Queryable, source: string, fromId: number, toId: number): Promise<void> {
  await db.run(addImportedArrivalsQuery, { source, fromId, toId });
}

const settleArrivalsQuery = defineQuery({
  name: 'importer.settle_arrivals',
  params: { afterHistoryId: 'int8' },
  columns: {},
  // Orders that existed before the import and got a check-in from it
  // (possibly earlier than the one they had: history arrives in any order).
  // Run with the triggers on: the rollup's update follows the orders'.
  text: `
UPDATE orders o SET arrived_at = f.first
FROM (SELECT order_id, min(changed_at) AS first FROM order_status_history
      WHERE id > $1::int8 AND new_status = 'IN_PROGRESS' GROUP BY order_id) f
WHERE o.id = f.order_id AND (o.arrived_at IS NULL OR o.arrived_at > f.first)`,
});

/** Moves arrived_at to the earliest check-in among the history rows with ids above `afterHistoryId`. */
export async function settleArrivals(db: Queryable, afterHistoryId: number): Promise<void> {
  await db.run(settleArrivalsQuery, { afterHistoryId });
}
