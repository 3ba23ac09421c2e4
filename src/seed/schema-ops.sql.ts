import type { Database, Queryable } from '../db/database.ts';
import { defineQuery } from '../db/query.ts';

/**
 * The schema side of a bulk load into orders, order_status_history and
 * audit_log: their indexes (primary keys included) and every foreign key
 * from or to them are dropped before the load and rebuilt after it, from
 * the definitions the catalog gives (pg_get_indexdef, pg_get_constraintdef),
 * so the schema afterwards is exactly what the migrations made. Building an
 * index once over the loaded rows is far cheaper than maintaining it row by
 * row, and one anti-join validating a foreign key far cheaper than a trigger
 * per row. NOT NULL and CHECK constraints stay and check every row.
 *
 * The DDL text executed is the server's own catalog output, never input.
 */
const LOADED = `('orders'::regclass, 'order_status_history'::regclass, 'audit_log'::regclass)`;

const lockLoadedTablesQuery = defineQuery({
  name: 'seed.lock_loaded_tables',
  params: {},
  columns: {},
  text: `LOCK TABLE orders, order_status_history, audit_log, idempotency_keys, order_alerts IN ACCESS EXCLUSIVE MODE`,
});

const countExistingOrdersQuery = defineQuery({
  name: 'seed.count_existing_orders',
  params: {},
  columns: { orders: 'int8' },
  text: `SELECT count(*) AS orders FROM orders`,
});

/** Takes the loaded tables for this transaction; returns how many orders they hold. */
export async function lockLoadedTables(tx: Queryable): Promise<number> {
  await tx.run(lockLoadedTablesQuery, {});
  return (await tx.one(countExistingOrdersQuery, {})).orders;
}

export interface LoadDdl {
  kind: 'pkey' | 'index' | 'fkey';
  table: string;
  name: string;
  /** Recreates it, as the catalog defines it (for a primary key: its index). */
  create: string;
  /**
   * For a primary key: makes the index built by `create` the key. Built
   * apart (CREATE INDEX takes a share lock, not the exclusive lock of ADD
   * PRIMARY KEY), it builds alongside the table's other indexes; attaching
   * it is instant.
   */
  attach: string | null;
  drop: string;
  /** Index access method (btree, gin), null for a foreign key. */
  method: string | null;
}

const listLoadDdlQuery = defineQuery({
  name: 'seed.list_load_ddl',
  params: {},
  columns: { kind: 'text', table_name: 'text', name: 'text', create_ddl: 'text', attach_ddl: 'text?', drop_ddl: 'text', method: 'text?' },
  text: `
SELECT CASE k.contype WHEN 'p' THEN 'pkey' ELSE 'fkey' END AS kind, k.conrelid::regclass::text AS table_name, k.conname::text AS name,
       CASE WHEN k.contype = 'p' THEN pg_get_indexdef(k.conindid)
            ELSE format('ALTER TABLE %s ADD CONSTRAINT %I %s', k.conrelid::regclass, k.conname, pg_get_constraintdef(k.oid)) END AS create_ddl,
       CASE WHEN k.contype = 'p' THEN format('ALTER TABLE %s ADD CONSTRAINT %I PRIMARY KEY USING INDEX %I', k.conrelid::regclass, k.conname, k.conname) END AS attach_ddl,
       format('ALTER TABLE %s DROP CONSTRAINT %I', k.conrelid::regclass, k.conname) AS drop_ddl,
       CASE WHEN k.contype = 'p' THEN 'btree' END AS method
FROM pg_constraint k
WHERE (k.contype = 'p' AND k.conrelid IN ${LOADED})
   OR (k.contype = 'f' AND (k.conrelid IN ${LOADED} OR k.confrelid IN ${LOADED}))
UNION ALL
SELECT 'index', i.indrelid::regclass::text, i.indexrelid::regclass::text, pg_get_indexdef(i.indexrelid), NULL,
       format('DROP INDEX %s', i.indexrelid::regclass), am.amname::text
FROM pg_index i JOIN pg_class ic ON ic.oid = i.indexrelid JOIN pg_am am ON am.oid = ic.relam
WHERE i.indrelid IN ${LOADED}
  AND NOT EXISTS (SELECT 1 FROM pg_constraint k WHERE k.conindid = i.indexrelid AND k.contype IN ('p', 'u', 'x'))
ORDER BY 1, 2, 3`,
});

/** What the bulk load drops and must rebuild, read from the catalog. */
export async function listLoadDdl(db: Queryable): Promise<LoadDdl[]> {
  const rows = await db.many(listLoadDdlQuery, {});
  return rows.map((r) => ({
    kind: r.kind as LoadDdl['kind'],
    table: r.table_name,
    name: r.name,
    create: r.create_ddl,
    attach: r.attach_ddl,
    drop: r.drop_ddl,
    method: r.method,
  }));
}

/**
 * Drops them (inside the caller's transaction when there is one): foreign
 * keys first, primary keys last, so nothing depends on what goes.
 */
export async function dropLoadDdl(db: Database, ddl: LoadDdl[]): Promise<void> {
  for (const kind of ['fkey', 'index', 'pkey'] as const) {
    for (const d of ddl.filter((r) => r.kind === kind)) await db.withClient((_q, raw) => raw.query(d.drop));
  }
}

const listPresentDdlQuery = defineQuery({
  name: 'seed.list_present_ddl',
  params: { names: 'text[]' },
  columns: { name: 'text', is_index: 'bool' },
  text: `
SELECT c.relname::text AS name, true AS is_index FROM pg_class c
WHERE c.relkind = 'i' AND c.relname = ANY ($1::text[]) AND pg_table_is_visible(c.oid)
UNION
SELECT k.conname::text, false FROM pg_constraint k WHERE k.contype IN ('p', 'f') AND k.conname = ANY ($1::text[])`,
});

/**
 * Which of these exist: indexes (a primary key's too) and constraints. A
 * killed seed may leave a primary key's index built but not attached.
 */
export async function listPresentDdl(db: Queryable, names: string[]): Promise<{ indexes: Set<string>; constraints: Set<string> }> {
  const rows = await db.many(listPresentDdlQuery, { names });
  return { indexes: new Set(rows.filter((r) => r.is_index).map((r) => r.name)), constraints: new Set(rows.filter((r) => !r.is_index).map((r) => r.name)) };
}

const reserveOrderIdsQuery = defineQuery({
  name: 'seed.reserve_order_ids',
  params: { count: 'int8' },
  columns: { base_id: 'int8', last_id: 'int8' },
  text: `
WITH cur AS (SELECT COALESCE(pg_sequence_last_value(pg_get_serial_sequence('orders', 'id')::regclass), 0) AS base_id)
SELECT base_id, setval(pg_get_serial_sequence('orders', 'id'), base_id + $1::int8) AS last_id FROM cur`,
});

/**
 * Moves the orders identity past `count` ids and returns the id before the
 * first: the seed gives ids base + 1 .. base + count explicitly, and orders
 * created meanwhile by anyone else get ids after them.
 */
export async function reserveOrderIds(tx: Queryable, count: number): Promise<number> {
  return (await tx.one(reserveOrderIdsQuery, { count })).base_id;
}
