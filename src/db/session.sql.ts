import type { Queryable } from './database.ts';
import { defineQuery } from './query.ts';

/**
 * Session settings every statement relies on: timestamps come back as UTC
 * text that database.ts parses, intervals in ISO 8601, and no statement or
 * lock wait runs unbounded. A direct connection gets them once, as startup
 * options (pool.ts). Behind a transaction pooler a session is not ours, so
 * they are set for each transaction instead (`is_local` true: SET LOCAL),
 * and end with it.
 *
 * client_connection_check_interval: a backend whose client is gone (the
 * instance was killed, or PgBouncer closed the server connection after it)
 * notices within 5 s while a statement still runs or waits on a lock, and
 * rolls it back, instead of holding its locks until the statement ends and
 * then committing work nobody will follow up (an alert claimed, never sent).
 *
 * max_parallel_workers_per_gather 0: the generic plans cannot see their
 * bounds (search.sql.ts), so at 10,000,000 orders a phone search returning
 * 13 rows was estimated at 50,000 and planned as a parallel scan: starting
 * two workers took 4–5 ms of a statement that runs in 0.1–0.25 ms alone.
 * A service answering hundreds of requests a second on a few cores gains
 * nothing from one statement taking the others' cores.
 */
export const SESSION_SETTINGS = {
  TimeZone: 'UTC',
  DateStyle: 'ISO, YMD',
  IntervalStyle: 'iso_8601',
  client_connection_check_interval: '5s',
  max_parallel_workers_per_gather: '0',
} as const;

const applyTransactionSettingsQuery = defineQuery({
  name: 'db.apply_transaction_settings',
  params: {
    timeZone: 'text',
    dateStyle: 'text',
    intervalStyle: 'text',
    statementTimeout: 'text',
    lockTimeout: 'text',
    checkInterval: 'text',
    parallelWorkers: 'text',
  },
  columns: {
    time_zone: 'text',
    date_style: 'text',
    interval_style: 'text',
    statement_timeout: 'text',
    lock_timeout: 'text',
    client_connection_check_interval: 'text',
    max_parallel_workers_per_gather: 'text',
  },
  text: `
SELECT set_config('TimeZone', $1::text, true) AS time_zone, set_config('DateStyle', $2::text, true) AS date_style,
       set_config('IntervalStyle', $3::text, true) AS interval_style, set_config('statement_timeout', $4::text, true) AS statement_timeout,
       set_config('lock_timeout', $5::text, true) AS lock_timeout,
       set_config('client_connection_check_interval', $6::text, true) AS client_connection_check_interval,
       set_config('max_parallel_workers_per_gather', $7::text, true) AS max_parallel_workers_per_gather`,
});

/** Applies the session settings to the current transaction only (a pooled server session keeps nothing). */
export async function applyTransactionSettings(db: Queryable, timeouts: { statementTimeoutMs: number; lockTimeoutMs: number }): Promise<void> {
  await db.one(applyTransactionSettingsQuery, {
    timeZone: SESSION_SETTINGS.TimeZone,
    dateStyle: SESSION_SETTINGS.DateStyle,
    intervalStyle: SESSION_SETTINGS.IntervalStyle,
    statementTimeout: String(timeouts.statementTimeoutMs),
    lockTimeout: String(timeouts.lockTimeoutMs),
    checkInterval: SESSION_SETTINGS.client_connection_check_interval,
    parallelWorkers: SESSION_SETTINGS.max_parallel_workers_per_gather,
  });
}
