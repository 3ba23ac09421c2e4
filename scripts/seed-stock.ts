// `node scripts/seed-stock.ts --orders N [--data-dir DIR]`: the seed's benchmark on a
// stock server. Starts the embedded PostgreSQL 18 on DIR with the stock resource
// settings, seeds seed_<N> anew through the CLI (as the load-test harness would),
// and prints the server's settings, the load average before and after, the WAL the
// seed wrote, the checkpoints it caused and the server's CPU time. The data dir is
// then ready for `npm run loadtest -- SCENARIO --data-dir DIR --seed N`.
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import type pg from 'pg';
import { ensureSeeded, startDatabase, withClient } from './loadtest/database.ts';
import { load } from './loadtest/machine.ts';

const { values: o } = parseArgs({ options: { orders: { type: 'string' }, 'data-dir': { type: 'string', default: '.data/stock' } } });
const orders = Number(o.orders);
if (!Number.isInteger(orders) || orders < 1) {
  process.stderr.write('usage: node scripts/seed-stock.ts --orders N [--data-dir DIR]\n');
  process.exit(2);
}
const dir = path.resolve(o['data-dir']);
const log = (m: string) => process.stderr.write(`[seed-stock] ${m}\n`);

/** /proc/<pid>/stat fields after the command name: utime, stime, cutime, cstime are 11..14 there. */
function times(pid: number): number[] {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  return stat
    .slice(stat.lastIndexOf(')') + 2)
    .split(' ')
    .map(Number);
}

/**
 * CPU seconds of the whole server: the postmaster's own and its reaped
 * children's (ended backends), plus its live children's (checkpointer, WAL
 * writer, backends still open). Unlike the wall time, barely moved by
 * other work on the machine.
 */
function serverCpuSeconds(): number {
  const postmaster = Number(readFileSync(path.join(dir, 'postmaster.pid'), 'utf8').split('\n')[0]);
  const own = times(postmaster);
  let ticks = own[11]! + own[12]! + own[13]! + own[14]!;
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const f = times(Number(entry));
      if (f[1] === postmaster) ticks += f[11]! + f[12]!;
    } catch {
      // Ended while we looked.
    }
  }
  return ticks / 100;
}

const counters = async (c: pg.Client) =>
  (
    await c.query<{ wal_bytes: string; wal_fpi: string; checkpoints: string }>(
      `SELECT w.wal_bytes::text, w.wal_fpi::text, (k.num_timed + k.num_requested)::text AS checkpoints FROM pg_stat_wal w, pg_stat_checkpointer k`,
    )
  ).rows[0]!;

const server = await startDatabase(dir, { stock: true });
try {
  const url = server.url('postgres');
  const shown = await withClient(url, async (c) => {
    const names = ['server_version', 'shared_buffers', 'wal_buffers', 'max_wal_size', 'maintenance_work_mem', 'max_parallel_maintenance_workers'];
    const { rows } = await c.query<{ name: string; setting: string }>(`SELECT name, current_setting(name) AS setting FROM unnest($1::text[]) AS name`, [
      [...names, 'max_worker_processes', 'synchronous_commit', 'data_checksums', 'wal_level'],
    ]);
    return rows.map((r) => `${r.name}=${r.setting}`).join(' ');
  });
  log(`server: ${shown}`);
  const before = { load: load(), cpu: serverCpuSeconds(), ...(await withClient(url, counters)) };
  log(`load before: ${before.load}`);
  // Interleaved with the seed's own step lines: what each phase cost the server.
  const started = performance.now();
  const sampler = setInterval(
    () => log(`at ${((performance.now() - started) / 1000).toFixed(0)} s: server CPU ${(serverCpuSeconds() - before.cpu).toFixed(1)} s`),
    5000,
  );
  try {
    await ensureSeeded(server, orders, log, { fresh: true });
  } finally {
    clearInterval(sampler);
  }
  const after = { load: load(), cpu: serverCpuSeconds(), ...(await withClient(url, counters)) };
  log(`load after: ${after.load}`);
  const gib = (Number(after.wal_bytes) - Number(before.wal_bytes)) / 2 ** 30;
  log(
    `server CPU ${(after.cpu - before.cpu).toFixed(1)} s; WAL ${gib.toFixed(2)} GiB with ${Number(after.wal_fpi) - Number(before.wal_fpi)} full-page images; ${Number(after.checkpoints) - Number(before.checkpoints)} checkpoints`,
  );
} finally {
  await server.stop();
}
