import type { Database } from '../db/database.ts';
import type { CommissionRules } from '../orders/money.ts';
import { insertSeedOrders, type SeededOrders } from './orders.sql.ts';
import { insertStaff, type SeededStaff } from './people.sql.ts';
import { setLocalSettings } from './settings.sql.ts';

export interface LoadOptions {
  orders: number;
  masters: number;
  dispatchers: number;
  admins: number;
  seed: number;
  timeZone: string;
  commission: CommissionRules;
}

/** Per loader transaction: memory for the plan, no commit wait, no time limit. */
const LOAD_SETTINGS = {
  work_mem: '512MB',
  synchronous_commit: 'off',
  statement_timeout: '0',
  // The audit details lookup is a small table probed millions of times: a
  // hash join. The planner cannot know the CTE sizes and may otherwise sort
  // every audit row for a merge join.
  enable_mergejoin: 'off',
  // Rollups are rebuilt once after the load (maintenance.sql.ts); the history
  // trigger that keeps orders.arrived_at skips too (the orders carry it already).
  'repair_bot.skip_rollups': 'on',
};

/**
 * Writes the seed on `loaders` connections at once, each in its own
 * transaction, each the orders (with history and audit rows) of every
 * loaders-th day: they advance through time together, so rows land on disk
 * roughly in time order, as in a live database. The first also writes the
 * staff, whose ids the others use (foreign keys are off during the load
 * and validated afterwards). None commits before all have finished, and if
 * one fails the others are cancelled and all roll back: the data lands
 * whole or not at all.
 */
export async function loadInParallel(
  db: Database,
  opts: LoadOptions,
  baseId: number,
  loaders: number,
  hooks: { onBackend(pid: number): void; onFailure(): void },
): Promise<SeededOrders> {
  // One clock for all loaders: each shares out the ids from the same calendar.
  const asOf = new Date().toISOString();
  const staff = Promise.withResolvers<SeededStaff>();
  const finished = Array.from({ length: loaders }, () => Promise.withResolvers<void>());
  const all = Promise.all(finished.map((f) => f.promise));
  staff.promise.catch(() => undefined);
  all.catch(() => undefined);
  // The error that started it, not the cancellations it caused.
  let first: { error: unknown } | undefined;
  const runs = finished.map((done, shard) =>
    db.transaction(async (tx) => {
      try {
        await db.withClient(async (_q, raw) => hooks.onBackend((raw as unknown as { processID: number }).processID));
        await setLocalSettings(tx, LOAD_SETTINGS);
        if (shard === 0) staff.resolve(await insertStaff(tx, opts, opts.seed));
        const result = await insertSeedOrders(tx, await staff.promise, { ...opts, shard, shards: loaders, baseId, asOf });
        done.resolve();
        await all;
        return result;
      } catch (err) {
        first ??= { error: err };
        staff.reject(err);
        done.reject(err);
        // The others need not finish a load that will roll back.
        hooks.onFailure();
        throw err;
      }
    }),
  );
  const results = await Promise.allSettled(runs);
  const failed = results.find((r) => r.status === 'rejected');
  if (failed) throw first ? first.error : failed.reason;
  return sum(results.map((r) => (r as PromiseFulfilledResult<SeededOrders>).value));
}

function sum(parts: SeededOrders[]): SeededOrders {
  const statuses: Record<string, number> = {};
  for (const p of parts) for (const [s, n] of Object.entries(p.statuses)) statuses[s] = (statuses[s] ?? 0) + n;
  return {
    orders: parts.reduce((a, p) => a + p.orders, 0),
    history: parts.reduce((a, p) => a + p.history, 0),
    audit: parts.reduce((a, p) => a + p.audit, 0),
    lastId: Math.max(0, ...parts.map((p) => p.lastId)),
    statuses,
  };
}
