import { AsyncLocalStorage } from 'node:async_hooks';
import pg from 'pg';
import { currentCancelSignal, outsideCancellation, sendCancelRequest } from './cancellation.ts';
import { ConnectionError, PoolSaturatedError, SerializationError, ShuttingDownError, WorkCancelledError, toDbError } from './errors.ts';
import { execOn, queryable, serialized, type Exec, type Queryable } from './exec.ts';
import { noopObserver, type DbObserver } from './observer.ts';
import { applyTransactionSettings } from './session.sql.ts';

export type { Queryable } from './exec.ts';

// int8 -> number: ids, counts and Telegram ids all stay below 2^53.
pg.types.setTypeParser(pg.types.builtins.INT8, (v) => Number(v));
// date stays 'YYYY-MM-DD': a calendar date has no time zone to shift it.
pg.types.setTypeParser(pg.types.builtins.DATE, (v) => v);
// Sessions run with TimeZone=UTC and DateStyle=ISO (pool.ts), so the server
// sends '2026-11-24 01:36:01.123456+00'; keep every microsecond as RFC 3339.
pg.types.setTypeParser(pg.types.builtins.TIMESTAMPTZ, (v) => v.replace(' ', 'T').replace(/\+00$/, 'Z'));

/**
 * What an edge may ask of the database: run a piece of work as one
 * transaction. Service calls made inside join it (ambient transaction),
 * so the edge never holds a connection or a Queryable itself. Nested, it
 * is a savepoint.
 */
export interface UnitOfWork {
  inTransaction<T>(fn: () => Promise<T>): Promise<T>;
}

const brokenClients = new WeakMap<pg.ClientBase, Error>();

/** Records that a connection failed (its 'error' event), so it is not lent again. */
export function markBroken(client: pg.ClientBase, err: Error): void {
  if (!brokenClients.has(client)) brokenClients.set(client, err);
}

/** After-commit hooks must not fail the commit that already happened, nor be cancelled with the caller. */
function runHook(hook: () => void): void {
  try {
    outsideCancellation(hook);
  } catch {
    // The hook's owner reports its own errors (OrderChangeFeed does).
  }
}

type Isolation = 'read committed' | 'repeatable read' | 'serializable';

// One constant statement per isolation level: nothing is spliced into SQL.
const BEGIN: Record<Isolation, string> = {
  'read committed': 'BEGIN ISOLATION LEVEL READ COMMITTED',
  'repeatable read': 'BEGIN ISOLATION LEVEL REPEATABLE READ',
  serializable: 'BEGIN ISOLATION LEVEL SERIALIZABLE',
};

export interface TransactionOptions {
  isolation?: Isolation;
  /** Attempts in all on serialization failure or deadlock (default 3). */
  attempts?: number;
}

interface Ambient {
  db: Queryable;
  /** The transaction's own executor, for a lone statement that needs the driver's result (row count). */
  exec: Exec;
  client: pg.PoolClient;
  savepoints: number;
  /** Run after COMMIT, in order; dropped on rollback (or with their savepoint). */
  afterCommit: Array<() => void>;
}

export interface DatabaseOptions {
  observer?: DbObserver;
  /** Callers that may wait for a connection at once; past it, PoolSaturatedError at once (default: no bound). */
  queueMax?: number;
  /**
   * Behind a transaction pooler (PgBouncer, pool_mode=transaction) a server
   * session serves many clients: statements stay unnamed, every statement
   * runs in a transaction, and the session settings are applied to each one.
   */
  transactionPooler?: { statementTimeoutMs: number; lockTimeoutMs: number };
}

/**
 * The pool: a Queryable that also lends connections and runs transactions.
 *
 * Inside `transaction(fn)`, every query made through this Database in the
 * same async context joins that transaction (AsyncLocalStorage), so a caller
 * can wrap service calls it does not control: the bot records a Telegram
 * update_id and applies its effect in one transaction. A nested
 * `transaction` becomes a SAVEPOINT.
 *
 * Work runs under the caller's cancel signal (cancellation.ts): when it
 * aborts, the statement running on the lent connection is cancelled, nothing
 * further runs, the transaction rolls back, and the connection is discarded
 * (a late cancel must not hit the next borrower's statement).
 */
