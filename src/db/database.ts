import { AsyncLocalStorage } from 'node:async_hooks';
import type pg from 'pg';
import './type-parsers.ts';
import { ConnectionLender } from './connection-lender.ts';
import { execOn, queryable, serialized, type Queryable } from './exec.ts';
import { noopObserver, type DbObserver } from './observer.ts';
import { applyTransactionSettings } from './session.sql.ts';
import { BEGIN, retryingSerialization, runHook, savepoint, type Ambient, type TransactionOptions } from './transaction-steps.ts';

export type { Queryable } from './exec.ts';

/**
 * What an edge may ask of the database: run a piece of work as one
 * transaction. Service calls made inside join it (ambient transaction),
 * so the edge never holds a connection or a Queryable itself. Nested, it
 * is a savepoint.
 */
export interface UnitOfWork {
  inTransaction<T>(fn: () => Promise<T>): Promise<T>;
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
 * Work runs under the caller's cancel signal (connection-lender.ts): when it
 * aborts, the statement is cancelled and the transaction rolls back.
 */
export class Database implements Queryable, UnitOfWork {
  readonly pool: pg.Pool;
  readonly observer: DbObserver;
  private readonly direct: Queryable;
  private readonly ambient = new AsyncLocalStorage<Ambient>();
  private readonly lender: ConnectionLender;
  private readonly pooler: DatabaseOptions['transactionPooler'];

  constructor(pool: pg.Pool, opts: DatabaseOptions = {}) {
    this.pool = pool;
    this.observer = opts.observer ?? noopObserver;
    this.lender = new ConnectionLender(pool, this.observer, opts.queueMax ?? Number.POSITIVE_INFINITY);
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
    return this.lender.lend((client) => fn(queryable(this.exec(client)), client));
  }

  /**
   * Shutdown past its grace: cancels every running statement (requests,
   * scheduler jobs) and refuses new work, so closing the pool does not wait
   * for statements blocked on locks.
   */
  cancelAll(): number {
    return this.lender.cancelAll();
  }

  /**
   * Runs `fn` in a transaction: commit on success, rollback on error, and the
   * whole callback retried on serialization failure or deadlock.
   */
  async transaction<T>(fn: (tx: Queryable) => Promise<T>, opts: TransactionOptions = {}): Promise<T> {
    const outer = this.ambient.getStore();
    if (outer) return savepoint(outer, fn);
    return retryingSerialization(opts.attempts ?? 3, () =>
      this.withClient(async (_db, raw) => {
        await raw.query(BEGIN[opts.isolation ?? 'read committed']);
        const exec = serialized(this.exec(raw));
        const tx: Ambient = { db: queryable(exec), exec, client: raw, savepoints: 0, afterCommit: [] };
        try {
          if (this.pooler) await applyTransactionSettings(tx.db, this.pooler);
          const result = await this.ambient.run(tx, () => fn(tx.db));
          await this.lender.commit(raw);
          for (const hook of tx.afterCommit) runHook(hook);
          return result;
        } catch (err) {
          await raw.query('ROLLBACK').catch(() => undefined);
          throw err;
        }
      }),
    );
  }

  inTransaction<T>(fn: () => Promise<T>): Promise<T> {
    return this.transaction(() => fn());
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
    return this.lender.stats();
  }

  async close(): Promise<void> {
    await this.pool.end();
  }
}
