import { readdir } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { runner } from 'node-pg-migrate';
import { LockNotAvailableError, toDbError } from './errors.ts';
import { queryable, type Queryable } from './exec.ts';
import { defineQuery } from './query.ts';
import { readRollupZone, rezoneRollups, setLockTimeout } from './rollup-zone.sql.ts';

const MIGRATIONS_DIR = fileURLToPath(new URL('../../db/migrations/', import.meta.url));
const MIGRATIONS_TABLE = 'schema_migrations';

export interface MigrateLogger {
  info(obj: object, msg: string): void;
  warn?(obj: object, msg: string): void;
}

export interface MigrateResult {
  /** Migrations applied now, in order. */
  applied: string[];
  /** When the report rollups were rewritten into another zone. */
  rollups: { from: string; to: string; seconds: number } | null;
}

/**
 * Applies pending db/migrations/*.sql in order: each file in its own
 * transaction, all under node-pg-migrate's advisory lock (a second instance
 * waits rather than racing), each recorded in schema_migrations. Then, given
 * `rollupZone` (REPORT_TIMEZONE), keeps the report rollups' days in that
 * zone (migration 0160): a change rewrites them, with writes to orders held
 * until it is done (on a large database, minutes: logged before and after).
 * `rollupLockTimeoutMs`: how long the rewrite may wait for the writers of
 * orders to finish (a long import); past it the rollups stay in their zone,
 * still exact, and the next migrate tries again (warned).
 */
export async function migrate(
  url: string,
  logger?: MigrateLogger,
  opts: { rollupZone?: string | undefined; rollupLockTimeoutMs?: number } = {},
): Promise<MigrateResult> {
  const client = new pg.Client({ connectionString: url, application_name: 'repair-bot-migrate' });
  await client.connect();
  try {
    const applied = await runner({
      dbClient: client,
      dir: MIGRATIONS_DIR,
      direction: 'up',
      migrationsTable: MIGRATIONS_TABLE,
      singleTransaction: false,
      checkOrder: true,
      advisoryLockMode: 'wait',
      log: () => {},
    });
    const names = applied.map((m) => m.name);
    if (names.length > 0) logger?.info({ migrations: names }, 'migrations applied');
    const rollups = opts.rollupZone === undefined ? null : await alignRollupZone(clientQueryable(client), opts.rollupZone, opts.rollupLockTimeoutMs, logger);
    return { applied: names, rollups };
  } finally {
    await client.end();
  }
}

async function alignRollupZone(db: Queryable, zone: string, lockTimeoutMs: number | undefined, logger?: MigrateLogger): Promise<MigrateResult['rollups']> {
  const from = await readRollupZone(db);
  if (from === zone) return null;
  logger?.info({ from, to: zone }, 'rewriting the report rollups in the report time zone; writes to orders wait until it is done');
  if (lockTimeoutMs !== undefined) await setLockTimeout(db, lockTimeoutMs);
  const started = performance.now();
  try {
    // Another instance may have done it meanwhile: then nothing was rewritten here.
    if (!(await rezoneRollups(db, zone))) return null;
  } catch (err) {
    if (!(err instanceof LockNotAvailableError)) throw err;
    logger?.warn?.(
      { from, to: zone, lock_timeout_ms: lockTimeoutMs },
      'report rollups not rewritten: a long transaction is writing orders (an import?); they stay in their zone and reports stay exact, reading more of orders; the next start or repair-bot migrate tries again',
    );
    return null;
  }
  const seconds = Math.round(performance.now() - started) / 1000;
  logger?.info({ from, to: zone, seconds }, 'report rollups rewritten');
  return { from, to: zone, seconds };
}

/** The migration client as a Queryable, for the few queries run after the migrations. */
function clientQueryable(client: pg.Client): Queryable {
  return queryable(async (q, params) => {
    try {
      return await client.query({ text: q.text, values: q.bind(params) });
    } catch (err) {
      throw toDbError(err, q.name);
    }
  });
}

/** Names of the migration files shipped with this build, in order. */
export async function migrationFiles(): Promise<string[]> {
  const files = await readdir(MIGRATIONS_DIR);
  return files
    .filter((f) => f.endsWith('.sql'))
    .map((f) => f.replace(/\.sql$/, ''))
    .sort();
}

const listApplied = defineQuery({
  name: 'schema.list_applied_migrations',
  text: `SELECT name::text AS name FROM schema_migrations ORDER BY id`,
  params: {},
  columns: { name: 'text' },
});

/** True when every shipped migration is applied (for /readyz). */
export async function migrationsCurrent(db: Queryable, expected: readonly string[]): Promise<boolean> {
  const applied = new Set((await db.many(listApplied, {})).map((r) => r.name));
  return expected.every((name) => applied.has(name));
}
