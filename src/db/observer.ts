import type { AnyQuery } from './query.ts';

/** What the executor knows about one query run, for telemetry. */
export interface QueryRun {
  query: AnyQuery;
  values: unknown[];
  /** Runs EXPLAIN (FORMAT JSON) for this statement and values; never executes it. */
  explain(): Promise<unknown>;
}

/**
 * Hooks the database layer calls; src/telemetry supplies the real ones
 * (spans, histograms, slow-query log). The default does nothing, so the db
 * layer never depends on telemetry.
 */
export interface DbObserver {
  /** Wraps one query execution; must call and return `exec()`. */
  query<T extends { rowCount: number | null }>(run: QueryRun, exec: () => Promise<T>): Promise<T>;
  /** Time a caller waited for a pooled connection. */
  connectionAcquired(waitSeconds: number): void;
}

export const noopObserver: DbObserver = {
  query: (_run, exec) => exec(),
  connectionAcquired: () => {},
};
