import { describe, expect, it } from 'vitest';
import { bootstrapAdmin } from '../../src/users/bootstrap.ts';
import { UsersService } from '../../src/users/users-service.ts';
import { issueToken } from '../../src/users/tokens.ts';
import { revokeToken } from '../../src/users/tokens.sql.ts';
import { useTestDatabase } from '../support/db.ts';
import { makeUser } from '../support/fixtures.ts';
import { auditOf } from '../support/reads.ts';

const t = useTestDatabase();

describe('bootstrap admin and API tokens', () => {
  it('creates one admin with a token on an empty database, even when two instances race, and never again', async () => {
    // Action
    const [a, b] = await Promise.all([bootstrapAdmin(t.db), bootstrapAdmin(t.db)]);
    const again = await bootstrapAdmin(t.db);
    // Assertions
    const tokens = [a, b].filter((x) => x !== null);
    expect(tokens).toHaveLength(1);
    expect(again).toBeNull();
    const users = new UsersService(t.db);
    const admin = await users.authenticate(tokens[0]!);
    expect(admin).toMatchObject({ name: 'Bootstrap admin', roles: ['ADMIN'], telegramId: null });
    // Only the hash is stored.
    const stored = await t.db.withClient(async (_db, raw) => (await raw.query('SELECT token_hash FROM api_tokens')).rows);
    expect(stored.every((r) => !r.token_hash.toString('utf8').includes(tokens[0]!.slice(3)))).toBe(true);
  });

  it('refuses unknown, malformed and revoked tokens', async () => {
    const users = new UsersService(t.db);
    const user = await makeUser(t.db, ['DISPATCHER']);
    const { id, token } = await issueToken(t.db, user.userId, 'test', null);
    expect((await users.authenticate(token))?.userId).toBe(user.userId);
    expect(await users.authenticate('rb_' + 'x'.repeat(43))).toBeNull();
    expect(await users.authenticate("' OR 1=1 --")).toBeNull();
    await revokeToken(t.db, id, null);
    expect(await users.authenticate(token)).toBeNull();
  });

  it('sets exactly the given roles and audits the change', async () => {
    const admin = await makeUser(t.db, ['ADMIN']);
    const user = await makeUser(t.db, ['MASTER', 'DISPATCHER']);
    const users = new UsersService(t.db);
    const updated = await users.setRoles(admin, user.telegramId!, ['ADMIN', 'DISPATCHER']);
    expect(updated.roles).toEqual(['ADMIN', 'DISPATCHER']);
    const audit = await auditOf(t.db, { action: 'user.roles_set', entityId: user.userId });
    expect(audit.at(-1)?.details).toMatchObject({ added: ['ADMIN'], removed: ['MASTER'] });
    await expect(users.setRoles(user, admin.telegramId!, [])).rejects.toMatchObject({ kind: 'forbidden' });
    await expect(users.setRoles(admin, 123, ['ADMIN'])).rejects.toMatchObject({ kind: 'not_found', field: 'telegram_id' });
  });
});

describe('the last admin', () => {
  it('cannot lose the ADMIN role, even when two admins demote each other at once', async () => {
    // Setup: exactly two admins in a fresh state of this file's database.
    const users = new UsersService(t.db);
    const a = await makeUser(t.db, ['ADMIN']);
    const b = await makeUser(t.db, ['ADMIN']);
    await t.db.withClient((_db, raw) => raw.query("DELETE FROM user_roles WHERE role = 'ADMIN' AND user_id <> ALL ($1::int8[])", [[a.userId, b.userId]]));
    // Action
    const results = await Promise.allSettled([users.setRoles(a, b.telegramId!, ['DISPATCHER']), users.setRoles(b, a.telegramId!, ['DISPATCHER'])]);
    // Assertions: one demotion happens, the other is refused with a conflict naming roles.
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    const refused = results.find((r) => r.status === 'rejected') as PromiseRejectedResult;
    expect(refused.reason).toMatchObject({ kind: 'conflict', field: 'roles' });
  });
});
