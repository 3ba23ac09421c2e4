import { NotFoundError } from '../../errors.ts';
import { parseCommandLine, positiveInteger } from '../args.ts';
import { UsageError, withCliContext } from '../context.ts';

export const usage = 'token revoke ID   revoke an API token (ids from "token list"); running services refuse it within AUTH_CACHE_TTL_MS';

export async function run(args: string[]): Promise<void> {
  const { positionals } = parseCommandLine(args, {}, 1);
  const id = positiveInteger(positionals[0]!, 'id');
  await withCliContext(async ({ services }) => {
    await services.users.revokeToken(null, id).catch((err: unknown) => {
      if (err instanceof NotFoundError) throw new UsageError(`no live token ${id} (see "token list --all")`);
      throw err;
    });
    process.stdout.write(`revoked token ${id}\n`);
  });
}
