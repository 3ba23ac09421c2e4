import type { Queryable } from '../db/database.ts';
import { defineQuery } from '../db/query.ts';

const BACKUP_RUN_COLUMNS = {
  attempt: 'int4',
  started_at: 'timestamptz',
  finished_at: 'timestamptz?',
  outcome: 'text?',
} as const;

const listBackupRunsQuery = defineQuery({
  name: 'backup.list_backup_runs',
  params: { day: 'date' },
  columns: BACKUP_RUN_COLUMNS,
  text: `SELECT attempt, started_at, finished_at, outcome FROM backup_runs WHERE day = $1::date ORDER BY attempt`,
});

/** The day's attempts, first to last. */
export function listBackupRuns(db: Queryable, day: string) {
  return db.many(listBackupRunsQuery, { day });
}

const claimBackupRunQuery = defineQuery({
  name: 'backup.claim_backup_run',
  params: { day: 'date', attempt: 'int4', startedAt: 'timestamptz' },
  columns: { id: 'int8' },
  text: `
INSERT INTO backup_runs (day, attempt, started_at) VALUES ($1::date, $2::int4, $3::timestamptz)
ON CONFLICT (day, attempt) DO NOTHING
RETURNING id`,
});

/** The run's id for exactly one caller per (day, attempt), across instances. */
export async function claimBackupRun(db: Queryable, day: string, attempt: number, startedAt: Date): Promise<number | null> {
  return (await db.maybeOne(claimBackupRunQuery, { day, attempt, startedAt: startedAt.toISOString() }))?.id ?? null;
}

const finishBackupRunQuery = defineQuery({
  name: 'backup.finish_backup_run',
  params: { id: 'int8', finishedAt: 'timestamptz', outcome: 'text', fileName: 'text?', sizeBytes: 'int8?', error: 'text?' },
  columns: {},
  text: `
UPDATE backup_runs SET finished_at = $2::timestamptz, outcome = $3::text, file_name = $4::text, size_bytes = $5::int8, error = $6::text
WHERE id = $1::int8`,
});

export async function finishBackupRun(
  db: Queryable,
  id: number,
  result: { finishedAt: Date; outcome: 'success' | 'failure'; fileName?: string; sizeBytes?: number; error?: string },
): Promise<void> {
  await db.run(finishBackupRunQuery, {
    id,
    finishedAt: result.finishedAt.toISOString(),
    outcome: result.outcome,
    fileName: result.fileName ?? null,
    sizeBytes: result.sizeBytes ?? null,
    error: result.error?.slice(0, 2000) ?? null,
  });
}

const findLastBackupQuery = defineQuery({
  name: 'backup.find_last_backup',
  params: {},
  columns: { finished_at: 'timestamptz?', size_bytes: 'int8?', file_name: 'text?' },
  text: `
SELECT finished_at, size_bytes, file_name FROM backup_runs
WHERE outcome = 'success' ORDER BY finished_at DESC LIMIT 1`,
});

/** The last good backup any instance made, if any. */
export function findLastBackup(db: Queryable) {
  return db.maybeOne(findLastBackupQuery, {});
}
