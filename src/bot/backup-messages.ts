import type { BackupNotifier } from '../backup/backup-job.ts';
import type { Services } from '../services.ts';
import { formatDate } from './format.ts';
import type { NotifierParts } from './reminder-messages.ts';

/** "12.3 MB" / "12,3 МБ": one decimal in the reader's units. */
function size(bytes: number, t: (key: string) => string): string {
  const units = ['bytes', 'kb', 'mb', 'gb'] as const;
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  return `${unit === 0 ? value : value.toFixed(1)} ${t(`backup-unit-${units[unit]}`)}`;
}

/** The daily backup, told to every admin in their language: its size when made, the reason when not. */
export class BackupMessages implements BackupNotifier {
  private readonly services: Services;
  private readonly n: NotifierParts;
  constructor(services: Services, parts: NotifierParts) {
    this.services = services;
    this.n = parts;
  }

  async backupDone(info: { day: string; file: string; sizeBytes: number; pruned: number }): Promise<void> {
    await this.toAdmins((t) => t('backup-done', { day: formatDate(info.day), file: info.file, size: size(info.sizeBytes, t), pruned: String(info.pruned) }));
  }

  async backupFailed(info: { day: string; attempt: number; maxAttempts: number; error: string; retryInMinutes: number | null }): Promise<void> {
    await this.toAdmins((t) =>
      [
        t('backup-failed', { day: formatDate(info.day), attempt: String(info.attempt), max: String(info.maxAttempts), error: info.error }),
        info.retryInMinutes === null ? t('backup-given-up') : t('backup-retry', { minutes: String(info.retryInMinutes) }),
      ].join('\n'),
    );
  }

  private async toAdmins(text: (t: (key: string, vars?: Record<string, string>) => string) => string): Promise<void> {
    for (const admin of await this.services.users.telegramIdsWithRole('ADMIN')) {
      await this.n.send(admin, async (r) => ({ text: text(r.t) }));
    }
  }
}
