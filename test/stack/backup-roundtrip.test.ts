import { mkdtemp, readdir, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { backupJobs, type BackupNotifier } from '../../src/backup/backup-job.ts';
import type { Database } from '../../src/db/database.ts';
import { registerEnumArrayTypes } from '../../src/db/enum-arrays.ts';
import { migrate } from '../../src/db/migrate.ts';
import { createDatabase } from '../../src/db/pool.ts';
import { createServices } from '../../src/services.ts';
import { createLogger } from '../../src/telemetry/logger.ts';
import { createMetrics } from '../../src/telemetry/metrics.ts';
import { runCli } from '../support/cli.ts';
import { makeMaster, makeUser, orderInput } from '../support/fixtures.ts';
import { startMatchedPostgres, type MatchedPostgres } from './support/matched-postgres.ts';

let server: MatchedPostgres;
let sourceUrl: string;
let source: Database;
let dir: string;

/** Row count of every table, and an md5 of the orders, history and audit rows in key order. */
async function fingerprint(url: string) {
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  try {
    const counts = await c.query<{ table_name: string; rows: string }>(`
      SELECT table_name::text,
        (xpath('/row/c/text()', query_to_xml(format('SELECT count(*) AS c FROM public.%I', table_name), false, true, '')))[1]::text AS rows
      FROM information_schema.tables WHERE table_schema = 'public' AND table_type = 'BASE TABLE' ORDER BY table_name`);
    const sums = await c.query(`
      SELECT (SELECT md5(string_agg(o::text, '|' ORDER BY o.id)) FROM orders o) AS orders,
             (SELECT md5(string_agg(h::text, '|' ORDER BY h.id)) FROM order_status_history h) AS history,
             (SELECT md5(string_agg(a::text, '|' ORDER BY a.id)) FROM audit_log a) AS audit`);
    return { counts: Object.fromEntries(counts.rows.map((r) => [r.table_name, Number(r.rows)])), ...sums.rows[0] };
  } finally {
    await c.end();
  }
}

beforeAll(async () => {
  // Setup: a migrated database with orders in every stage, their history and audit trail
  server = await startMatchedPostgres();
  sourceUrl = await server.createDatabase('source');
  await migrate(sourceUrl);
  source = createDatabase(sourceUrl, { min: 0, max: 4, statementTimeoutMs: 30_000, idleTimeoutMs: 10_000 }, { error: () => {} });
  await registerEnumArrayTypes(source);
  const services = createServices(source, {}, { error: () => {} });
  const dispatcher = await makeUser(source, ['DISPATCHER', 'ADMIN'], 'Анна');
  const master = await makeMaster(source, { name: 'Пётр', approved: false });
  // Orders are created through the service; later stages are set directly, as the workflow's
  // statements need PostgreSQL 18 (RETURNING old/new) and the matched server may be older.
  for (let i = 0; i < 30; i++) {
    await services.orders.create(dispatcher, orderInput({ client_name: `Клиент ${i}`, notes: i % 3 ? null : 'код домофона 12#' }));
  }
  await source.pool.query(`UPDATE orders SET status = 'ASSIGNED', master_id = $1 WHERE id % 5 = 1`, [master.masterId]);
  await source.pool.query(
    `UPDATE orders SET status = CASE WHEN id % 2 = 0 THEN 'CLOSED'::order_status ELSE 'COMPLETED' END, master_id = $1,
       total_amount = 7000.50 + id, materials_cost = 1000, master_profit = 3000.25, company_profit = 3000.25 + id,
       has_review = id % 3 = 0, completed_at = now(), closed_at = CASE WHEN id % 2 = 0 THEN now() END
     WHERE id % 5 = 3`,
    [master.masterId],
  );
  await source.pool.query(`UPDATE orders SET deleted_at = now() WHERE id = 1`);
  dir = await mkdtemp(path.join(tmpdir(), 'repair-bot-backups-'));
}, 180_000);

afterAll(async () => {
  await source?.close();
  await server?.stop();
});

describe(`backup and restore round trip (PostgreSQL with matching client tools)`, () => {
  it('restores every row of every table into an empty database, refuses to overwrite it, and replaces it with --force', async () => {
    // Action: back up with the CLI, restore into a new database
    const file = path.join(dir, 'manual.dump');
    const backup = await runCli(['backup', '--out', file], { DATABASE_URL: sourceUrl });
    const targetUrl = await server.createDatabase('target');
    const restore = await runCli(['restore', file], { DATABASE_URL: targetUrl });
    const again = await runCli(['restore', file], { DATABASE_URL: targetUrl });
    const forced = await runCli(['restore', file, '--force'], { DATABASE_URL: targetUrl });

    // Assertions
    expect(backup.stderr).toBe('');
    expect(backup.code).toBe(0);
    expect(backup.stdout).toMatch(new RegExp(`^${file}\\t\\d+ bytes\\t\\(pg_dump ${server.major}\\.`));
    expect(restore.stderr).toBe('');
    expect(restore.code).toBe(0);
    const before = await fingerprint(sourceUrl);
    const after = await fingerprint(targetUrl);
    expect(before.counts.orders).toBe(30);
    expect(before.counts.audit_log).toBeGreaterThanOrEqual(30);
    expect(after).toEqual(before);
    expect(again.code).toBe(1);
    expect(again.stderr).toContain('is not empty');
    expect(forced.stderr).toBe('');
    expect(forced.code).toBe(0);
    expect(await fingerprint(targetUrl)).toEqual(before);
    // Identity sequences came along: a new order gets the next number.
    const target = createDatabase(targetUrl, { min: 0, max: 2, statementTimeoutMs: 30_000, idleTimeoutMs: 10_000 }, { error: () => {} });
    await registerEnumArrayTypes(target);
    const services = createServices(target, {}, { error: () => {} });
    const anna = await makeUser(target, ['DISPATCHER'], 'Анна 2');
    expect((await services.orders.create(anna, orderInput())).order.id).toBe(31);
    await target.close();
  }, 180_000); // four CLI processes, each a Node start

  it('makes the daily backup once from BACKUP_HOUR, prunes old ones, reports its size and the success metric', async () => {
    // Setup: a backup directory with one backup past the 30-day retention
    const daily = await mkdtemp(path.join(tmpdir(), 'repair-bot-daily-'));
    await writeFile(path.join(daily, 'repair-bot-2026-10-01T0300.dump'), 'old');
    const told: Array<Parameters<BackupNotifier['backupDone']>[0]> = [];
    const metrics = createMetrics(() => null);
    let now = new Date('2026-11-23T00:10:00Z'); // 03:10 in Moscow
    const [job] = backupJobs({
      db: source,
      databaseUrl: sourceUrl,
      config: { enabled: true, dir: daily, hour: 3, retentionDays: 30 },
      timeZone: 'Europe/Moscow',
      pgBinDir: undefined,
      logger: createLogger('silent'),
      notifier: { backupDone: async (i) => void told.push(i), backupFailed: async (i) => expect.fail(i.error) },
      metrics: { runs: metrics.backupRuns, lastSuccess: metrics.backupLastSuccess, lastSize: metrics.backupLastSize },
      clock: () => now,
    });

    // Action
    await job!.run();
    now = new Date('2026-11-23T02:00:00Z');
    await job!.run();

    // Assertions
    expect(await readdir(daily)).toEqual(['repair-bot-2026-11-23T0310.dump']);
    const size = (await stat(path.join(daily, 'repair-bot-2026-11-23T0310.dump'))).size;
    expect(told).toEqual([{ day: '2026-11-23', file: 'repair-bot-2026-11-23T0310.dump', sizeBytes: size, pruned: 1 }]);
    expect((await metrics.backupLastSize.get()).values[0]!.value).toBe(size);
    expect((await metrics.backupLastSuccess.get()).values[0]!.value).toBe(Date.parse('2026-11-23T00:10:00Z') / 1000);
    expect((await metrics.backupRuns.get()).values.find((v) => v.labels.outcome === 'success')!.value).toBe(1);
  });
});
