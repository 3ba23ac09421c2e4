import type { Database, Queryable } from '../db/database.ts';
import { defineQuery } from '../db/query.ts';

/**
 * After the load, before the index builds: VACUUM ANALYZE of each loaded
 * table. Statistics for the planner; the visibility map, which keeps the
 * report queries' index-only scans on orders index-only; and hint bits set
 * once, so the index builds that follow read clean pages. It also leaves
 * autovacuum nothing to do after a seed (an insert-triggered vacuum of 12
 * million history and audit rows would otherwise run in the background
 * under whatever is measured next).
 *
 * BUFFER_USAGE_LIMIT: VACUUM otherwise cycles its dirty pages through a
 * 2 MB ring, and every page it reuses first waits for a WAL flush (the hint
 * bits and visibility map it writes are WAL-logged, as full pages with data
 * checksums on). The server caps the ring at an eighth of shared_buffers:
 * 16 MB on a stock server, 32 MB on the harness's.
 */
const PREPARE = {
  orders: defineQuery({ name: 'seed.vacuum_orders', params: {}, columns: {}, text: `VACUUM (ANALYZE, BUFFER_USAGE_LIMIT '256MB') orders` }),
  order_status_history: defineQuery({
    name: 'seed.vacuum_history',
    params: {},
    columns: {},
    text: `VACUUM (ANALYZE, BUFFER_USAGE_LIMIT '256MB') order_status_history`,
  }),
  audit_log: defineQuery({ name: 'seed.vacuum_audit', params: {}, columns: {}, text: `VACUUM (ANALYZE, BUFFER_USAGE_LIMIT '256MB') audit_log` }),
  staff: defineQuery({ name: 'seed.vacuum_staff', params: {}, columns: {}, text: `VACUUM (ANALYZE, BUFFER_USAGE_LIMIT '256MB') users, user_roles, masters` }),
};

export const PREPARED_TABLES = Object.keys(PREPARE) as (keyof typeof PREPARE)[];

/** VACUUM / ANALYZE cannot run in a transaction: this takes a connection of its own. */
export async function prepareTable(db: Database, table: keyof typeof PREPARE): Promise<void> {
  await db.run(PREPARE[table], {});
}

const analyzeOrdersQuery = defineQuery({ name: 'seed.analyze_orders', params: {}, columns: {}, text: `ANALYZE orders` });

/**
 * Statistics on orders' index expressions (the phone keys, the phone's
 * reversed digits, the board's visit time): ANALYZE gathers them only for
 * indexes that exist, and the VACUUM ANALYZE above ran before any was
 * built. A live database gets them from autovacuum; a seeded one, whose
 * rows never change afterwards, would plan its phone searches without.
 * Unlike VACUUM, it runs in the caller's transaction.
 */
export async function analyzeOrders(tx: Queryable): Promise<void> {
  await tx.run(analyzeOrdersQuery, {});
}

const rebuildReportRollupsQuery = defineQuery({
  name: 'seed.rebuild_report_rollups',
  params: {},
  columns: {},
  text: `SELECT FROM report_rollups_rebuild()`,
});

/**
 * Recomputes the daily report rollups (migration 0009) from orders. The
 * loaders skip the rollup triggers: two loaders upserting the same rollup
 * rows would each wait for the other's uncommitted rows, while neither
 * commits before both have finished.
 */
export async function rebuildReportRollups(db: Queryable): Promise<void> {
  // One statement (a SQL function): atomic without a transaction around it.
  await db.run(rebuildReportRollupsQuery, {});
}

const listTablePagesQuery = defineQuery({
  name: 'seed.list_table_pages',
  params: { tables: 'text[]' },
  columns: { table_name: 'text', pages: 'int8' },
  text: `SELECT t AS table_name, (pg_relation_size(t::regclass) / current_setting('block_size')::int8)::int8 AS pages FROM unnest($1::text[]) AS t`,
});

/** Size of each table in pages: how long its index builds will take, roughly. */
export async function listTablePages(db: Queryable, tables: string[]): Promise<Map<string, number>> {
  return new Map((await db.many(listTablePagesQuery, { tables })).map((r) => [r.table_name, r.pages]));
}

const tryLockSeedingQuery = defineQuery({
  name: 'seed.try_lock_seeding',
  params: {},
  columns: { locked: 'bool' },
  text: `SELECT pg_try_advisory_lock(hashtextextended('repair-bot seed', 0)) AS locked`,
});
const unlockSeedingQuery = defineQuery({
  name: 'seed.unlock_seeding',
  params: {},
  columns: { unlocked: 'bool' },
  text: `SELECT pg_advisory_unlock(hashtextextended('repair-bot seed', 0)) AS unlocked`,
});

/** One seed at a time per database: a session lock, so it lasts as long as the connection holding it. */
export async function tryLockSeeding(conn: Queryable): Promise<boolean> {
  return (await conn.one(tryLockSeedingQuery, {})).locked;
}

export async function unlockSeeding(conn: Queryable): Promise<void> {
  await conn.one(unlockSeedingQuery, {});
}

const cancelBackendsQuery = defineQuery({
  name: 'seed.cancel_backends',
  params: { pids: 'int4[]' },
  columns: { cancelled: 'bool' },
  text: `SELECT pg_cancel_backend(pid) AS cancelled FROM unnest($1::int4[]) AS pid`,
});

/** Cancels the statements these backends run (the seed's own loaders). */
export async function cancelBackends(db: Queryable, pids: number[]): Promise<void> {
  await db.many(cancelBackendsQuery, { pids });
}
