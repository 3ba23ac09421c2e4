import path from 'node:path';
import type { BackupConfig } from '../config.ts';
import type { Queryable } from '../db/database.ts';
import type { Job } from '../scheduler/scheduler.ts';
import { localParts } from '../scheduler/periods.ts';
import type { Logger } from '../telemetry/logger.ts';
import { createBackup } from './backup.ts';
import { backupFileName, pruneBackups } from './backup-files.ts';
import { claimBackupRun, finishBackupRun, findLastBackup, listBackupRuns } from './backup-runs.sql.ts';

/** Who hears of the daily backup (the bot's admins, when the bot runs). */
export interface BackupNotifier {
  backupDone(info: { day: string; file: string; sizeBytes: number; pruned: number }): Promise<void>;
  backupFailed(info: { day: string; attempt: number; maxAttempts: number; error: string; retryInMinutes: number | null }): Promise<void>;
}

/** repair_backup_* metrics (prom-client objects, or anything shaped like them). */
interface BackupMetrics {
  runs: { inc(labels: { outcome: 'success' | 'failure' }): void };
  lastSuccess: { set(value: number): void };
  lastSize: { set(value: number): void };
}

export interface BackupJobDeps {
  db: Queryable;
  databaseUrl: string;
  config: BackupConfig;
  timeZone: string;
  pgBinDir: string | undefined;
  logger: Pick<Logger, 'info' | 'error'>;
  notifier?: BackupNotifier | undefined;
  metrics?: BackupMetrics | undefined;
  clock?: () => Date;
}

const MAX_ATTEMPTS = 3;
const RETRY_AFTER_MS = 30 * 60_000;
/** An attempt unfinished this long died with its instance: it counts as failed. */
const STALE_AFTER_MS = 2 * 3_600_000;

/**
 * The daily backup: due from BACKUP_HOUR local time, made by whichever
 * instance claims the day's next attempt; a failure is logged, counted and
 * told to admins, and retried after 30 minutes, up to 3 attempts a day. Every
 * run also refreshes the last-success gauges from the database, so each
 * instance reports the same figure and a restart does not reset it.
 */
export function backupJobs(deps: BackupJobDeps): Job[] {
  const clock = deps.clock ?? (() => new Date());
  return [
    {
      name: 'backup',
      intervalMs: 5 * 60_000,
      run: async () => {
        await refreshGauges(deps);
        const now = clock();
        const local = localParts(now, deps.timeZone);
        if (local.hour < deps.config.hour) return;
        const attempt = await nextAttempt(deps.db, local.date, now);
        if (attempt === null) return;
        const id = await claimBackupRun(deps.db, local.date, attempt, now);
        if (id !== null) await backUp(deps, { id, day: local.date, attempt, now });
      },
    },
  ];
}

/** The attempt to make now, or null: done today, given up, one running elsewhere, or waiting to retry. */
async function nextAttempt(db: Queryable, day: string, now: Date): Promise<number | null> {
  const runs = await listBackupRuns(db, day);
  if (runs.some((r) => r.outcome === 'success') || runs.length >= MAX_ATTEMPTS) return null;
  const last = runs.at(-1);
  if (last && last.outcome === null && now.getTime() - Date.parse(last.started_at) < STALE_AFTER_MS) return null;
  if (last?.finished_at && now.getTime() - Date.parse(last.finished_at) < RETRY_AFTER_MS) return null;
  return runs.length + 1;
}

async function backUp(deps: BackupJobDeps, run: { id: number; day: string; attempt: number; now: Date }): Promise<void> {
  const file = path.join(deps.config.dir, backupFileName(run.now, deps.timeZone));
  const clock = deps.clock ?? (() => new Date());
  let sizeBytes: number;
  try {
    const result = await createBackup(deps.db, deps.databaseUrl, file, deps.pgBinDir);
    sizeBytes = result.sizeBytes;
    await finishBackupRun(deps.db, run.id, { finishedAt: clock(), outcome: 'success', fileName: path.basename(file), sizeBytes });
    deps.logger.info({ file, size_bytes: sizeBytes, tool: `${result.tool.name} ${result.tool.version}` }, 'backup made');
  } catch (err) {
    const error = (err as Error).message;
    await finishBackupRun(deps.db, run.id, { finishedAt: clock(), outcome: 'failure', error });
    deps.metrics?.runs.inc({ outcome: 'failure' });
    deps.logger.error({ err, attempt: run.attempt, day: run.day }, 'backup failed');
    const retryInMinutes = run.attempt < MAX_ATTEMPTS ? RETRY_AFTER_MS / 60_000 : null;
    await deps.notifier?.backupFailed({ day: run.day, attempt: run.attempt, maxAttempts: MAX_ATTEMPTS, error: error.slice(0, 500), retryInMinutes });
    return;
  }
  deps.metrics?.runs.inc({ outcome: 'success' });
  await refreshGauges(deps);
  // The backup is safe whatever happens to the old ones.
  const pruned = await pruneBackups(deps.config.dir, run.day, deps.config.retentionDays).catch((err: unknown) => {
    deps.logger.error({ err, dir: deps.config.dir }, 'old backups not pruned');
    return [];
  });
  await deps.notifier?.backupDone({ day: run.day, file: path.basename(file), sizeBytes, pruned: pruned.length });
}

async function refreshGauges(deps: BackupJobDeps): Promise<void> {
  if (!deps.metrics) return;
  const last = await findLastBackup(deps.db);
  if (!last?.finished_at) return;
  deps.metrics.lastSuccess.set(Date.parse(last.finished_at) / 1000);
  deps.metrics.lastSize.set(last.size_bytes ?? 0);
}
