import { readdir } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { runner } from 'node-pg-migrate';
import { defineQuery } from './query.ts';
import type { Queryable } from './database.ts';

const MIGRATIONS_DIR = fileURLToPath(new URL('../../db/migrations/', import.meta.url));
const MIGRATIONS_TABLE = 'schema_migrations';

export interface MigrateLogger {
  info(obj: object, msg: string): void;
}

/**
 * Applies pending db/migrations/*.sql in order: each file in its own
 * transaction, all under node-pg-migrate's advisory lock (a second instance
 * waits rather than racing), each recorded in schema_migrations.
 */
export async function migrate(url: string, logger?: MigrateLogger): Promise<string[]> {
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
    return names;
  } finally {
    await client.end();
  }
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
