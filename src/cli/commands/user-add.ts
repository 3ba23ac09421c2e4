import { USER_ROLES, type UserRole } from '../../db/enums.ts';
import { parseOptions, positiveInteger, requireOption } from '../args.ts';
import { UsageError, withCliContext } from '../context.ts';

export const usage = 'user add --telegram-id ID --name NAME --roles admin,dispatcher,master';

export function parseRoles(raw: string): UserRole[] {
  const roles = raw
    .split(',')
    .map((r) => r.trim().toUpperCase())
    .filter(Boolean);
  for (const r of roles) {
    if (!(USER_ROLES as readonly string[]).includes(r)) throw new UsageError(`--roles: unknown role "${r.toLowerCase()}" (known: admin, dispatcher, master)`);
  }
  return [...new Set(roles)] as UserRole[];
}

export async function run(args: string[]): Promise<void> {
  const o = parseOptions(args, { 'telegram-id': { type: 'string' }, name: { type: 'string' }, roles: { type: 'string' } });
  const telegramId = positiveInteger(requireOption(o['telegram-id'], 'telegram-id'), 'telegram-id');
  const name = requireOption(o.name, 'name');
  if (name.length > 200) throw new UsageError('--name must be at most 200 characters');
  const roles = parseRoles(typeof o.roles === 'string' ? o.roles : '');
  await withCliContext(async ({ services }) => {
    const user = await services.users.register({ telegramId, name, roles });
    process.stdout.write(`user ${user.id} (Telegram ${user.telegram_id}) "${user.name}": ${user.roles.join(', ') || 'no roles'}\n`);
  });
}
