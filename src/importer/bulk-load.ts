import type { Queryable } from '../db/database.ts';
import { beginBulkLoad, buildNextDropped, countOrdersUpTo, setBuildSettings } from './bulk-load.sql.ts';

/**
 * When a first import brings many orders relative to what the database
 * holds, writing every row into some 25 secondary indexes and checking
 * every foreign key row by row costs more than building them once from the
 * loaded tables: measured at 100,000 orders (BENCHMARKS.md, "Legacy
 * import"). The bulk path drops them in the import's own transaction, under
 * ACCESS EXCLUSIVE locks taken first, and builds them again before the
 * commit, so nobody ever sees a table without them: other sessions wait for
 * the lock (the service answers 503 after its lock_timeout), and a failure
 * or a stop rolls the drop back with everything else. The locks last the
 * whole import: that is the price, so the rule below keeps it to loads
 * where the tables are small beside the file.
 */

/** Tables the orders and their trail are written to, in the order they are locked. */
const BULK_TABLES = ['orders', 'order_status_history', 'audit_log', 'legacy_orders', 'legacy_order_status_history', 'legacy_audit_log'] as const;

/** Below this, a file loads in seconds either way: never worth locking the tables for. */
export const BULK_MIN_ORDERS = 10_000;

/** For the index builds, this transaction only: sort memory, and one worker beside the leader (two cores). */
const BUILD_WORK_MEM = '256MB';
const BUILD_WORKERS = 1;

/**
 * Whether to take the bulk path. `forced` (--bulk / --no-bulk) decides when
 * given; otherwise only a source's first, committed import of at least
 * BULK_MIN_ORDERS orders into a database holding no more orders than the
 * file has. A later snapshot (a few changes against many rows already
 * there) and a dry run (a preview that must not hold the tables) stay on
 * the normal path.
 */
export async function shouldBulkLoad(
  db: Queryable,
  opts: { forced: boolean | undefined; firstImport: boolean; dryRun: boolean; fileOrders: number },
): Promise<boolean> {
  if (opts.forced !== undefined) return opts.forced;
  if (!opts.firstImport || opts.dryRun || opts.fileOrders < BULK_MIN_ORDERS) return false;
  return (await countOrdersUpTo(db, opts.fileOrders + 1)) <= opts.fileOrders;
}

/** Locks the tables and drops their secondary indexes and keys; returns how many were dropped. */
export async function startBulkLoad(db: Queryable): Promise<number> {
  return beginBulkLoad(db, BULK_TABLES);
}

/** Builds every dropped index and key again, telling each one built. */
export async function finishBulkLoad(db: Queryable, dropped: number, progress: (done: number, total: number) => void): Promise<void> {
  await setBuildSettings(db, BUILD_WORK_MEM, BUILD_WORKERS);
  progress(0, dropped);
  for (let left = dropped; left > 0;) {
    left = await buildNextDropped(db);
    progress(dropped - left, dropped);
  }
}
