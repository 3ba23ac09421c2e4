import { parseOptions, positiveInteger } from '../args.ts';
import { withCliContext } from '../context.ts';

export const usage = 'token list [--telegram-id ID] [--all]   API tokens (id, owner, label, last use); --all: revoked too';

/** One tab-separated line per token, under a header, so it reads in a terminal and cuts with `cut -f`. */
export async function run(args: string[]): Promise<void> {
  const o = parseOptions(args, { 'telegram-id': { type: 'string' }, all: { type: 'boolean' } });
  const telegramId = typeof o['telegram-id'] === 'string' ? positiveInteger(o['telegram-id'], 'telegram-id') : undefined;
  await withCliContext(async ({ services }) => {
    const lines = ['id\ttelegram_id\tuser\tlabel\tcreated_at\tlast_used_at\trevoked_at'];
    let afterId = 0;
    for (;;) {
      const page = await services.users.tokens(null, { afterId, telegramId, includeRevoked: o.all === true, limit: 500 });
      for (const t of page) {
        lines.push([t.id, t.telegram_id ?? '-', t.user_name, t.label || '-', t.created_at, t.last_used_at ?? '-', t.revoked_at ?? '-'].join('\t'));
      }
      if (page.length < 500) break;
      afterId = page.at(-1)!.id;
    }
    process.stdout.write(`${lines.join('\n')}\n`);
  });
}
