import { USER_ROLES, type UserRole } from '../../db/enums.ts';
import { upsertUser, replaceUserRoles, findUser } from '../../users/users.sql.ts';
import { insertAuditEntry } from '../../audit/audit.sql.ts';
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
  await withCliContext(async ({ db }) => {
    const user = await db.transaction(async (tx) => {
      const saved = await upsertUser(tx, { telegramId, name, username: null, language: null }, true);
      await replaceUserRoles(tx, saved.id, roles, null);
      await insertAuditEntry(tx, { actorId: null, action: 'user.cli_add', entityType: 'user', entityId: saved.id, details: { roles } });
      return (await findUser(tx, saved.id))!;
    });
    process.stdout.write(`user ${user.id} (Telegram ${user.telegram_id}) "${user.name}": ${user.roles.join(', ') || 'no roles'}\n`);
  });
}
