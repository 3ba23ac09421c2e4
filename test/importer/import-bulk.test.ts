import type pg from 'pg';
import { afterEach, describe, expect, it } from 'vitest';
import { BULK_MIN_ORDERS, shouldBulkLoad } from '../../src/importer/bulk-load.ts';
import { useTestDatabase } from '../support/db.ts';
import { eventually } from '../support/eventually.ts';
import { QUIRKS } from './quirks-data.ts';
import { importData, refuseAuditRow, rows, snapshot } from './support.ts';

/**
 * The bulk path of a large first import: indexes and foreign keys dropped in
 * the import's transaction and built again before it commits. Nobody sees
 * the tables without them, a failure leaves them as they were, and what
 * comes back is exactly what was there.
 */
const t = useTestDatabase();

const WRITTEN = ['orders', 'order_status_history', 'audit_log', 'legacy_orders', 'legacy_order_status_history', 'legacy_audit_log'];

interface CatalogueEntry {
  kind: string;
  name: string;
  def: string;
  oid: number;
}

/** Test-only SQL: every index, constraint and (user) trigger of the written tables, as the catalogue defines them. */
async function catalogue(db: pg.ClientBase | typeof t.db.pool = t.db.pool): Promise<CatalogueEntry[]> {
  const result = await db.query<CatalogueEntry>(
    `SELECT 'index' AS kind, i.indexrelid::regclass::text AS name, pg_get_indexdef(i.indexrelid) || ' valid=' || i.indisvalid AS def,
            i.indexrelid::int8 AS oid
     FROM pg_index i WHERE i.indrelid::regclass::text = ANY ($1::text[])
     UNION ALL
     SELECT 'constraint', conrelid::regclass::text || '.' || conname, pg_get_constraintdef(oid) || ' validated=' || convalidated ||
            ' deferrable=' || condeferrable || ' deferred=' || condeferred, oid::int8
     FROM pg_constraint WHERE conrelid::regclass::text = ANY ($1::text[])
     UNION ALL
     SELECT 'trigger', tgrelid::regclass::text || '.' || tgname, pg_get_triggerdef(oid) || ' enabled=' || tgenabled::text, oid::int8
     FROM pg_trigger WHERE NOT tgisinternal AND tgrelid::regclass::text = ANY ($1::text[])
     ORDER BY 1, 2`,
    [WRITTEN],
  );
  return result.rows.map((r) => ({ ...r, oid: Number(r.oid) }));
}

const definitions = (entries: CatalogueEntry[]) => entries.map(({ kind, name, def }) => ({ kind, name, def }));

/**
 * Test-only SQL: the names of the written tables' indexes and constraints,
 * read without touching the tables (pg_get_indexdef and pg_get_triggerdef
 * wait for a table's lock like any reader).
 */
async function catalogueNames(db: pg.ClientBase): Promise<string[]> {
  const result = await db.query<{ name: string }>(
    `SELECT i.indexrelid::regclass::text AS name FROM pg_index i WHERE i.indrelid::regclass::text = ANY ($1::text[])
     UNION ALL
     SELECT conrelid::regclass::text || '.' || conname FROM pg_constraint WHERE conrelid::regclass::text = ANY ($1::text[])
     ORDER BY 1`,
    [WRITTEN],
  );
  return result.rows.map((r) => r.name);
}

let blocker: pg.PoolClient | null = null;
afterEach(async () => {
  await blocker?.query('ROLLBACK');
  blocker?.release();
  blocker = null;
  await t.db.pool.query('DROP TRIGGER IF EXISTS fail_import ON audit_log');
});

/** Holds a lock on users that the bulk path's key drops wait for: the import stops there with its tables locked. */
async function holdUsers(): Promise<void> {
  blocker = await t.db.pool.connect();
  await blocker.query('BEGIN');
  await blocker.query('LOCK TABLE users IN ROW EXCLUSIVE MODE');
}

/** The backend that holds orders locked ACCESS EXCLUSIVE and waits on a lock: the import, stopped by holdUsers. */
async function importWaiting(): Promise<number> {
  return eventually(
    async () => {
      const [r] = await rows<{ pid: number }>(
        t.db,
        `SELECT l.pid FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid
         WHERE l.relation = 'orders'::regclass AND l.mode = 'AccessExclusiveLock' AND l.granted AND a.wait_event_type = 'Lock'`,
      );
      if (!r) throw new Error('no session holds orders locked while waiting');
      return r.pid;
    },
    { what: 'the bulk import to hold its locks and wait on users' },
  );
}

