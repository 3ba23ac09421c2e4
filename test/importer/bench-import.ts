/**
 * Measures import-sqlite on a large legacy file against a throwaway embedded
 * PostgreSQL (default settings, fsync on), through the real CLI:
 *   npm run bench:import -- [ORDERS=100000]
 * Prints the time of the file generation, and the wall time and peak memory
 * (maximum resident set, by /usr/bin/time when present) of the import and of
 * a second (no-op) import.
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
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
    if (peak) process.stdout.write(`peak memory: ${(Number(peak[1]) / 1024).toFixed(0)} MB, CLI CPU: ${(Number(peak[2]) + Number(peak[3])).toFixed(1)} s\n`);
    return r.stdout;
  };
  process.stdout.write(timed('import (CLI, wall clock)', () => run([])));
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
