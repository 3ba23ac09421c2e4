import { migrate } from '../../db/migrate.ts';
import { parseOptions } from '../args.ts';
import { withCliContext } from '../context.ts';

export const usage = `migrate                      apply pending migrations; keeps the report rollups in REPORT_TIMEZONE
      (after a change of it, rewrites them: writes to orders wait meanwhile, minutes on a large database)`;

export async function run(args: string[]): Promise<void> {
  parseOptions(args, {});
  await withCliContext(
    async ({ config, databaseUrl }) => {
      const { applied, rollups } = await migrate(databaseUrl, undefined, { rollupZone: config.reports.timeZone });
      process.stdout.write(applied.length ? `applied: ${applied.join(', ')}\n` : 'database is up to date\n');
      if (rollups) process.stdout.write(`report rollups rewritten from ${rollups.from} to ${rollups.to} in ${rollups.seconds} s\n`);
    },
    { migrate: false },
  );
}
