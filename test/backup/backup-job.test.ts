import { mkdtemp, readdir, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { backupJobs, type BackupNotifier } from '../../src/backup/backup-job.ts';
import { pruneBackups } from '../../src/backup/backup-files.ts';
import { createLogger } from '../../src/telemetry/logger.ts';
import { createMetrics, type Metrics } from '../../src/telemetry/metrics.ts';
import { useTestDatabase } from '../support/db.ts';

const t = useTestDatabase();
let noTools: string;

class Told implements BackupNotifier {
  done: Array<Parameters<BackupNotifier['backupDone']>[0]> = [];
  failed: Array<Parameters<BackupNotifier['backupFailed']>[0]> = [];
  async backupDone(info: Parameters<BackupNotifier['backupDone']>[0]) {
    this.done.push(info);
  }
  async backupFailed(info: Parameters<BackupNotifier['backupFailed']>[0]) {
    this.failed.push(info);
  }
}

/** One instance's backup job at Moscow wall-clock times it is told. */
function instance(dir: string) {
  let now = new Date();
  const told = new Told();
  const metrics: Metrics = createMetrics(() => null);
  const [job] = backupJobs({
    db: t.db,
    databaseUrl: t.url,
    config: { enabled: true, dir, hour: 3, retentionDays: 30 },
    timeZone: 'Europe/Moscow',
    pgBinDir: noTools,
    logger: createLogger('silent'),
    notifier: told,
    metrics: { runs: metrics.backupRuns, lastSuccess: metrics.backupLastSuccess, lastSize: metrics.backupLastSize },
    clock: () => now,
  });
  return {
    told,
    failures: async () => (await metrics.backupRuns.get()).values.find((v) => v.labels.outcome === 'failure')?.value ?? -1,
    at: async (local: string) => {
      now = new Date(`${local.replace(' ', 'T')}:00+03:00`);
      await job!.run();
    },
  };
}

beforeAll(async () => {
  // A PG_BIN_DIR with no tools: the backup fails for real, as on a host without pg_dump 18.
  noTools = await mkdtemp(path.join(tmpdir(), 'repair-bot-no-pg-tools-'));
});

describe('the daily backup when it cannot be made', () => {
  it('waits for BACKUP_HOUR, then fails loudly: counted, recorded, told; retried after 30 minutes, 3 times a day, once across instances', async () => {
    // Setup: two instances sharing the database
    const dir = await mkdtemp(path.join(tmpdir(), 'repair-bot-backups-'));
    const a = instance(dir);
    const b = instance(dir);

    // Action
    await a.at('2026-11-23 02:59');
    await Promise.all([a.at('2026-11-23 03:05'), b.at('2026-11-23 03:05')]);
    await a.at('2026-11-23 03:20');
    await b.at('2026-11-23 03:36');
    await a.at('2026-11-23 04:10');
    await b.at('2026-11-23 05:00');

    // Assertions
    const failed = [...a.told.failed, ...b.told.failed].sort((x, y) => x.attempt - y.attempt);
    expect(failed.map((f) => [f.attempt, f.retryInMinutes])).toEqual([
      [1, 30],
      [2, 30],
      [3, null],
    ]);
    expect(failed[0]!.error).toMatch(/no pg_dump of PostgreSQL 18 or newer in PG_BIN_DIR/);
    expect((await a.failures()) + (await b.failures())).toBe(3);
    const runs = await t.db.pool.query(`SELECT day::text, attempt, outcome, error IS NOT NULL AS has_error FROM backup_runs ORDER BY attempt`);
    expect(runs.rows).toEqual([1, 2, 3].map((attempt) => ({ day: '2026-11-23', attempt, outcome: 'failure', has_error: true })));
    expect(await readdir(dir)).toEqual([]); // no partial file left behind
    expect([...a.told.done, ...b.told.done]).toEqual([]);
  });
});

describe('retention', () => {
  it('deletes backups dated more than N days back by their names, and nothing else', async () => {
    // Setup
    const dir = await mkdtemp(path.join(tmpdir(), 'repair-bot-retention-'));
    const names = [
      'repair-bot-2026-10-23T0300.dump', // 31 days before
      'repair-bot-2026-10-24T0300.dump', // 30 days before: kept
      'repair-bot-2026-11-23T0300.dump',
      'notes.txt',
      'repair-bot-2026-01-01T0300.dump.partial',
    ];
    for (const n of names) await writeFile(path.join(dir, n), 'x');

    // Action
    const deleted = await pruneBackups(dir, '2026-11-23', 30);

    // Assertions
    expect(deleted).toEqual(['repair-bot-2026-10-23T0300.dump']);
    expect((await readdir(dir)).sort()).toEqual(names.slice(1).sort());
  });
});
