import type { Database } from '../db/database.ts';
import { loadInParallel, type LoadOptions } from './loaders.ts';
import { cancelBackends, tryLockSeeding, unlockSeeding } from './maintenance.sql.ts';
import type { SeededOrders } from './orders.sql.ts';
import { rebuildLoadedTables, type StepListener } from './rebuild.ts';
import { dropLoadDdl, listLoadDdl, listPresentDdl, lockLoadedTables, reserveOrderIds, type LoadDdl } from './schema-ops.sql.ts';
import { findUnfinishedSeed, recordSeedFinish, recordSeedStart } from './seed-log.sql.ts';
import { setLocalSettings } from './settings.sql.ts';

export type SeedOptions = LoadOptions;

/**
 * Loader connections. With two, the server used 1.2 of the 2 cores while
 * writing (a stock server's 4 MB of WAL buffers fill, and a loader then
 * waits to write WAL itself: about a fifth of the samples); a third keeps
 * a core busy meanwhile. The rows still land in about time order.
 */
const LOADERS = 3;

export const SEED_DEFAULTS = { masters: 50, dispatchers: 6, admins: 3, seed: 1, timeZone: 'Europe/Moscow' } as const;

export interface SeedReport extends SeededOrders {
  users: number;
  /** Seconds: until the rows were written, then VACUUM ANALYZE with index and key rebuilds, and in all. */
  seconds: { load: number; rebuild: number; total: number };
}

/** Seeding would mix generated rows with real ones, or another seed runs. */
export class SeedRefusedError extends Error {
  override readonly name = 'SeedRefusedError';
}

/** One seed at a time per database. */
async function exclusively<T>(db: Database, fn: () => Promise<T>): Promise<T> {
  return db.withClient(async (conn) => {
    if (!(await tryLockSeeding(conn))) throw new SeedRefusedError('another seed is running on this database');
    try {
      return await fn();
    } finally {
      await unlockSeeding(conn);
    }
  });
}

/** Rebuilds what an interrupted seed left dropped; null when there was nothing to repair. */
async function repair(db: Database): Promise<{ repaired: string[] } | null> {
  const open = await findUnfinishedSeed(db);
  if (!open) return null;
  const present = await listPresentDdl(
    db,
    open.start.restore.map((d) => d.name),
  );
  const missing = open.start.restore.filter((d) => !(d.kind === 'index' ? present.indexes : present.constraints).has(d.name));
  await rebuildLoadedTables(db, missing, { vacuum: true, built: present.indexes });
  await recordSeedFinish(db, open.id, { repaired: missing.map((d) => d.name) });
  return { repaired: missing.map((d) => d.name) };
}

/** Repairs an interrupted seed (indexes and keys it dropped), if any. */
export function repairInterruptedSeed(db: Database): Promise<{ repaired: string[] } | null> {
  return exclusively(db, () => repair(db));
}

const since = (t: number) => Math.round(performance.now() - t) / 1000;

/** After a failed load: the tables are as they were, so rebuild what was dropped. */
async function restoreAfterFailure(db: Database, start: { id: number; restore: LoadDdl[] }, err: Error): Promise<void> {
  try {
    await rebuildLoadedTables(db, start.restore, { vacuum: false });
    await recordSeedFinish(db, start.id, { failed: err.message });
  } catch (restoreErr) {
    err.message += `; restoring the indexes and keys failed too (${(restoreErr as Error).message}): run "repair-bot seed --repair"`;
  }
}

/**
 * Fills a database without orders with a realistic history: staff and
 * masters, `orders` orders over three years with their status history and
 * audit trail. Refuses when orders exist (users and masters already there
 * are kept; the seeded ones are added beside them).
 *
 * 1. One transaction takes the tables, checks they hold no orders, reserves
 *    the order ids, drops indexes and keys, and records `seed.start`.
 * 2. LOADERS loaders write the rows (see loaders.ts): all or nothing.
 * 3. VACUUM ANALYZE, indexes and keys rebuilt on three connections, then
 *    `seed.finish`. If the load fails, or the process is killed, the next
 *    run (or `repair`) rebuilds from `seed.start`.
 *
 * `signal` cancels the running statements; the dropped schema is rebuilt
 * before this rejects. Uses up to four connections of `db` at once.
 */
export async function seedDatabase(db: Database, opts: SeedOptions, hooks: { signal?: AbortSignal; onStep?: StepListener } = {}): Promise<SeedReport> {
  const { signal, onStep } = hooks;
  return exclusively(db, async () => {
    const started = performance.now();
    await repair(db);
    const backends: number[] = [];
    const cancel = () => void cancelBackends(db, backends).catch(() => undefined);
    signal?.addEventListener('abort', cancel, { once: true });
    try {
      const start = await db.transaction(async (tx) => {
        await setLocalSettings(tx, { statement_timeout: '0' });
        const existing = await lockLoadedTables(tx);
        if (existing > 0) throw new SeedRefusedError(`the database already has ${existing} orders; seed only fills a database without orders`);
        const restore = await listLoadDdl(tx);
        const baseId = await reserveOrderIds(tx, opts.orders);
        await dropLoadDdl(db, restore);
        const id = await recordSeedStart(tx, { orders: opts.orders, seed: opts.seed, base_id: baseId, restore });
        return { id, restore, baseId };
      });
      let loaded: SeededOrders;
      try {
        signal?.throwIfAborted();
        loaded = await loadInParallel(db, opts, start.baseId, LOADERS, { onBackend: (pid) => backends.push(pid), onFailure: cancel });
      } catch (err) {
        await restoreAfterFailure(db, start, err as Error);
        throw err;
      }
      const loadedAt = performance.now();
      onStep?.('load', since(started));
      const rows = new Map([
        ['orders', loaded.orders],
        ['order_status_history', loaded.history],
        ['audit_log', loaded.audit],
      ]);
      await rebuildLoadedTables(db, start.restore, { vacuum: true, onStep, rows });
      const report: SeedReport = {
        ...loaded,
        users: opts.admins + opts.dispatchers + opts.masters,
        seconds: { load: Math.round((loadedAt - started) / 10) / 100, rebuild: since(loadedAt), total: since(started) },
      };
      await recordSeedFinish(db, start.id, { ...report });
      return report;
    } finally {
      signal?.removeEventListener('abort', cancel);
    }
  });
}
