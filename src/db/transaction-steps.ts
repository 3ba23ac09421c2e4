import pg from 'pg';
import { outsideCancellation } from './cancellation.ts';
import { SerializationError, toDbError } from './errors.ts';
import type { Exec, Queryable } from './exec.ts';

/**
 * The steps of Database.transaction that hold no pool state: how it begins,
 * how a nested one becomes a savepoint, how a serialization failure or a
 * deadlock is retried, and how after-commit hooks run.
 */
type Isolation = 'read committed' | 'repeatable read' | 'serializable';

// One constant statement per isolation level: nothing is spliced into SQL.
export const BEGIN: Record<Isolation, string> = {
  'read committed': 'BEGIN ISOLATION LEVEL READ COMMITTED',
  'repeatable read': 'BEGIN ISOLATION LEVEL REPEATABLE READ',
  serializable: 'BEGIN ISOLATION LEVEL SERIALIZABLE',
};

export interface TransactionOptions {
  isolation?: Isolation;
  /** Attempts in all on serialization failure or deadlock (default 3). */
  attempts?: number;
}

/** The transaction the current async context runs in. */
export interface Ambient {
  db: Queryable;
  /** The transaction's own executor, for a lone statement that needs the driver's result (row count). */
  exec: Exec;
  client: pg.PoolClient;
  savepoints: number;
  /** Run after COMMIT, in order; dropped on rollback (or with their savepoint). */
  afterCommit: Array<() => void>;
}

/** After-commit hooks must not fail the commit that already happened, nor be cancelled with the caller. */
export function runHook(hook: () => void): void {
  try {
    outsideCancellation(hook);
  } catch {
    // The hook's owner reports its own errors (OrderChangeFeed does).
  }
}

/** Runs `attempt` again (the whole transaction) on serialization failure or deadlock, up to `attempts` times in all. */
export async function retryingSerialization<T>(attempts: number, attempt: () => Promise<T>): Promise<T> {
  for (let n = 1; ; n++) {
    try {
      return await attempt();
    } catch (err) {
      // Domain errors pass through untouched; driver errors (COMMIT) get typed.
      const typed = err instanceof pg.DatabaseError ? toDbError(err) : err;
      if (!(typed instanceof SerializationError) || n >= attempts) throw typed;
      await new Promise((r) => setTimeout(r, Math.random() * 20 * n));
    }
  }
}

/** A nested transaction: its failure rolls back only its own work. */
export async function savepoint<T>(outer: Ambient, fn: (tx: Queryable) => Promise<T>): Promise<T> {
  // Savepoint names are generated from a counter, never from input.
  const name = `sp_${++outer.savepoints}`;
  const hooksBefore = outer.afterCommit.length;
  await outer.client.query(`SAVEPOINT ${name}`);
  try {
    const result = await fn(outer.db);
    await outer.client.query(`RELEASE SAVEPOINT ${name}`);
    return result;
  } catch (err) {
    await outer.client.query(`ROLLBACK TO SAVEPOINT ${name}`).catch(() => undefined);
    outer.afterCommit.length = hooksBefore;
    throw err;
  }
}
