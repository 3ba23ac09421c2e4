import type { Database } from '../db/database.ts';
import type { LoadDdl } from './schema-ops.sql.ts';
import { analyzeOrders, listTablePages, prepareTable, PREPARED_TABLES, rebuildReportRollups } from './maintenance.sql.ts';
import { setLocalSettings } from './settings.sql.ts';

/*
 * No parallel workers: the connections already keep the cores busy, and
 * PostgreSQL 18's parallel GIN build did not shorten the longest task (the
 * trigram index at 1,000,000 orders on a stock server: 33.9 s with one
 * worker, 31.9 s without; its leader merges every worker's entries alone).
 * No lock timeout: two foreign keys on one table wait for each other (each
 * takes SHARE ROW EXCLUSIVE on both tables while it validates), and on a
 * busy machine a validation outlasts PG_LOCK_TIMEOUT_MS (a 1,000,000-order
 * seed failed at its last step that way).
 */
const BUILD_SETTINGS = {
  maintenance_work_mem: '512MB',
  max_parallel_maintenance_workers: '0',
  max_parallel_workers_per_gather: '0',
  statement_timeout: '0',
  lock_timeout: '0',
};

/**
 * Connections building at once. With two, the server used 1.45 of the 2
 * cores during the rebuild: each build also waits on WAL writes and on the
 * fsync of the index it wrote, and the third keeps a core busy meanwhile.
 */
const BUILDERS = 3;

interface Task {
  name: string;
  /** Rough size of the work: the longest tasks are started first. */
  cost: number;
  after: string[];
  run(): Promise<void>;
}

/** Told when a step is done, and how long it took (seconds). */
export type StepListener = (step: string, seconds: number) => void;

/** Runs tasks on `workers` connections at once, respecting `after`; the first failure stops the rest. */
async function runTasks(tasks: Task[], workers: number, onStep: StepListener = () => {}): Promise<void> {
  const done = new Set<string>();
  const pending = [...tasks];
  const waiting: (() => void)[] = [];
  let failure: { error: unknown } | undefined;
  const worker = async (): Promise<void> => {
    while (!failure && pending.length) {
      const ready = pending.filter((t) => t.after.every((a) => done.has(a))).sort((a, b) => b.cost - a.cost)[0];
      if (!ready) {
        await new Promise<void>((wake) => waiting.push(wake));
        continue;
      }
      pending.splice(pending.indexOf(ready), 1);
      try {
        const started = performance.now();
        await ready.run();
        onStep(ready.name, Math.round(performance.now() - started) / 1000);
        done.add(ready.name);
      } catch (error) {
        failure ??= { error };
      }
      for (const wake of waiting.splice(0)) wake();
    }
  };
  await Promise.all(Array.from({ length: workers }, worker));
  if (failure) throw failure.error;
}

/*
 * A GIN build gathers its entries in memory and writes them into the index
 * each time the memory is full: at 10,000,000 orders the trigram index's
 * entries (about sixty per order) need several gigabytes, and every round
 * costs a pass of inserts into posting trees.
 */
const GIN_SETTINGS = { ...BUILD_SETTINGS, maintenance_work_mem: '1GB' };

/** Runs catalog DDL (never input) in a transaction with build settings. */
function ddlTask(db: Database, name: string, ddl: string, cost: number, after: string[], settings: Record<string, string> = BUILD_SETTINGS): Task {
  return {
    name,
    cost,
    after,
    run: () =>
      db.transaction(async (tx) => {
        await setLocalSettings(tx, settings);
        await db.withClient((_q, raw) => raw.query(ddl));
      }),
  };
}

/**
 * Rebuilds `missing` (indexes and keys from listLoadDdl) after a load:
 * VACUUM ANALYZE of every loaded table first when `vacuum` is set (see
 * maintenance.sql.ts), then its indexes, then its primary key is attached,
 * then the foreign keys. BUILDERS connections of `db` work through the list,
 * longest task first, each task once what it needs is done: a table's
 * indexes after its VACUUM (they then read pages whose hint bits are set),
 * a primary key once the table's indexes are built (it
 * takes an exclusive lock), foreign keys after every primary key (they lock
 * both tables); the report rollups are recomputed beside them. `built`:
 * indexes that exist already (a primary key's index left unattached by a
 * killed seed).
 */
export async function rebuildLoadedTables(
  db: Database,
  missing: LoadDdl[],
  opts: { vacuum: boolean; onStep?: StepListener; built?: Set<string>; rows?: Map<string, number> },
): Promise<void> {
  const pages = await listTablePages(db, [...new Set(missing.map((d) => d.table))]);
  // A build sorts the table's rows: its cost follows the row count (pages
  // when it is not known, after an interrupted seed). Measured at 1,000,000
  // orders, a GIN build costs about twelve times a B-tree's per row.
  const size = (table: string) => opts.rows?.get(table) ?? pages.get(table) ?? 0;
  const weight = (d: LoadDdl) => size(d.table) * (d.method === 'gin' ? 12 : d.kind === 'fkey' ? 0.5 : 1);
  const vacuumed = (table: string) => (opts.vacuum && (PREPARED_TABLES as readonly string[]).includes(table) ? [`vacuum ${table}`] : []);
  const indexes = missing
    .filter((d) => d.kind !== 'fkey' && !opts.built?.has(d.name))
    .map((d) => ddlTask(db, d.name, d.create, weight(d), vacuumed(d.table), d.method === 'gin' ? GIN_SETTINGS : BUILD_SETTINGS));
  // Once orders' indexes are built, and before anything else locks orders (ANALYZE conflicts with both).
  const ordersIndexes = indexes.filter((i) => missing.some((d) => d.name === i.name && d.table === 'orders')).map((i) => i.name);
  const analyzed: Task[] = opts.vacuum
    ? [
        {
          name: 'analyze orders',
          cost: 0,
          after: ordersIndexes,
          run: () =>
            db.transaction(async (tx) => {
              await setLocalSettings(tx, BUILD_SETTINGS);
              await analyzeOrders(tx);
            }),
        },
      ]
    : [];
  const keys = missing
    .filter((d) => d.kind === 'pkey')
    .map((d) => {
      const tableIndexes = missing.filter((i) => i.kind !== 'fkey' && i.table === d.table && !opts.built?.has(i.name)).map((i) => i.name);
      return ddlTask(db, `${d.name} (primary key)`, d.attach!, 0, [...tableIndexes, ...(d.table === 'orders' ? analyzed.map((a) => a.name) : [])]);
    });
  const fkeys = missing
    .filter((d) => d.kind === 'fkey')
    .map((d) => ddlTask(db, d.name, d.create, weight(d), [...keys.map((k) => k.name), ...vacuumed(d.table)]));
  const vacuums: Task[] = opts.vacuum
    ? PREPARED_TABLES.map((t) => ({
        name: `vacuum ${t}`,
        // First the table whose builds take longest.
        cost: indexes.filter((b) => b.after.includes(`vacuum ${t}`)).reduce((sum, b) => sum + b.cost, 0),
        after: [],
        run: () => prepareTable(db, t),
      }))
    : [];
  const rollups: Task = {
    name: 'report rollups',
    // A pass over orders per rollup table: about three B-tree builds on orders.
    cost: size('orders') * 3,
    after: opts.vacuum ? ['vacuum orders'] : [],
    run: () => rebuildReportRollups(db),
  };
  await runTasks([...vacuums, ...indexes, ...analyzed, ...keys, ...fkeys, rollups], BUILDERS, opts.onStep);
}
