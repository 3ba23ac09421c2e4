import { readdir, rm } from 'node:fs/promises';
import path from 'node:path';
import { localParts } from '../scheduler/periods.ts';
import { localMinuteOfDay } from '../scheduler/quiet-hours.ts';

/** repair-bot-2026-11-23T0305.dump: sortable, and its date tells its age without trusting mtimes. */
const NAME = /^repair-bot-(\d{4}-\d{2}-\d{2})T(\d{2})(\d{2})\.dump$/;

/** The file name for a backup made at `at`, in local time of `timeZone`. */
export function backupFileName(at: Date, timeZone: string): string {
  const minute = localMinuteOfDay(at, timeZone);
  const pad = (n: number) => String(n).padStart(2, '0');
  return `repair-bot-${localParts(at, timeZone).date}T${pad(Math.floor(minute / 60))}${pad(minute % 60)}.dump`;
}

/**
 * Deletes backups in `dir` dated more than `retentionDays` days before
 * `today` (a local date), judged by their names; other files are never
 * touched. Returns the names deleted.
 */
export async function pruneBackups(dir: string, today: string, retentionDays: number): Promise<string[]> {
  const cutoff = new Date(`${today}T00:00:00Z`);
  cutoff.setUTCDate(cutoff.getUTCDate() - retentionDays);
  const oldest = cutoff.toISOString().slice(0, 10);
  const deleted: string[] = [];
  for (const name of (await readdir(dir)).sort()) {
    const m = NAME.exec(name);
    if (!m || m[1]! >= oldest) continue;
    await rm(path.join(dir, name), { force: true });
    deleted.push(name);
  }
  return deleted;
}