export class Database implements Queryable, UnitOfWork {
  readonly pool: pg.Pool;
  readonly observer: DbObserver;
  private readonly direct: Queryable;
  private readonly ambient = new AsyncLocalStorage<Ambient>();
  private readonly queueMax: number;
  private readonly pooler: DatabaseOptions['transactionPooler'];
  /** Connections lent out now, with whether their transaction is committing (a cancel then would be ambiguous). */
  private readonly lent = new Map<pg.PoolClient, { committing: boolean }>();
  private cancelled = false;

  constructor(pool: pg.Pool, opts: DatabaseOptions = {}) {
    this.pool = pool;
    this.observer = opts.observer ?? noopObserver;
    this.queueMax = opts.queueMax ?? Number.POSITIVE_INFINITY;
    this.pooler = opts.transactionPooler;
    this.direct = this.pooler
      ? // A lone statement behind a transaction pooler still needs its settings: one short transaction each.
        queryable((q, params) => this.transaction(() => this.ambient.getStore()!.exec(q, params)))
      : queryable((q, params) => this.withClient((_db, raw) => this.exec(raw)(q, params)));
  }

  private exec(client: pg.ClientBase) {
    return execOn(client, this.observer, this.pool, this.pooler === undefined);
  }

  private get current(): Queryable {
    return this.ambient.getStore()?.db ?? this.direct;
  }

  one: Queryable['one'] = (q, p) => this.current.one(q, p);
  maybeOne: Queryable['maybeOne'] = (q, p) => this.current.maybeOne(q, p);
  many: Queryable['many'] = (q, p) => this.current.many(q, p);
  run: Queryable['run'] = (q, p) => this.current.run(q, p);

  /** True inside transaction(): writes will commit or roll back together. */
  get insideTransaction(): boolean {
    return this.ambient.getStore() !== undefined;
  }

  /** Runs `fn` outside the current transaction: a job run while its lock transaction stays open. */
  outsideTransaction<T>(fn: () => Promise<T>): Promise<T> {
    return this.ambient.exit(fn);
  }

  /**
   * Lends one connection to `fn` and always takes it back (there is no
   * release() to forget). Inside a transaction, lends the transaction's.
   */
  async withClient<T>(fn: (db: Queryable, raw: pg.PoolClient) => Promise<T>): Promise<T> {
    const tx = this.ambient.getStore();
    if (tx) return fn(tx.db, tx.client);
    const signal = currentCancelSignal();
    if (this.cancelled) throw new ShuttingDownError('the service is shutting down', {});
    if (signal?.aborted) throw new WorkCancelledError('the caller went away', {});
    const client = await this.acquire();
    const lease = { committing: false };
    this.lent.set(client, lease);
    const onAbort = () => this.cancel(client);
    signal?.addEventListener('abort', onAbort, { once: true });
    let broken: Error | undefined;
    try {
      if (signal?.aborted) throw new WorkCancelledError('the caller went away', {});
      return await fn(queryable(this.exec(client)), client);
    } catch (err) {
      const cancelled = brokenClients.get(client);
      // Our own cancel surfaces as 57014 (or a failed COMMIT): say what it was.
      if (cancelled instanceof WorkCancelledError && !(err instanceof WorkCancelledError)) {
        const Reason = cancelled.constructor as typeof WorkCancelledError;
        throw new Reason(cancelled.message, { cause: err });
      }
      // A connection that failed mid-protocol must not go back to the pool.
      if (toDbError(err) instanceof ConnectionError) broken = err as Error;
      throw err;
    } finally {
      signal?.removeEventListener('abort', onAbort);
      this.lent.delete(client);
      client.release(broken ?? brokenClients.get(client));
    }
  }

  /**
   * A connection from the pool, within PG_POOL_WAIT_MS; with every
   * connection busy and PG_POOL_QUEUE_MAX callers already waiting, none:
   * a few requests stuck on locks must not make every other one wait.
   */
  private async acquire(): Promise<pg.PoolClient> {
    const { total, idle, waiting, max } = this.stats();
    const full = total >= max && idle === 0;
    if (full && waiting >= this.queueMax) {
      throw new PoolSaturatedError(`all ${max} connections are busy and ${waiting} callers wait already`, {});
    }
    const started = performance.now();
    try {
      const client = await this.pool.connect();
      this.observer.connectionAcquired((performance.now() - started) / 1000);
      return client;
    } catch (err) {
      if (full && /timeout exceeded when trying to connect/i.test((err as Error).message)) {
        throw new PoolSaturatedError(`no connection freed up within the wait (${max} busy)`, { cause: err });
      }
      throw toDbError(err);
    }
  }

