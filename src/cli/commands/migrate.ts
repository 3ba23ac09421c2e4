import { migrate } from '../../db/migrate.ts';
import { parseOptions } from '../args.ts';
import { withCliContext } from '../context.ts';

export const usage = 'migrate                      apply pending migrations';

export async function run(args: string[]): Promise<void> {
  parseOptions(args, {});
  await withCliContext(
    async ({ databaseUrl }) => {
      const applied = await migrate(databaseUrl);
      process.stdout.write(applied.length ? `applied: ${applied.join(', ')}\n` : 'database is up to date\n');
    },
    { migrate: false },
  );
}
