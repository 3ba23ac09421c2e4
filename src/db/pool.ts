import pg from 'pg';
import { Database } from './database.ts';
import type { DbObserver } from './observer.ts';

/** Session settings every connection starts with. */
export const SESSION_OPTIONS = '-c TimeZone=UTC -c DateStyle=ISO,YMD -c IntervalStyle=iso_8601';

export interface PoolSettings {
  min: number;
  max: number;
  statementTimeoutMs: number;
  idleTimeoutMs: number;
}

export interface PoolLogger {
  error(obj: object, msg: string): void;
}

/**
 * The one pool of the process. Idle-client errors (a server restart, a
 * killed backend) are logged instead of crashing the process; the pool
 * replaces the client on next use.
 */
export function createDatabase(url: string, settings: PoolSettings, logger: PoolLogger, observer?: DbObserver): Database {
  const pool = new pg.Pool({
    connectionString: url,
    min: settings.min,
    max: settings.max,
    idleTimeoutMillis: settings.idleTimeoutMs,
    connectionTimeoutMillis: 10_000,
    statement_timeout: settings.statementTimeoutMs || undefined,
    application_name: 'repair-bot',
    // Timestamps are parsed as text in this exact shape (database.ts).
    options: SESSION_OPTIONS,
  });
  pool.on('error', (err) => {
    const code = (err as { code?: string }).code;
    // pool.end() resolves once every client is told to end, not once its
    // socket has closed: a server stopped right after (the CLI's embedded
    // one) terminates those last sessions, which is no failure of ours.
    if (pool.ending && code === '57P01') return;
    // The error carries the whole client; log only what helps.
    logger.error({ err: { message: err.message, code } }, 'idle database connection failed');
  });
  return new Database(pool, observer);
}
