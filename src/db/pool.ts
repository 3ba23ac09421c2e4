import pg from 'pg';
import { markBroken } from './connection-lender.ts';
import { Database } from './database.ts';
import type { DbObserver } from './observer.ts';
import { SESSION_SETTINGS } from './session.sql.ts';

/** Session settings every direct connection starts with (startup options: no round trip). */
const SESSION_OPTIONS = Object.entries(SESSION_SETTINGS)
  .map(([name, value]) => `-c ${name}=${value.replace(' ', '')}`)
  .join(' ');

export interface PoolSettings {
  min: number;
  max: number;
  statementTimeoutMs: number;
  idleTimeoutMs: number;
  /** How long a caller waits for a connection (default 2000 ms). */
  waitMs?: number;
  /** Callers that may wait at once (default: no bound). */
  queueMax?: number;
  /** lock_timeout of every statement (default 0: none). */
  lockTimeoutMs?: number;
  /** 'pgbouncer': the URL is a transaction pooler (default 'direct'). */
  pooler?: 'direct' | 'pgbouncer';
}

export interface PoolLogger {
  error(obj: object, msg: string): void;
}

/**
 * The one pool of the process. A connection that fails (a server restart, a
 * killed backend, a network cut) must never crash the process: pg emits
 * 'error' on its Client, and pg-pool listens only while the client is idle,
 * so a client lent out (a request waiting on a lock, the scheduler's lock
 * session) would throw an unhandled 'error'. Every client gets a listener of
 * its own for life; the query in flight fails with a ConnectionError, and
 * Database.withClient discards the client instead of returning it.
 */
export function createDatabase(url: string, settings: PoolSettings, logger: PoolLogger, observer?: DbObserver, applicationName = 'repair-bot'): Database {
  const timeouts = { statementTimeoutMs: settings.statementTimeoutMs, lockTimeoutMs: settings.lockTimeoutMs ?? 0 };
  const pooled = settings.pooler === 'pgbouncer';
  const pool = new pg.Pool({
    connectionString: url,
    min: settings.min,
    max: settings.max,
    idleTimeoutMillis: settings.idleTimeoutMs,
    connectionTimeoutMillis: settings.waitMs ?? 2000,
    application_name: applicationName,
    // A transaction pooler refuses (or drops) other startup parameters: there they are set per transaction (Database).
    ...(pooled
      ? {}
      : {
          statement_timeout: timeouts.statementTimeoutMs || undefined,
          lock_timeout: timeouts.lockTimeoutMs || undefined,
          // Timestamps are parsed as text in this exact shape (database.ts).
          options: SESSION_OPTIONS,
        }),
  });
  pool.on('connect', (client) => {
    client.on('error', (err) => {
      markBroken(client, err);
      const code = (err as { code?: string }).code;
      // pool.end() resolves once every client is told to end, not once its
      // socket has closed: a server stopped right after (the CLI's embedded
      // one) terminates those last sessions, which is no failure of ours.
      if (pool.ending && code === '57P01') return;
      // The error carries the whole client; log only what helps.
      logger.error({ err: { message: err.message, code } }, 'database connection failed');
    });
  });
  // The client's own listener above logs it; this one keeps pg-pool's re-emit from throwing.
  pool.on('error', () => {});
  return new Database(pool, { observer, queueMax: settings.queueMax, transactionPooler: pooled ? timeouts : undefined });
}
