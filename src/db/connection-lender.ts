import type pg from 'pg';
import { currentCancelSignal, sendCancelRequest } from './cancellation.ts';
import { ConnectionError, PoolSaturatedError, ShuttingDownError, WorkCancelledError, toDbError } from './errors.ts';
import type { DbObserver } from './observer.ts';

const brokenClients = new WeakMap<pg.ClientBase, Error>();

/** Records that a connection failed (its 'error' event), so it is not lent again. */
export function markBroken(client: pg.ClientBase, err: Error): void {
  if (!brokenClients.has(client)) brokenClients.set(client, err);
}

/**
 * Lends the pool's connections one callback at a time, under the caller's
 * cancel signal (cancellation.ts): when it aborts, the statement running on
 * the lent connection is cancelled, nothing further runs, and the connection
 * is discarded (a late cancel must not hit the next borrower's statement).
 * Database builds its queries and transactions on it.
 */
export class ConnectionLender {
  /** Connections lent out now, with whether their transaction is committing (a cancel then would be ambiguous). */
  private readonly lent = new Map<pg.PoolClient, { committing: boolean }>();
  private cancelled = false;
  private readonly pool: pg.Pool;
  private readonly observer: DbObserver;
  private readonly queueMax: number;

  constructor(pool: pg.Pool, observer: DbObserver, queueMax: number) {
    this.pool = pool;
    this.observer = observer;
    this.queueMax = queueMax;
  }

  /** Lends one connection to `fn` and always takes it back. */
  async lend<T>(fn: (client: pg.PoolClient) => Promise<T>): Promise<T> {
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
      return await fn(client);
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

  /** Cancels every running statement and refuses new work; returns how many were running. */
  cancelAll(): number {
    this.cancelled = true;
    const running = [...this.lent.keys()];
    for (const client of running) this.cancel(client, new ShuttingDownError('the service is shutting down', {}));
    return running.length;
  }

  /** COMMIT, unless the caller went away or the connection was cancelled: then the work is rolled back. */
  async commit(client: pg.PoolClient): Promise<void> {
    const lease = this.lent.get(client);
    const cancelled = brokenClients.get(client);
    if (cancelled instanceof WorkCancelledError) throw cancelled;
    if (currentCancelSignal()?.aborted || cancelled || !lease) throw new WorkCancelledError('the caller went away before the commit', {});
    lease.committing = true;
    await client.query('COMMIT');
  }

  /** Pool occupancy, read by the metrics collector. */
  stats(): { total: number; idle: number; waiting: number; max: number } {
    return { total: this.pool.totalCount, idle: this.pool.idleCount, waiting: this.pool.waitingCount, max: this.pool.options.max ?? 10 };
  }
}
