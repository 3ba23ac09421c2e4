import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { chmod, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { freePort } from '../../../scripts/lib/free-port.ts';
import { eventually } from '../../support/eventually.ts';

/** Debian's package (apt-get install pgbouncer); the test fails, never skips, without it. */
const PGBOUNCER_BIN = '/usr/sbin/pgbouncer';

export interface PgBouncer {
  /** `target` with host and port replaced by the pooler's. */
  url: string;
  output(): string;
  stop(): Promise<void>;
}

/**
 * Starts PgBouncer in transaction pooling in front of `target`'s server,
 * with `serverSessions` server connections per database: fewer than the
 * service's pool, so its client connections share server sessions and
 * anything that relies on a session of its own breaks.
 */
export async function startPgBouncer(target: string, serverSessions: number): Promise<PgBouncer> {
  if (!existsSync(PGBOUNCER_BIN)) throw new Error(`${PGBOUNCER_BIN} is missing: install Debian's pgbouncer package to run this test`);
  const server = new URL(target);
  const dir = await mkdtemp(path.join(tmpdir(), 'repair-bot-pgbouncer-'));
  await chmod(dir, 0o755); // run as root, PgBouncer drops to another user (-u), who must read its files
  const port = await freePort();
  const user = decodeURIComponent(server.username);
  // The server asks for SCRAM: PgBouncer logs in with the plain password it finds here; its own clients are trusted (127.0.0.1 only).
  await writeFile(path.join(dir, 'userlist.txt'), `"${user}" "${decodeURIComponent(server.password)}"\n`, { mode: 0o644 });
  const ini = [
    '[databases]',
    `* = host=${server.hostname} port=${server.port}`,
    '[pgbouncer]',
    'listen_addr = 127.0.0.1',
    `listen_port = ${port}`,
    'unix_socket_dir =',
    'auth_type = trust',
    `auth_file = ${path.join(dir, 'userlist.txt')}`,
    'pool_mode = transaction',
    `default_pool_size = ${serverSessions}`,
    'max_client_conn = 200',
    'server_login_retry = 1',
  ].join('\n');
  const iniPath = path.join(dir, 'pgbouncer.ini');
  await writeFile(iniPath, `${ini}\n`, { mode: 0o644 });
  const args = process.getuid?.() === 0 ? ['-u', 'nobody', iniPath] : [iniPath];
  const child: ChildProcess = spawn(PGBOUNCER_BIN, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout!.on('data', (d: Buffer) => (output += d.toString()));
  child.stderr!.on('data', (d: Buffer) => (output += d.toString()));
  const url = new URL(target);
  url.hostname = '127.0.0.1';
  url.port = String(port);
  await eventually(
    async () => {
      if (child.exitCode !== null) throw new Error(`pgbouncer exited with ${child.exitCode}:\n${output}`);
      const c = new pg.Client({ connectionString: url.toString() });
      c.on('error', () => {});
      try {
        await c.connect();
        await c.query('SELECT 1');
      } finally {
        await c.end().catch(() => undefined);
      }
    },
    { timeout: 15_000, what: 'pgbouncer to accept sessions' },
  );
  return {
    url: url.toString(),
    output: () => output,
    async stop() {
      if (child.exitCode === null && child.signalCode === null) {
        child.kill('SIGTERM');
        await new Promise((r) => child.once('exit', r));
      }
      await rm(dir, { recursive: true, force: true });
    },
  };
}
