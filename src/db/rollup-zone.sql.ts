import type { Queryable } from './exec.ts';
import { defineQuery } from './query.ts';

/**
 * The zone whose local dates the daily report rollups are kept in
 * (report_rollup_zone, migration 0160). Reports are exact in any zone; a
 * period of whole local days in this one reads the rollups alone.
 */

const readRollupZoneQuery = defineQuery({
  name: 'schema.read_rollup_zone',
  params: {},
  columns: { zone: 'text' },
  text: `SELECT zone FROM report_rollup_zone`,
});

export async function readRollupZone(db: Queryable): Promise<string> {
  return (await db.one(readRollupZoneQuery, {})).zone;
}

const rezoneRollupsQuery = defineQuery({
  name: 'schema.rezone_report_rollups',
  params: { zone: 'text' },
  columns: { rewritten: 'bool' },
  // Locks out writers of orders and rewrites every rollup, in one transaction; false when already in that zone.
  text: `SELECT report_rollups_rezone($1::text) AS rewritten`,
});

/** Keeps the rollups in `zone` from now on, rewriting them if they were in another; a clear error for a zone PostgreSQL does not know. */
export async function rezoneRollups(db: Queryable, zone: string): Promise<boolean> {
  return (await db.one(rezoneRollupsQuery, { zone })).rewritten;
}

const setLockTimeoutQuery = defineQuery({
  name: 'schema.set_lock_timeout',
  params: { timeout: 'text' },
  columns: { lock_timeout: 'text' },
  // The session's: the migration client is closed right after.
  text: `SELECT set_config('lock_timeout', $1::text, false) AS lock_timeout`,
});

/** Bounds how long the session's statements wait for a lock (then LockNotAvailableError). */
export async function setLockTimeout(db: Queryable, ms: number): Promise<void> {
  await db.one(setLockTimeoutQuery, { timeout: `${ms}ms` });
}
