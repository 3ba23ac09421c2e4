import type { Queryable } from '../db/database.ts';
import { defineQuery } from '../db/query.ts';

/**
 * The bulk path of a large first import (migration 0150): the written tables
 * locked, their secondary indexes and foreign keys dropped in the import's
 * transaction and built again before it commits. The statements here are
 * constant; the DDL they lead to runs inside the migration's functions, from
 * definitions the catalogue gives (pg_get_indexdef, pg_get_constraintdef),
 * never from text this process sends.
 */

const countOrdersUpToQuery = defineQuery({
  name: 'importer.count_orders_up_to',
  params: { limit: 'int8' },
  columns: { count: 'int8' },
  // Bounded by the import's own size: at most as many rows read as the file has orders.
  text: `SELECT count(*) AS count FROM (SELECT FROM orders LIMIT $1::int8) o`,
});

/** How many orders the database holds, counted up to `limit` at most. */
export async function countOrdersUpTo(db: Queryable, limit: number): Promise<number> {
  return (await db.one(countOrdersUpToQuery, { limit })).count;
}

const beginBulkLoadQuery = defineQuery({
  name: 'importer.begin_bulk_load',
  params: { tables: 'text[]' },
  columns: { dropped: 'int4' },
  text: `SELECT legacy_import_bulk_begin($1::text[]::regclass[]) AS dropped`,
});

/** Locks the tables (ACCESS EXCLUSIVE, in the order given) and drops their secondary indexes and keys; returns how many. */
export async function beginBulkLoad(db: Queryable, tables: readonly string[]): Promise<number> {
  return (await db.one(beginBulkLoadQuery, { tables: [...tables] })).dropped;
}

const setBuildSettingsQuery = defineQuery({
  name: 'importer.set_build_settings',
  params: { workMem: 'text', workers: 'text' },
  columns: { maintenance_work_mem: 'text', max_parallel_maintenance_workers: 'text' },
  // This transaction only: the index builds' sort memory and parallel workers.
  text: `
SELECT set_config('maintenance_work_mem', $1::text, true) AS maintenance_work_mem,
       set_config('max_parallel_maintenance_workers', $2::text, true) AS max_parallel_maintenance_workers`,
});

/** Memory and parallel workers for the index builds, for the rest of this transaction. */
export async function setBuildSettings(db: Queryable, workMem: string, workers: number): Promise<void> {
  await db.one(setBuildSettingsQuery, { workMem, workers: String(workers) });
}

const buildNextDroppedQuery = defineQuery({
  name: 'importer.build_next_dropped',
  params: {},
  columns: { remaining: 'int4' },
  text: `SELECT legacy_import_bulk_build_next() AS remaining`,
});

/** Builds the next dropped index or key again; returns how many are left (0: all back). */
export async function buildNextDropped(db: Queryable): Promise<number> {
  return (await db.one(buildNextDroppedQuery, {})).remaining;
}
