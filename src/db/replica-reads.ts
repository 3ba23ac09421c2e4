import type { Database, Queryable } from './database.ts';
import { ConnectionError, PoolSaturatedError, QueryTimeoutError, SerializationError } from './errors.ts';
import { readReplicaLag } from './replica.sql.ts';

export type ReadTarget = 'replica' | 'primary';

/** What the last look at the replica found: its lag in seconds, or null when it was down or could not tell. */
export interface ReplicaStatus {
  lagSeconds: number | null;
  usable: boolean;
}

export interface ReplicaReadsOptions {
  /** Past this lag (seconds) reads go to the primary. */
  maxLagSeconds: number;
  /** How long a look at the replica's lag holds (default 1000 ms): one probe per interval, however many reads. */
  checkEveryMs?: number;
  onStatus?(status: ReplicaStatus): void;
  onRead?(target: ReadTarget): void;
  logger: { warn(obj: object, msg: string): void };
}

export interface ReplicaReads {
  /** A Queryable for reads that may be a little stale (reports, exports). */
  reads: Queryable;
  /** Looks at the replica now (tests, the lag metric). */
  check(): Promise<ReplicaStatus>;
}

/** Failures of the replica itself, after which the same read is worth asking of the primary. */
function replicaFault(err: unknown): boolean {
  // SerializationError covers "canceling statement due to conflict with recovery" (40001).
  return err instanceof ConnectionError || err instanceof PoolSaturatedError || err instanceof SerializationError || err instanceof QueryTimeoutError;
}

/**
 * Routes report reads to a streaming replica while it is up and no further
 * behind than `maxLagSeconds`, and to the primary otherwise, so a replica
 * that stops or falls behind costs the primary some load, never a failed or
 * badly stale report. A read that fails on the replica is asked again of the
 * primary (reads only: nothing here writes).
 */
export function replicaReads(primary: Queryable, replica: Database, opts: ReplicaReadsOptions): ReplicaReads {
  const checkEveryMs = opts.checkEveryMs ?? 1000;
  let status: ReplicaStatus = { lagSeconds: null, usable: false };
  let checkedAt = Number.NEGATIVE_INFINITY;
  let probing: Promise<ReplicaStatus> | undefined;

  const probe = async (): Promise<ReplicaStatus> => {
    try {
      const row = await readReplicaLag(replica);
      const lagSeconds = row.lag_seconds === null ? null : Math.max(0, row.lag_seconds);
      return { lagSeconds, usable: lagSeconds !== null && lagSeconds <= opts.maxLagSeconds };
    } catch (err) {
      if (status.usable) opts.logger.warn({ err }, 'report replica unreachable: reports read from the primary');
      return { lagSeconds: null, usable: false };
    }
  };

  const check = (): Promise<ReplicaStatus> => {
    probing ??= probe().then((s) => {
      if (status.usable && !s.usable && s.lagSeconds !== null) {
        opts.logger.warn({ lag_seconds: s.lagSeconds, max_lag_seconds: opts.maxLagSeconds }, 'report replica lags: reports read from the primary');
      }
      status = s;
      checkedAt = performance.now();
      probing = undefined;
      opts.onStatus?.(s);
      return s;
    });
    return probing;
  };

  const route = async <R>(call: (db: Queryable) => Promise<R>): Promise<R> => {
    const current = performance.now() - checkedAt < checkEveryMs ? status : await check();
    if (current.usable) {
      try {
        const result = await call(replica);
        opts.onRead?.('replica');
        return result;
      } catch (err) {
        if (!replicaFault(err)) throw err;
        // Look again before the next read rather than trusting a status the failure just disproved.
        checkedAt = Number.NEGATIVE_INFINITY;
        opts.logger.warn({ err }, 'report read failed on the replica: asked of the primary');
      }
    }
    const result = await call(primary);
    opts.onRead?.('primary');
    return result;
  };

  return {
    check,
    reads: {
      one: (q, params) => route((db) => db.one(q, params)),
      maybeOne: (q, params) => route((db) => db.maybeOne(q, params)),
      many: (q, params) => route((db) => db.many(q, params)),
      run: (q, params) => route((db) => db.run(q, params)),
    },
  };
}
