import { describe, expect, it } from 'vitest';
import { defineQuery } from '../../src/db/query.ts';
import { UniqueViolationError } from '../../src/db/errors.ts';
import { useTestDatabase } from '../support/db.ts';

const t = useTestDatabase();

const insertUser = defineQuery({
  name: 'test_tx.insert_user',
  params: { telegramId: 'int8' },
  columns: {},
  text: `INSERT INTO users (telegram_id, name) VALUES ($1::int8, 'tx test')`,
});
const countUser = defineQuery({
  name: 'test_tx.count_user',
  params: { telegramId: 'int8' },
  columns: { n: 'int8' },
  text: `SELECT count(*) AS n FROM users WHERE telegram_id = $1::int8`,
});
const sleep = defineQuery({
  name: 'test_tx.sleep',
  params: {},
  columns: { slept: 'text' },
  text: `SELECT pg_sleep(0.05)::text AS slept`,
});

const count = async (id: number) => (await t.db.one(countUser, { telegramId: id })).n;

describe('ambient transactions', () => {
  it('queries made through the Database inside transaction() join it and roll back with it', async () => {
    await expect(
      t.db.transaction(async () => {
        await t.db.run(insertUser, { telegramId: 880001 });
        expect(await count(880001)).toBe(1); // visible inside
        throw new Error('undo');
      }),
    ).rejects.toThrow('undo');
    expect(await count(880001)).toBe(0);
  });

  it('a nested transaction is a savepoint: its failure undoes only its own work', async () => {
    await t.db.transaction(async () => {
      await t.db.run(insertUser, { telegramId: 880002 });
      await expect(t.db.transaction(async () => t.db.run(insertUser, { telegramId: 880002 }))).rejects.toBeInstanceOf(UniqueViolationError);
      await t.db.run(insertUser, { telegramId: 880003 });
    });
    expect([await count(880002), await count(880003)]).toEqual([1, 1]);
  });

  it('runs concurrent queries of one transaction one after another on its connection', async () => {
    const started = performance.now();
    await t.db.transaction(async () => {
      await Promise.all([t.db.one(sleep, {}), t.db.one(sleep, {}), t.db.one(sleep, {})]);
    });
    // Three 50 ms sleeps on one connection cannot overlap.
    expect(performance.now() - started).toBeGreaterThanOrEqual(145);
  });

  it('after-commit hooks run only once the transaction commits, and not for rolled-back work', async () => {
    const ran: string[] = [];
    await t.db.transaction(async () => {
      t.db.afterCommit(() => ran.push('outer'));
      await t.db
        .transaction(async () => {
          t.db.afterCommit(() => ran.push('undone savepoint'));
          throw new Error('inner');
        })
        .catch(() => undefined);
      await t.db.transaction(async () => t.db.afterCommit(() => ran.push('kept savepoint')));
      expect(ran).toEqual([]);
    });
    await t.db
      .transaction(async () => {
        t.db.afterCommit(() => ran.push('rolled back'));
        throw new Error('no');
      })
      .catch(() => undefined);
    t.db.afterCommit(() => ran.push('no transaction'));
    expect(ran).toEqual(['outer', 'kept savepoint', 'no transaction']);
  });
});
