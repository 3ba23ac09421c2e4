import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { afterAll, beforeAll, inject } from 'vitest';
import type { Database } from '../../src/db/database.ts';
import { registerEnumArrayTypes } from '../../src/db/enum-arrays.ts';
import { createDatabase } from '../../src/db/pool.ts';
import { withDatabase } from './database-url.ts';

export interface TestDatabase {
  url: string;
  name: string;
  db: Database;
}

const silent = { error: () => {} };

/** Clones the migrated template into a fresh database (a few ms: a file copy). */
export async function cloneTemplate(): Promise<{ url: string; name: string; drop(): Promise<void> }> {
  const adminUrl = inject('pgAdminUrl');
  const template = inject('templateDb');
  const name = `test_${randomBytes(6).toString('hex')}`;
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  try {
    // Identifiers cannot be parameters; both are generated or constant here.
    await admin.query(`CREATE DATABASE ${name} TEMPLATE ${template}`);
  } finally {
    await admin.end();
  }
  return {
    url: withDatabase(adminUrl, name),
    name,
    drop: async () => {
      const c = new pg.Client({ connectionString: adminUrl });
      await c.connect();
      await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await c.end();
    },
  };
}

/**
 * Gives the test file its own database cloned from the migrated template,
 * and a pool on it; dropped after the file. Use inside describe() or at top level.
 * `rollupZone`: the report rollups kept in that zone (the template's is UTC).
 */
export function useTestDatabase(opts: { poolMax?: number; rollupZone?: string } = {}): TestDatabase {
  const handle = {} as TestDatabase;
  let drop: () => Promise<void> = async () => {};
  beforeAll(async () => {
    const clone = await cloneTemplate();
    drop = clone.drop;
    handle.url = clone.url;
    handle.name = clone.name;
    handle.db = createDatabase(clone.url, { min: 0, max: opts.poolMax ?? 10, statementTimeoutMs: 30_000, idleTimeoutMs: 10_000 }, silent);
    await registerEnumArrayTypes(handle.db);
    if (opts.rollupZone) await handle.db.pool.query('SELECT report_rollups_rezone($1)', [opts.rollupZone]);
  });
  afterAll(async () => {
    await handle.db?.close();
    await drop();
  });
  return handle;
}
