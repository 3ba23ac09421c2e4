import type pg from 'pg';
import { currentCancelSignal } from './cancellation.ts';
import { RowNotFoundError, TooManyRowsError, WorkCancelledError, toDbError } from './errors.ts';
import type { DbObserver } from './observer.ts';
import type { Query } from './query.ts';
import type { ColumnDecls, ParamDecls, ParamsOf, RowOf } from './types.ts';

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

export type Exec = <P extends ParamDecls, C extends ColumnDecls>(q: Query<P, C>, params: ParamsOf<P>) => Promise<pg.QueryResult<RowOf<C>>>;

/** Builds the one/maybeOne/many/run surface over a single exec function. */
export function queryable(exec: Exec): Queryable {
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

/**
 * Runs one query on one connection, through the observer, with typed errors.
 * `named`: a named statement is parsed once per connection, then only bound;
 * behind a transaction pooler the next transaction may run on another server
 * session that never saw the Parse, so statements stay unnamed there.
 */
export function execOn(client: pg.ClientBase, observer: DbObserver, explainer: pg.Pool, named: boolean): Exec {
  return async (q, params) => {
    // Work whose caller is gone stops before its next statement.
    if (currentCancelSignal()?.aborted) throw new WorkCancelledError(`${q.name}: the caller went away`, { queryName: q.name });
    const values = q.bind(params);
    const run = {
      query: q as never,
      values,
      // EXPLAIN without ANALYZE plans the statement and never executes it. It
      // runs on its own pooled connection, so it never interleaves with the
      // caller's connection or transaction, whenever telemetry gets to it.
      explain: async () => (await explainer.query({ text: `EXPLAIN (FORMAT JSON) ${q.text}`, values })).rows[0]?.['QUERY PLAN'],
    };
    try {
      return await observer.query(run, () => client.query({ name: named ? q.name : undefined, text: q.text, values }));
    } catch (err) {
      throw toDbError(err, q.name);
    }
  };
}

/**
 * One connection runs one query at a time; concurrent calls inside a
 * transaction (a Promise.all in a service) queue here instead of piling
 * onto the client, which pg deprecates.
 */
export function serialized(exec: Exec): Exec {
  let tail: Promise<unknown> = Promise.resolve();
  return (q, params) => {
    const next = tail.then(() => exec(q, params));
    tail = next.catch(() => undefined);
    return next;
  };
}
