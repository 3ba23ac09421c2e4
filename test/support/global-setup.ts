import { mkdtemp, rm } from 'node:fs/promises';
import { freePort } from '../../scripts/lib/free-port.ts';
import { tmpdir } from 'node:os';
import path from 'node:path';
import pg from 'pg';
import type { TestProject } from 'vitest/node';
import { startEmbeddedPostgres, type EmbeddedServer } from '../../src/db/embedded.ts';
import { migrate } from '../../src/db/migrate.ts';
import { withDatabase } from './database-url.ts';

export const TEMPLATE_DB = 'repair_bot_test_template';

declare module 'vitest' {
  export interface ProvidedContext {
    /** URL of a database with rights to CREATE DATABASE (the clones' parent). */
    pgAdminUrl: string;
    templateDb: string;
  }
}

/**
 * Starts one PostgreSQL for the whole run (embedded, or TEST_DATABASE_URL),
 * and migrates a template database that every test file clones.
 */
export default async function setup(project: TestProject) {
  let server: EmbeddedServer | undefined;
  let dataDir: string | undefined;
  let adminUrl = process.env.TEST_DATABASE_URL;
  if (!adminUrl) {
    dataDir = await mkdtemp(path.join(tmpdir(), 'repair-bot-test-pg-'));
    const { chmod } = await import('node:fs/promises');
    await chmod(dataDir, 0o777); // the server may run as a dedicated user when we are root
    server = await startEmbeddedPostgres({
      dir: path.join(dataDir, 'data'),
      port: await freePort(),
      // Durability buys nothing in a throwaway test cluster.
      settings: { fsync: 'off', synchronous_commit: 'off', full_page_writes: 'off' },
    });
    adminUrl = server.url('postgres');
  }
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  // Identifiers cannot be parameters; TEMPLATE_DB is a constant of this file.
  await admin.query(`DROP DATABASE IF EXISTS ${TEMPLATE_DB}`);
  await admin.query(`CREATE DATABASE ${TEMPLATE_DB}`);
  await admin.end();
  await migrate(withDatabase(adminUrl, TEMPLATE_DB));

  project.provide('pgAdminUrl', adminUrl);
  project.provide('templateDb', TEMPLATE_DB);

  return async () => {
    if (server) await server.stop();
    if (dataDir) await rm(dataDir, { recursive: true, force: true });
  };
}
