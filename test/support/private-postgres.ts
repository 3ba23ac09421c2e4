import { chmod, mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { freePort } from '../../scripts/lib/free-port.ts';
import { ensureServiceDatabase, EMBEDDED_DATABASE, startEmbeddedPostgres, type EmbeddedServer } from '../../src/db/embedded.ts';
import { migrate } from '../../src/db/migrate.ts';
import { eventually } from './eventually.ts';
import { alive } from './process-alive.ts';

/**
 * A PostgreSQL server of a test's own, for faults that would hurt other test
 * files on the shared server: stopping it, or killing a backend (which makes
 * the postmaster restart every session).
 */
export interface PrivatePostgres {
  /** URL of the migrated service database. */
  url: string;
  port: number;
  /** Its data directory (a replica is copied from it). */
  dir: string;
  /** The postmaster's pid, read from postmaster.pid. */
  postmasterPid(): Promise<number>;
  /** SIGQUIT: PostgreSQL's immediate shutdown, sessions cut without goodbye. */
  stopImmediately(): Promise<void>;
  /** Starts it again on the same data directory and port. */
  restart(): Promise<void>;
  destroy(): Promise<void>;
}

// Durable, unlike the shared test server: these tests crash it and count what survived.
const SETTINGS = {};

export async function startPrivatePostgres(): Promise<PrivatePostgres> {
  const root = await mkdtemp(path.join(tmpdir(), 'repair-bot-private-pg-'));
  await chmod(root, 0o777); // the server runs as a dedicated user when we are root
  const dir = path.join(root, 'data');
  const port = await freePort();
  let server: EmbeddedServer = await startEmbeddedPostgres({ dir, port, settings: SETTINGS });
  await ensureServiceDatabase(server);
  const url = server.url(EMBEDDED_DATABASE);
  await migrate(url);
  const postmasterPid = async () => Number((await readFile(path.join(dir, 'postmaster.pid'), 'utf8')).split('\n')[0]);
  return {
    url,
    port,
    dir,
    postmasterPid,
    async stopImmediately() {
      const pid = await postmasterPid().catch(() => 0);
      if (!pid || !alive(pid)) return;
      process.kill(pid, 'SIGQUIT');
      await eventually(
        () => {
          if (alive(pid)) throw new Error(`postmaster ${pid} still running`);
        },
        { timeout: 20_000, what: 'the postmaster to exit' },
      );
    },
    async restart() {
      server = await startEmbeddedPostgres({ dir, port, settings: SETTINGS });
      // After an immediate stop it replays WAL first; wait until it takes sessions.
      await eventually(
        async () => {
          const c = new pg.Client({ connectionString: url });
          c.on('error', () => {});
          try {
            await c.connect();
            await c.query('SELECT 1');
          } finally {
            await c.end().catch(() => undefined);
          }
        },
        { timeout: 30_000, what: 'PostgreSQL to accept sessions again' },
      );
    },
    async destroy() {
      await server.stop().catch(() => undefined);
      const pid = await postmasterPid().catch(() => 0);
      if (pid && alive(pid)) process.kill(pid, 'SIGQUIT');
      await rm(root, { recursive: true, force: true });
    },
  };
}
