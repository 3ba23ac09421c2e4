import path from 'node:path';
import { createBackup } from '../../backup/backup.ts';
import { backupFileName } from '../../backup/backup-files.ts';
import { parseOptions } from '../args.ts';
import { withCliContext } from '../context.ts';

export const usage = 'backup [--out FILE]          pg_dump (custom format) to FILE, by default a dated file in BACKUP_DIR';

export async function run(args: string[]): Promise<void> {
  const o = parseOptions(args, { out: { type: 'string' } });
  // No migrations first: a backup is what one takes before an upgrade.
  await withCliContext(
    async ({ config, db, databaseUrl }) => {
      const out = typeof o.out === 'string' && o.out.trim() ? o.out.trim() : path.join(config.backup.dir, backupFileName(new Date(), config.reports.timeZone));
      const result = await createBackup(db, databaseUrl, out, config.pgBinDir);
      process.stdout.write(`${result.file}\t${result.sizeBytes} bytes\t(${result.tool.name} ${result.tool.version})\n`);
    },
    { migrate: false },
  );
}