  /** Cancels the statement running on a lent connection, which is then discarded. */
  private cancel(client: pg.PoolClient, reason: WorkCancelledError = new WorkCancelledError('the caller went away', {})): void {
    const lease = this.lent.get(client);
    if (!lease || lease.committing || brokenClients.has(client)) return;
    brokenClients.set(client, reason);
    void sendCancelRequest(client);
  }

  /**
   * Shutdown past its grace: cancels every running statement (requests,
   * scheduler jobs) and refuses new work, so closing the pool does not wait
   * for statements blocked on locks.
   */
  cancelAll(): number {
    this.cancelled = true;
    const running = [...this.lent.keys()];
    for (const client of running) this.cancel(client, new ShuttingDownError('the service is shutting down', {}));
    return running.length;
  }

  /**
   * Runs `fn` in a transaction: commit on success, rollback on error, and the
   * whole callback retried on serialization failure or deadlock.
   */
  async transaction<T>(fn: (tx: Queryable) => Promise<T>, opts: TransactionOptions = {}): Promise<T> {
    const outer = this.ambient.getStore();
    if (outer) return this.savepoint(outer, fn);
    const attempts = opts.attempts ?? 3;
    for (let attempt = 1; ; attempt++) {
      try {
        return await this.withClient(async (_db, raw) => {
          await raw.query(BEGIN[opts.isolation ?? 'read committed']);
          const exec = serialized(this.exec(raw));
          const tx: Ambient = { db: queryable(exec), exec, client: raw, savepoints: 0, afterCommit: [] };
          try {
            if (this.pooler) await applyTransactionSettings(tx.db, this.pooler);
            const result = await this.ambient.run(tx, () => fn(tx.db));
            await this.commit(raw);
            for (const hook of tx.afterCommit) runHook(hook);
            return result;
          } catch (err) {
            await raw.query('ROLLBACK').catch(() => undefined);
            throw err;
          }
        });
      } catch (err) {
        // Domain errors pass through untouched; driver errors (COMMIT) get typed.
        const typed = err instanceof pg.DatabaseError ? toDbError(err) : err;
        if (!(typed instanceof SerializationError) || attempt >= attempts) throw typed;
        await new Promise((r) => setTimeout(r, Math.random() * 20 * attempt));
      }
    }
  }

  /** COMMIT, unless the caller went away or the connection was cancelled: then the work is rolled back. */
  private async commit(client: pg.PoolClient): Promise<void> {
    const lease = this.lent.get(client);
    const cancelled = brokenClients.get(client);
    if (cancelled instanceof WorkCancelledError) throw cancelled;
    if (currentCancelSignal()?.aborted || cancelled || !lease) throw new WorkCancelledError('the caller went away before the commit', {});
    lease.committing = true;
    await client.query('COMMIT');
  }

  inTransaction<T>(fn: () => Promise<T>): Promise<T> {
    return this.transaction(() => fn());
  }

  /** A nested transaction: its failure rolls back only its own work. */
  private async savepoint<T>(outer: Ambient, fn: (tx: Queryable) => Promise<T>): Promise<T> {
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

  /**
   * Runs `hook` once the current transaction commits (never if it rolls
   * back), or right away outside a transaction. For effects that must not
   * announce what may still be undone: notifications, counters.
   */
  afterCommit(hook: () => void): void {
    const tx = this.ambient.getStore();
    if (tx) tx.afterCommit.push(hook);
    else runHook(hook);
  }

  /** Pool occupancy, read by the metrics collector. */
  stats(): { total: number; idle: number; waiting: number; max: number } {
    return { total: this.pool.totalCount, idle: this.pool.idleCount, waiting: this.pool.waitingCount, max: this.pool.options.max ?? 10 };
  }

  async close(): Promise<void> {
    await this.pool.end();
  }
}
