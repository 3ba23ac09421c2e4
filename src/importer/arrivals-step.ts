import { addImportedArrivals, markHistory, setRollupsDeferred, settleArrivals } from './import-rollups.sql.ts';
import type { ImportState } from './import-state.ts';
import { importTrails } from './trail-step.ts';

/** The ids of the orders an import inserted (its own among them: see addOrderRollups). */
export type InsertedIds = { firstId: number; lastId: number } | null;

/** Where the history stood before the import wrote any: for settleArrivals. */
export function markHistoryBeforeImport(state: ImportState): Promise<number> {
  return markHistory(state.db);
}

/**
 * The trails, with each order's first check-in (orders.arrived_at, migration
 * 0159) settled once at the end rather than by the history trigger per
 * batch: that trigger updates the batch's orders, and on the bulk path,
 * without the orders' indexes, each such update was a join against the
 * whole table. The new orders' arrivals go straight into the rollup with
 * the triggers skipped (as their other rollups); orders that were there
 * before are updated with the triggers on, so their rollup cells move
 * exactly. Either way arrived_at ends at the earliest check-in, whatever
 * order the legacy history came in.
 */
export async function importTrailsAndArrivals(state: ImportState, historyMark: number, inserted: InsertedIds): Promise<void> {
  await setRollupsDeferred(state.db, true);
  await importTrails(state);
  if (inserted) await addImportedArrivals(state.db, state.source, inserted.firstId, inserted.lastId);
  await setRollupsDeferred(state.db, false);
  await settleArrivals(state.db, historyMark);
}
