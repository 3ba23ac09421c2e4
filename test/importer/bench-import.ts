/**
 * Measures import-sqlite on a large legacy file against a throwaway embedded
 * PostgreSQL (default settings, fsync on), through the real CLI:
 *   npm run bench:import -- [ORDERS=100000] [once]
 * Prints the time of the file generation, and the wall time, peak memory
 * (maximum resident set, by /usr/bin/time when present) and CPU time of the
 * import and of a second (no-op) import (left out with `once`), with the CPU
 * time PostgreSQL spent meanwhile: on a shared machine the wall time says
 * little, the two CPU times say what the import costs.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { freePort } from '../../scripts/lib/free-port.ts';
import { tmpdir } from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { startEmbeddedPostgres } from '../../src/db/embedded.ts';
import { migrate } from '../../src/db/migrate.ts';
import { makeLegacyFile } from './make-legacy-file.ts';

const ROOT = path.resolve(import.meta.dirname, '../..');
const orders = Number(process.argv[2] ?? 100_000);
const once = process.argv[3] === 'once';

/** CPU seconds of the server's processes: the postmaster's reaped children (a finished session) and the live ones. */
function serverCpu(dataDir: string): number {
  const postmaster = Number(readFileSync(path.join(dataDir, 'postmaster.pid'), 'utf8').split('\n')[0]);
  let ticks = 0;
  for (const pid of readdirSync('/proc').filter((p) => /^\d+$/.test(p))) {
    let fields: string[];
    try {
      fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
    } catch {
      continue; // gone meanwhile
    }
    // Fields after the name: 1 ppid, 11 utime, 12 stime, 13 cutime, 14 cstime (clock ticks).
    if (Number(pid) === postmaster) ticks += Number(fields[13]) + Number(fields[14]);
    else if (Number(fields[1]) === postmaster) ticks += Number(fields[11]) + Number(fields[12]);
  }
  return ticks / 100;
}

function timed<T>(label: string, fn: () => T): T {
  const started = performance.now();
  const result = fn();
  process.stdout.write(`${label}: ${((performance.now() - started) / 1000).toFixed(1)} s\n`);
  return result;
}

const dir = await mkdtemp(path.join(tmpdir(), 'import-bench-'));
const { chmod } = await import('node:fs/promises');
await chmod(dir, 0o777);
const server = await startEmbeddedPostgres({ dir: path.join(dir, 'pg'), port: await freePort() });
try {
  const admin = new pg.Client({ connectionString: server.url('postgres') });
  await admin.connect();
  await admin.query('CREATE DATABASE bench');
  await admin.end();
  const url = server.url('bench');
  await migrate(url);
  const file = path.join(dir, 'legacy.db');
  timed(`generate ${orders} orders`, () => makeLegacyFile(file, orders));
  const timeTool = existsSync('/usr/bin/time');
  const run = (args: string[]) => {
    const serverBefore = serverCpu(path.join(dir, 'pg'));
    const node = path.join(ROOT, 'node_modules/.bin/node');
    const argv = [node, 'src/cli/main.ts', 'import-sqlite', file, ...args];
    // %M: the child's peak resident set in KiB; %U/%S: its CPU seconds (the machine may be shared), on stderr's last line.
    const r = timeTool
      ? spawnSync('/usr/bin/time', ['-f', 'peak-rss-kib %M cpu-user %U cpu-system %S', ...argv], {
          cwd: ROOT,
          env: { ...process.env, DATABASE_URL: url },
          encoding: 'utf8',
          maxBuffer: 64 * 1024 * 1024,
        })
      : spawnSync(node, argv.slice(1), { cwd: ROOT, env: { ...process.env, DATABASE_URL: url }, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
    if (r.status !== 0) throw new Error(`import failed (${r.status}): ${r.stderr}`);
    const peak = /peak-rss-kib (\d+) cpu-user ([\d.]+) cpu-system ([\d.]+)/.exec(r.stderr);
    // %M is KiB: both units, as the target (300 MB) is decimal.
    const peakMiB = (Number(peak?.[1]) / 1024).toFixed(0);
    const peakMB = ((Number(peak?.[1]) * 1024) / 1e6).toFixed(0);
    if (peak) process.stdout.write(`peak memory: ${peakMiB} MiB (${peakMB} MB), CLI CPU: ${(Number(peak[2]) + Number(peak[3])).toFixed(1)} s\n`);
    process.stdout.write(`PostgreSQL CPU: ${(serverCpu(path.join(dir, 'pg')) - serverBefore).toFixed(1)} s\n`);
    return r.stdout;
  };
  process.stdout.write(timed('import (CLI, wall clock)', () => run([])));
  if (!once)
    process.stdout.write(
      timed('second import (CLI, wall clock)', () => run([]))
        .split('\n')
        .slice(0, 9)
        .join('\n') + '\n',
    );
} finally {
  await server.stop();
  await rm(dir, { recursive: true, force: true });
}
