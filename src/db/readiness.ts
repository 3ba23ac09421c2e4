import type { Database } from './database.ts';
import { migrationsCurrent } from './migrate.ts';
import type { DbObserver } from './observer.ts';
import { createDatabase, type PoolLogger, type PoolSettings } from './pool.ts';

export type Readiness = { ready: true } | { ready: false; reason: 'database unreachable' | 'pool saturated' | 'database migrations are not current' };

/** /readyz answers within this, whatever the database does (a load balancer's probe gives up soon after). */
const BUDGET_MS = 900;

export interface ReadinessProbe {
  check(): Promise<Readiness>;
  /** Opens the probe's connection ahead of the first /readyz. */
  warm(): Promise<void>;
  close(): Promise<void>;
}

/**
 * /readyz's check, on a connection of its own: the shared pool may be full
 * of requests stuck on locks, and the probe must still tell "the database
 * does not answer" (go elsewhere, it is down) from "it answers, but every
 * connection here is busy" (go elsewhere, this instance is saturated).
 */
export function createReadinessProbe(
  main: Pick<Database, 'stats'>,
  url: string,
  settings: Pick<PoolSettings, 'pooler'>,
  expectedMigrations: readonly string[],
  logger: PoolLogger,
  observer?: DbObserver,
): ReadinessProbe {
  const own = createDatabase(
    url,
    // One connection kept open for good (idle timeout 0): a probe must not pay for a new session
    // each time. A slow connect may go on past the budget; the next probe finds it ready.
    { min: 0, max: 1, waitMs: 2000, queueMax: 8, statementTimeoutMs: 500, lockTimeoutMs: 200, idleTimeoutMs: 0, pooler: settings.pooler },
    logger,
    // Its query is traced and counted like any other.
    observer,
    'repair-bot-readiness',
  );
  return {
    async check() {
      let current: boolean;
      try {
        current = await withinBudget(migrationsCurrent(own, expectedMigrations));
      } catch {
        return { ready: false, reason: 'database unreachable' };
      }
      if (!current) return { ready: false, reason: 'database migrations are not current' };
      const { total, idle, max } = main.stats();
      if (total >= max && idle === 0) return { ready: false, reason: 'pool saturated' };
      return { ready: true };
    },
    warm: async () => {
      await migrationsCurrent(own, expectedMigrations).catch(() => undefined);
    },
    close: () => own.close(),
  };
}

function withinBudget<T>(work: Promise<T>): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${BUDGET_MS} ms`)), BUDGET_MS);
  });
  work.catch(() => undefined); // it may fail after the budget ran out; nobody waits for it then
  return Promise.race([work, late]).finally(() => clearTimeout(timer));
}
