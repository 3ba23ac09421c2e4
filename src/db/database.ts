import { AsyncLocalStorage } from 'node:async_hooks';
import pg from 'pg';
import { ConnectionError, RowNotFoundError, SerializationError, TooManyRowsError, toDbError } from './errors.ts';
import { noopObserver, type DbObserver } from './observer.ts';
import type { Query } from './query.ts';
import type { ColumnDecls, ParamDecls, ParamsOf, RowOf } from './types.ts';

// int8 -> number: ids, counts and Telegram ids all stay below 2^53.
pg.types.setTypeParser(pg.types.builtins.INT8, (v) => Number(v));
// date stays 'YYYY-MM-DD': a calendar date has no time zone to shift it.
pg.types.setTypeParser(pg.types.builtins.DATE, (v) => v);
// Sessions run with TimeZone=UTC and DateStyle=ISO (pool.ts), so the server
// sends '2026-11-24 01:36:01.123456+00'; keep every microsecond as RFC 3339.
pg.types.setTypeParser(pg.types.builtins.TIMESTAMPTZ, (v) => v.replace(' ', 'T').replace(/\+00$/, 'Z'));

/**
 * Anything queries can run on: the pool (a connection per call) or a
 * connection lent to a callback (transaction or session work).
 * Query modules take a Queryable first and never see pg directly.
 */
export interface Queryable {
  /** Exactly one row, else RowNotFoundError / TooManyRowsError. */
  one<P extends ParamDecls, C extends ColumnDecls>(q: Query<P, C>, params: ParamsOf<P>): Promise<RowOf<C>>;
  /** Zero or one row. */
  maybeOne<P extends ParamDecls, C extends ColumnDecls>(q: Query<P, C>, params: ParamsOf<P>): Promise<RowOf<C> | null>;
  many<P extends ParamDecls, C extends ColumnDecls>(q: Query<P, C>, params: ParamsOf<P>): Promise<RowOf<C>[]>;
  /** Runs for effect; returns the affected row count. */
  run<P extends ParamDecls, C extends ColumnDecls>(q: Query<P, C>, params: ParamsOf<P>): Promise<number>;
}

/**
 * What an edge may ask of the database: run a piece of work as one
 * transaction. Service calls made inside join it (ambient transaction),
 * so the edge never holds a connection or a Queryable itself. Nested, it
 * is a savepoint.
 */
export interface UnitOfWork {
  inTransaction<T>(fn: () => Promise<T>): Promise<T>;
}

type Exec = <P extends ParamDecls, C extends ColumnDecls>(q: Query<P, C>, params: ParamsOf<P>) => Promise<pg.QueryResult<RowOf<C>>>;

/** Builds the one/maybeOne/many/run surface over a single exec function. */
function queryable(exec: Exec): Queryable {
  return {
    async one(q, params) {
      const { rows } = await exec(q, params);
      if (rows.length === 0) throw new RowNotFoundError(`${q.name}: expected one row, got none`, { queryName: q.name });
      if (rows.length > 1) throw new TooManyRowsError(`${q.name}: expected one row, got ${rows.length}`, { queryName: q.name });
      return rows[0]!;
    },
    async maybeOne(q, params) {
      const { rows } = await exec(q, params);
      if (rows.length > 1) throw new TooManyRowsError(`${q.name}: expected at most one row, got ${rows.length}`, { queryName: q.name });
      return rows[0] ?? null;
    },
    async many(q, params) {
      return (await exec(q, params)).rows;
    },
    async run(q, params) {
      return (await exec(q, params)).rowCount ?? 0;
    },
  };
}

/** Runs one query on one connection, through the observer, with typed errors. */
function execOn(client: pg.ClientBase, observer: DbObserver, explainer: pg.Pool): Exec {
  return async (q, params) => {
    const values = q.bind(params);
    const run = {
      query: q as never,
      values,
      // EXPLAIN without ANALYZE plans the statement and never executes it. It
      // runs on its own pooled connection, so it never interleaves with the
      // caller's connection or transaction, whenever telemetry gets to it.
      explain: async () => (await explainer.query<{ 'QUERY PLAN': unknown }>({ text: `EXPLAIN (FORMAT JSON) ${q.text}`, values })).rows[0]?.['QUERY PLAN'],
    };
    try {
      // A named statement is parsed once per connection, then only bound.
      return await observer.query(run, () => client.query({ name: q.name, text: q.text, values }));
    } catch (err) {
      throw toDbError(err, q.name);
    }
  };
}

const brokenClients = new WeakMap<pg.ClientBase, Error>();

/** Records that a connection failed (its 'error' event), so it is not lent again. */
export function markBroken(client: pg.ClientBase, err: Error): void {
  if (!brokenClients.has(client)) brokenClients.set(client, err);
}

/** After-commit hooks must not fail the commit that already happened. */
function runHook(hook: () => void): void {
  try {
    hook();
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
  client: pg.PoolClient;
  savepoints: number;
  /** Run after COMMIT, in order; dropped on rollback (or with their savepoint). */
  afterCommit: Array<() => void>;
}

/**
 * One connection runs one query at a time; concurrent calls inside a
 * transaction (a Promise.all in a service) queue here instead of piling
 * onto the client, which pg deprecates.
 */
function serialized(exec: Exec): Exec {
  let tail: Promise<unknown> = Promise.resolve();
  return (q, params) => {
    const next = tail.then(() => exec(q, params));
    tail = next.catch(() => undefined);
    return next;
  };
}

/**
 * The pool: a Queryable that also lends connections and runs transactions.
 *
 * Inside `transaction(fn)`, every query made through this Database in the
 * same async context joins that transaction (AsyncLocalStorage), so a caller
 * can wrap service calls it does not control: the bot records a Telegram
 * update_id and applies its effect in one transaction. A nested
 * `transaction` becomes a SAVEPOINT.
 */
export class Database implements Queryable, UnitOfWork {
  readonly pool: pg.Pool;
  readonly observer: DbObserver;
  private readonly direct: Queryable;
  private readonly ambient = new AsyncLocalStorage<Ambient>();

  constructor(pool: pg.Pool, observer: DbObserver = noopObserver) {
    this.pool = pool;
    this.observer = observer;
    this.direct = queryable((q, params) => this.withClient((_db, raw) => execOn(raw, this.observer, this.pool)(q, params)));
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

  /**
   * Lends one connection to `fn` and always takes it back (there is no
   * release() to forget). Inside a transaction, lends the transaction's.
   */
  async withClient<T>(fn: (db: Queryable, raw: pg.PoolClient) => Promise<T>): Promise<T> {
    const tx = this.ambient.getStore();
    if (tx) return fn(tx.db, tx.client);
    const started = performance.now();
    let client: pg.PoolClient;
    try {
      client = await this.pool.connect();
    } catch (err) {
      throw toDbError(err);
    }
    this.observer.connectionAcquired((performance.now() - started) / 1000);
    let broken: Error | undefined;
    try {
      return await fn(queryable(execOn(client, this.observer, this.pool)), client);
    } catch (err) {
      // A connection that failed mid-protocol must not go back to the pool.
      if (toDbError(err) instanceof ConnectionError) broken = err as Error;
      throw err;
    } finally {
      client.release(broken ?? brokenClients.get(client));
    }
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
          const tx: Ambient = { db: queryable(serialized(execOn(raw, this.observer, this.pool))), client: raw, savepoints: 0, afterCommit: [] };
          try {
            const result = await this.ambient.run(tx, () => fn(tx.db));
            await raw.query('COMMIT');
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