describe('import-sqlite: the bulk path', () => {
  it('imports what the normal path imports and leaves every index, key and trigger exactly as it was', async () => {
    // Setup
    const before = await catalogue();
    // Action
    const bulk = await importData(t.db, QUIRKS, { source: 'bulk', bulk: true });
    const normal = await importData(t.db, QUIRKS, { source: 'normal', bulk: false });
    // Assertions
    expect(bulk.bulk_load).toBe(true);
    expect(normal.bulk_load).toBe(false);
    // What the bulk path drops and builds: every index that is not unique (primary keys are) and every foreign key,
    // counted from the catalogue, so a migration adding one is covered too.
    const secondary = before.filter((e) => e.kind === 'index' && !e.def.startsWith('CREATE UNIQUE INDEX')).length;
    const foreignKeys = before.filter((e) => e.kind === 'constraint' && e.def.startsWith('FOREIGN KEY')).length;
    expect(secondary).toBeGreaterThanOrEqual(23);
    expect(foreignKeys).toBe(15);
    expect(bulk.notes).toContain(
      `bulk load: ${secondary + foreignKeys} secondary indexes and foreign keys of the order and trail tables built once after loading, in this transaction`,
    );
    for (const table of ['orders', 'order_status_history', 'audit_log'] as const) expect(bulk.tables[table], table).toEqual(normal.tables[table]);
    const after = await catalogue();
    expect(definitions(after)).toEqual(definitions(before));
    // Built again, not left alone: the secondary indexes are new objects with the old definitions.
    const rebuilt = after.filter((e) => e.kind === 'index' && !before.some((b) => b.oid === e.oid)).map((e) => e.name);
    expect(rebuilt).toContain('orders_search_trgm_idx');
    expect(rebuilt).not.toContain('orders_pkey');
    expect(rebuilt).toHaveLength(secondary);
    expect(await rows(t.db, 'SELECT * FROM legacy_import_bulk_ddl')).toEqual([]);
  });

  it('a failure halfway leaves every index and key in place and nothing written', async () => {
    // Setup: the database refuses an audit row, after the indexes were dropped and orders and history went in.
    await refuseAuditRow(t.db);
    const catalogueBefore = await catalogue();
    const before = await snapshot(t.db);
    // Action
    const attempt = importData(t.db, QUIRKS, { source: 'failing', bulk: true });
    // Assertions
    await expect(attempt).rejects.toThrow(/refused by test/);
    expect(await catalogue()).toEqual(catalogueBefore);
    expect(await snapshot(t.db)).toEqual(before);
  });

  it('a reader meanwhile waits for the lock, sees every index and key, then all the rows at once', async () => {
    // Setup
    const catalogueBefore = definitions(await catalogue());
    const ordersBefore = Number((await rows<{ n: string }>(t.db, 'SELECT count(*) AS n FROM orders'))[0]!.n);
    const reader = await t.db.pool.connect();
    let refused: unknown;
    let namesBefore: string[];
    let namesMeanwhile: string[];
    let patient: Promise<pg.QueryResult<{ n: string }>>;
    let summary: Awaited<ReturnType<typeof importData>>;
    try {
      namesBefore = await catalogueNames(reader);
      await holdUsers();
      const running = importData(t.db, QUIRKS, { source: 'concurrent', bulk: true });
      await importWaiting();
      // Action
      namesMeanwhile = await catalogueNames(reader);
      await reader.query(`SET lock_timeout = '100ms'`);
      refused = await reader.query('SELECT count(*) FROM orders').catch((err: unknown) => err);
      await reader.query('RESET lock_timeout');
      patient = reader.query<{ n: string }>('SELECT count(*) AS n FROM orders');
      await blocker!.query('ROLLBACK');
      summary = await running;
      await patient;
    } finally {
      reader.release();
    }
    // Assertions
    expect(refused).toMatchObject({ code: '55P03' });
    expect(namesMeanwhile).toEqual(namesBefore);
    expect(namesBefore).toContain('orders_search_trgm_idx');
    expect(summary.bulk_load).toBe(true);
    expect(Number((await patient).rows[0]!.n)).toBe(ordersBefore + summary.tables.orders.imported);
    expect(definitions(await catalogue())).toEqual(catalogueBefore);
  });

  it('a transaction that dropped indexes and did not build them again cannot commit', async () => {
    // Setup
    const before = await catalogue();
    const client = await t.db.pool.connect();
    let commit: unknown;
    try {
      await client.query('BEGIN');
      await client.query(`SELECT legacy_import_bulk_begin(ARRAY['audit_log']::regclass[])`);
      // Action
      commit = await client.query('COMMIT').catch((err: unknown) => err);
    } finally {
      client.release();
    }
    // Assertions
    expect(commit).toMatchObject({ message: expect.stringMatching(/a bulk load dropped .* and did not build it again: rolled back/) });
    expect(await catalogue()).toEqual(before);
  });

  it('is chosen for a large first import into a database holding fewer orders, never for a later snapshot or a dry run', async () => {
    // Setup: the database holds a few orders.
    await importData(t.db, QUIRKS, { source: 'rule' });
    const large = { forced: undefined, firstImport: true, dryRun: false, fileOrders: BULK_MIN_ORDERS };
    // Action
    const decisions = {
      large: await shouldBulkLoad(t.db, large),
      small: await shouldBulkLoad(t.db, { ...large, fileOrders: BULK_MIN_ORDERS - 1 }),
      later: await shouldBulkLoad(t.db, { ...large, firstImport: false }),
      dryRun: await shouldBulkLoad(t.db, { ...large, dryRun: true }),
      forcedOff: await shouldBulkLoad(t.db, { ...large, forced: false }),
      forcedOn: await shouldBulkLoad(t.db, { ...large, firstImport: false, fileOrders: 1, forced: true }),
    };
    // Assertions
    expect(decisions).toEqual({ large: true, small: false, later: false, dryRun: false, forcedOff: false, forcedOn: true });
  });
});
