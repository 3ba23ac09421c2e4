import { NotFoundError } from '../../errors.ts';
import { parseOptions, positiveInteger, requireOption } from '../args.ts';
import { UsageError, withCliContext } from '../context.ts';

export const usage = 'token create --telegram-id ID [--label TEXT]   print a new API token once';

export async function run(args: string[]): Promise<void> {
  const o = parseOptions(args, { 'telegram-id': { type: 'string' }, label: { type: 'string' } });
  const telegramId = positiveInteger(requireOption(o['telegram-id'], 'telegram-id'), 'telegram-id');
  const label = typeof o.label === 'string' ? o.label.slice(0, 100) : 'cli';
  await withCliContext(async ({ services }) => {
    const token = await services.users.createToken(telegramId, label).catch((err: unknown) => {
      if (err instanceof NotFoundError) throw new UsageError(`no user with Telegram id ${telegramId}; create one with "user add" first`);
      throw err;
    });
    // Only the token on stdout, so scripts can capture it.
    process.stdout.write(`${token}\n`);
  });
}
