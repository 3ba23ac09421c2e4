import { restoreBackup } from '../../backup/backup.ts';
import { parseCommandLine } from '../args.ts';
import { withCliContext } from '../context.ts';

export const usage = 'restore FILE [--force]       restore a backup into an empty database (--force: replace what it holds)';

export async function run(args: string[]): Promise<void> {
  const { values, positionals } = parseCommandLine(args, { force: { type: 'boolean' } }, 1);
  const file = positionals[0]!;
  await withCliContext(
    async ({ config, db, databaseUrl }) => {
      const { tool } = await restoreBackup(db, databaseUrl, file, { force: values.force === true, binDir: config.pgBinDir });
      process.stdout.write(`restored ${file} (${tool.name} ${tool.version}); run "repair-bot migrate" if this build is newer than the backup\n`);
    },
    { migrate: false },
  );
}
