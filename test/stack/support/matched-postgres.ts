import { execFile, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { chmod, mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import pg from 'pg';
import { findPgTool } from '../../../src/backup/pg-tools.ts';
import { startEmbeddedPostgres } from '../../../src/db/embedded.ts';
import { freePort } from '../../../scripts/lib/free-port.ts';

const exec = promisify(execFile);

export interface MatchedPostgres {
  major: number;
  /** URL of a database on this server (created by createDatabase). */
  url(database: string): string;
  createDatabase(name: string): Promise<string>;
  stop(): Promise<void>;
}

const PASSWORD = 'backup-test-secret';

/**
 * A PostgreSQL server that this machine has a pg_dump and pg_restore of the
 * same major version for, so a backup round trip runs for real: the embedded
 * PostgreSQL 18 when client tools 18 are installed, else the newest Debian
 * PostgreSQL (package postgresql, installed by .ci/run). Password
 * authentication on, so the tools' passfile is exercised. Throws when there
 * is neither: never a skip.
 */
export async function startMatchedPostgres(): Promise<MatchedPostgres> {
  const root = await mkdtemp(path.join(tmpdir(), 'repair-bot-matched-pg-'));
  await chmod(root, 0o777);
  const port = await freePort();
  const url = (db: string) => `postgres://postgres:${PASSWORD}@127.0.0.1:${port}/${db}`;
  const createDatabase = async (name: string) => {
    const c = new pg.Client({ connectionString: url('postgres') });
    await c.connect();
    await c.query(`CREATE DATABASE ${name}`); // a constant of the test, not a value from outside
    await c.end();
    return url(name);
  };
  if (
    await findPgTool('pg_dump', 18).then(
      () => true,
      () => false,
    )
  ) {
    const server = await startEmbeddedPostgres({ dir: path.join(root, 'data'), port });
    return { major: 18, url, createDatabase, stop: () => server.stop() };
  }
  const versions = existsSync('/usr/lib/postgresql') ? await readdir('/usr/lib/postgresql') : [];
  const major = versions
    .filter((v) => /^\d+$/.test(v) && existsSync(`/usr/lib/postgresql/${v}/bin/initdb`) && existsSync(`/usr/lib/postgresql/${v}/bin/pg_dump`))
    .map(Number)
    .sort((a, b) => b - a)[0];
  if (major === undefined) throw new Error("no PostgreSQL with matching pg_dump: install postgresql-client-18, or Debian's postgresql (.ci/run does)");
  const bin = `/usr/lib/postgresql/${major}/bin`;
  // PostgreSQL refuses to run as root: run it as the postgres user the Debian package creates.
  const asUser = process.getuid?.() === 0 ? await userIds('postgres') : {};
  const run = (cmd: string, args: string[]) =>
    new Promise<void>((resolve, reject) => {
      const child = spawn(path.join(bin, cmd), args, { ...asUser, stdio: 'ignore' });
      child.on('error', reject);
      child.on('close', (code) => (code === 0 ? resolve() : reject(new Error(`${cmd} exited with ${code}`))));
    });
  const data = path.join(root, 'data');
  await writeFile(path.join(root, 'pw'), PASSWORD, { mode: 0o644 });
  await run('initdb', ['-D', data, '-U', 'postgres', '--auth=scram-sha-256', `--pwfile=${path.join(root, 'pw')}`, '-E', 'UTF8', '--locale=C.UTF-8']);
  await run('pg_ctl', ['-D', data, '-w', '-l', path.join(root, 'log'), '-o', `-p ${port} -k ${root} -c listen_addresses=127.0.0.1 -c fsync=off`, 'start']);
  return {
    major,
    url,
    createDatabase,
    stop: async () => {
      await run('pg_ctl', ['-D', data, '-w', '-m', 'fast', 'stop']).catch(() => undefined);
      await rm(root, { recursive: true, force: true });
    },
  };
}

async function userIds(name: string): Promise<{ uid: number; gid: number }> {
  const uid = Number((await exec('id', ['-u', name])).stdout.trim());
  const gid = Number((await exec('id', ['-g', name])).stdout.trim());
  return { uid, gid };
}
