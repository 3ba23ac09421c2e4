import type { Database } from '../db/database.ts';
import type { LoadDdl } from './schema-ops.sql.ts';
import { listTablePages, prepareTable, PREPARED_TABLES, rebuildReportRollups } from './maintenance.sql.ts';
import { setLocalSettings } from './settings.sql.ts';

/*
 * Two connections already keep both cores busy: parallel workers would only
 * add their own overhead (a parallel GIN build costs half as much again).
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

/** Runs catalog DDL (never input) in a transaction with build settings. */
function ddlTask(db: Database, name: string, ddl: string, cost: number, after: string[]): Task {
  return {
    name,
    cost,
    after,
    run: () =>
      db.transaction(async (tx) => {
        await setLocalSettings(tx, BUILD_SETTINGS);
        await db.withClient((_q, raw) => raw.query(ddl));
      }),
  };
}

/**
 * Rebuilds `missing` (indexes and keys from listLoadDdl) after a load:
 * VACUUM ANALYZE of every loaded table first when `vacuum` is set (see
 * maintenance.sql.ts), then its indexes, then its primary key is attached,
 * then the foreign keys. Two connections of `db` work through the list,
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
  opts: { vacuum: boolean; onStep?: StepListener; built?: Set<string> },
): Promise<void> {
  const pages = await listTablePages(db, [...new Set(missing.map((d) => d.table))]);
  const weight = (d: LoadDdl) => (pages.get(d.table) ?? 0) * (d.method === 'gin' ? 10 : d.kind === 'fkey' ? 0.5 : 1);
  const vacuumed = (table: string) => (opts.vacuum && (PREPARED_TABLES as readonly string[]).includes(table) ? [`vacuum ${table}`] : []);
  const indexes = missing.filter((d) => d.kind !== 'fkey' && !opts.built?.has(d.name)).map((d) => ddlTask(db, d.name, d.create, weight(d), vacuumed(d.table)));
  const keys = missing
    .filter((d) => d.kind === 'pkey')
    .map((d) => {
      const tableIndexes = missing.filter((i) => i.kind !== 'fkey' && i.table === d.table && !opts.built?.has(i.name)).map((i) => i.name);
      return ddlTask(db, `${d.name} (primary key)`, d.attach!, 0, tableIndexes);
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
    // About one pass over orders per rollup table.
    cost: (pages.get('orders') ?? 0) * 2,
    after: opts.vacuum ? ['vacuum orders'] : [],
    run: () => rebuildReportRollups(db),
  };
  await runTasks([...vacuums, ...indexes, ...keys, ...fkeys, rollups], 2, opts.onStep);
}
