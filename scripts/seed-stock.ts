// `npm run seed:stock -- --orders N [--data-dir DIR]`: the seed's benchmark on a
// stock server. Starts the embedded PostgreSQL 18 on DIR with the stock resource
// settings, seeds seed_<N> anew through the CLI (as the load-test harness would),
// and prints the server's settings, the load average before and after, the WAL the
// seed wrote, the checkpoints it caused and the server's CPU time. The data dir is
// then ready for `npm run loadtest -- SCENARIO --data-dir DIR --seed N`.
import path from 'node:path';
import { parseArgs } from 'node:util';
import type pg from 'pg';
import { serverCpuSeconds } from './loadtest/cpu.ts';
import { ensureSeeded, startDatabase, withClient } from './loadtest/database.ts';
import { load } from './loadtest/machine.ts';

const { values: o } = parseArgs({ options: { orders: { type: 'string' }, 'data-dir': { type: 'string', default: '.data/stock' } } });
const orders = Number(o.orders);
if (!Number.isInteger(orders) || orders < 1) {
  process.stderr.write('usage: npm run seed:stock -- --orders N [--data-dir DIR]\n');
  process.exit(2);
}
const dir = path.resolve(o['data-dir']);
const log = (m: string) => process.stderr.write(`[seed-stock] ${m}\n`);

const serverCpu = () => serverCpuSeconds(dir);

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
  const before = { load: load(), cpu: serverCpu(), ...(await withClient(url, counters)) };
  log(`load before: ${before.load}`);
  // Interleaved with the seed's own step lines: what each phase cost the server.
  const started = performance.now();
  const sampler = setInterval(
    () => log(`at ${((performance.now() - started) / 1000).toFixed(0)} s: server CPU ${(serverCpu() - before.cpu).toFixed(1)} s`),
    5000,
  );
  try {
    await ensureSeeded(server, orders, log, { fresh: true });
  } finally {
    clearInterval(sampler);
  }
  const after = { load: load(), cpu: serverCpu(), ...(await withClient(url, counters)) };
  log(`load after: ${after.load}`);
  const gib = (Number(after.wal_bytes) - Number(before.wal_bytes)) / 2 ** 30;
  log(
    `server CPU ${(after.cpu - before.cpu).toFixed(1)} s; WAL ${gib.toFixed(2)} GiB with ${Number(after.wal_fpi) - Number(before.wal_fpi)} full-page images; ${Number(after.checkpoints) - Number(before.checkpoints)} checkpoints`,
  );
} finally {
  await server.stop();
}
