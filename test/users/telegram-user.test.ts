import { describe, expect, it } from 'vitest';
import { useApi } from '../http/support.ts';
import { telegramId } from '../support/fixtures.ts';

/**
 * Every bot update records its sender (users.touchTelegramUser). Only a real
 * change is written: a rewrite per update would bloat the table and move
 * updated_at, which the importer reads as "changed here since the last import".
 */
const api = useApi();

const rowOf = async (tg: number) =>
  (
    await api.t.db.pool.query<{ name: string; username: string | null; updated_at: string; xmin: string }>(
      'SELECT name, username, updated_at, xmin::text FROM users WHERE telegram_id = $1',
      [tg],
    )
  ).rows[0]!;

describe('the sender of a bot update', () => {
  it('is created once, left untouched while nothing changed, and updated when the name or username does', async () => {
    // Setup
    const tg = telegramId();
    const from = { id: tg, first_name: 'Ivan', last_name: 'Petrov', username: 'ivanp' };
    const users = api.services.users;

    // Action / Assertions: the first update creates the user
    const created = await users.touchTelegramUser(from);
    expect(created).toMatchObject({ telegramId: tg, name: 'Ivan Petrov' });
    const first = await rowOf(tg);

    // the same sender again: the same principal, and the row is not rewritten
    const again = await users.touchTelegramUser(from);
    expect(again).toEqual(created);
    expect(await rowOf(tg)).toEqual(first);

    // a new username is written (the name an admin may have typed stays)
    await users.touchTelegramUser({ ...from, username: 'ivan_p' });
    const renamed = await rowOf(tg);
    expect(renamed).toMatchObject({ name: 'Ivan Petrov', username: 'ivan_p' });
    expect(renamed.xmin).not.toBe(first.xmin);
    expect(renamed.updated_at > first.updated_at).toBe(true); // text order is time order (six fraction digits)

    // a deleted user who writes again comes back
    await api.t.db.pool.query('UPDATE users SET deleted_at = now() WHERE telegram_id = $1', [tg]);
    expect(await users.touchTelegramUser({ ...from, username: 'ivan_p' })).toMatchObject({ telegramId: tg, name: 'Ivan Petrov' });
    expect((await api.t.db.pool.query('SELECT deleted_at FROM users WHERE telegram_id = $1', [tg])).rows[0].deleted_at).toBeNull();
  });
});
