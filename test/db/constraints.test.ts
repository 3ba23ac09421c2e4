import { beforeAll, describe, expect, it } from 'vitest';
import {
  CheckViolationError,
  ForeignKeyViolationError,
  InvalidValueError,
  NotNullViolationError,
  toDbError,
  UniqueViolationError,
} from '../../src/db/errors.ts';
import { useTestDatabase } from '../support/db.ts';
import { makeMaster } from '../support/fixtures.ts';

/**
 * The schema itself refuses bad rows, whoever writes them: these inserts go
 * straight to SQL, past every service rule.
 */
const t = useTestDatabase();
let masterId: number;

const BASE = {
  status: 'NEW',
  equipment_type: 'oven',
  description: 'Heats unevenly',
  client_name: 'Olga',
  client_address: 'Kazan, Baumana 3',
  client_phone: '+79035550101',
  master_id: null as number | null,
  total_amount: null as string | null,
  materials_cost: null as string | null,
  master_profit: null as string | null,
  company_profit: null as string | null,
  prepayment_amount: null as string | null,
  completed_at: null as string | null,
  closed_at: null as string | null,
  estimated_completion_date: null as string | null,
  refuse_reason: null as string | null,
};

const INSERT = `
INSERT INTO orders (status, equipment_type, description, client_name, client_address, client_phone, master_id,
  total_amount, materials_cost, master_profit, company_profit, prepayment_amount, completed_at, closed_at,
  estimated_completion_date, refuse_reason)
VALUES ($1::order_status, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16)`;

async function insertOrder(overrides: Partial<typeof BASE>): Promise<unknown> {
  const row = { ...BASE, ...overrides };
  // 0 stands for "the test's master", whose id exists only after setup.
  if (row.master_id === 0) row.master_id = masterId;
  try {
    await t.db.withClient((_db, raw) => raw.query(INSERT, Object.values(row)));
    return 'inserted';
  } catch (err) {
    return toDbError(err);
  }
}

const COMPLETED = {
  status: 'COMPLETED',
  total_amount: '9000.00',
  materials_cost: '1000.00',
  master_profit: '4000.00',
  company_profit: '4000.00',
  completed_at: '2026-01-01T10:00:00Z',
};

beforeAll(async () => {
  masterId = (await makeMaster(t.db)).masterId;
});

describe('CHECK constraints on orders', () => {
  it('accepts well-formed rows in each shape (the checks are not just rejecting everything)', async () => {
    expect(await insertOrder({})).toBe('inserted');
    expect(await insertOrder({ ...COMPLETED, master_id: masterId })).toBe('inserted');
    expect(await insertOrder({ ...COMPLETED, master_id: 0, status: 'CLOSED', closed_at: '2026-01-02T10:00:00Z' })).toBe('inserted');
    expect(await insertOrder({ status: 'REFUSED', refuse_reason: 'cancelled' })).toBe('inserted');
  });

  const cases: Array<[string, Partial<typeof BASE>, typeof CheckViolationError, string]> = [
    [
      'negative money',
      { ...COMPLETED, master_id: 0, total_amount: '100.00', materials_cost: '0.00', master_profit: '-10.00', company_profit: '110.00' },
      CheckViolationError,
      'orders_money_nonnegative',
    ],
    [
      'materials above total',
      { ...COMPLETED, master_id: 0, total_amount: '100.00', materials_cost: '200.00', master_profit: '0.00', company_profit: '0.00' },
      CheckViolationError,
      'orders_materials_within_total',
    ],
    [
      'shares not adding up to net',
      { ...COMPLETED, master_id: 0, master_profit: '4000.00', company_profit: '3999.99' },
      CheckViolationError,
      'orders_shares_add_up',
    ],
    ['money partly filled', { ...COMPLETED, master_id: 0, company_profit: null }, CheckViolationError, 'orders_money_all_or_none'],
    ['NEW with a master', { master_id: 0 }, CheckViolationError, 'orders_master_matches_status'],
    ['ASSIGNED without a master', { status: 'ASSIGNED' }, CheckViolationError, 'orders_master_matches_status'],
    ['COMPLETED without completion time', { ...COMPLETED, master_id: 0, completed_at: null }, CheckViolationError, 'orders_completion_matches_status'],
    ['IN_PROGRESS with money', { ...COMPLETED, master_id: 0, status: 'IN_PROGRESS', completed_at: null }, CheckViolationError, 'orders_money_matches_status'],
    ['CLOSED without closed_at', { ...COMPLETED, master_id: 0, status: 'CLOSED' }, CheckViolationError, 'orders_closed_matches_status'],
    ['closed_at on an open order', { closed_at: '2026-01-01T00:00:00Z' }, CheckViolationError, 'orders_closed_matches_status'],
    ['LONG_REPAIR without an ETA', { status: 'LONG_REPAIR', master_id: masterId }, CheckViolationError, 'orders_long_repair_has_eta'],
    ['REFUSED without a reason', { status: 'REFUSED' }, CheckViolationError, 'orders_refused_has_reason'],
    ['phone with letters', { client_phone: '+7 916 abc' }, CheckViolationError, 'orders_client_phone_format'],
    ['empty description', { description: '' }, CheckViolationError, 'orders_description_length'],
    ['unknown equipment type', { equipment_type: 'spaceship' }, ForeignKeyViolationError, 'orders_equipment_type_fkey'],
  ];
  for (const [what, overrides, cls, constraint] of cases) {
    it(`rejects ${what} (${constraint})`, async () => {
      const err = await insertOrder(overrides);
      expect(err).toBeInstanceOf(cls);
      expect((err as CheckViolationError).constraint).toBe(constraint);
    });
  }

  it('rejects a status that is not in the enum, as an invalid value', async () => {
    const err = await insertOrder({ status: 'ONSITE' });
    expect(err).toBeInstanceOf(InvalidValueError);
  });

  it('rejects a missing required value', async () => {
    const err = await insertOrder({ client_name: null as never });
    expect(err).toBeInstanceOf(NotNullViolationError);
    expect((err as NotNullViolationError).column).toBe('client_name');
  });
});

describe('other tables', () => {
  async function run(sql: string, values: unknown[]): Promise<unknown> {
    try {
      await t.db.withClient((_db, raw) => raw.query(sql, values));
      return 'ok';
    } catch (err) {
      return toDbError(err);
    }
  }

  it('users: unique Telegram id, positive, known language', async () => {
    expect(await run('INSERT INTO users (telegram_id, name) VALUES ($1, $2)', [555001, 'A'])).toBe('ok');
    expect(await run('INSERT INTO users (telegram_id, name) VALUES ($1, $2)', [555001, 'B'])).toMatchObject({ constraint: 'users_telegram_id_key' });
    expect(await run('INSERT INTO users (telegram_id, name) VALUES ($1, $2)', [-5, 'C'])).toMatchObject({ constraint: 'users_telegram_id_positive' });
    expect(await run("INSERT INTO users (telegram_id, name, language) VALUES ($1, $2, 'de')", [555002, 'D'])).toMatchObject({
      constraint: 'users_language_known',
    });
  });

  it('roles are an enum and unique per user', async () => {
    expect(await run("INSERT INTO user_roles (user_id, role) VALUES ((SELECT id FROM users WHERE telegram_id = $1), 'OWNER')", [555001])).toBeInstanceOf(
      InvalidValueError,
    );
    expect(await run("INSERT INTO user_roles (user_id, role) VALUES ((SELECT id FROM users WHERE telegram_id = $1), 'ADMIN')", [555001])).toBe('ok');
    expect(await run("INSERT INTO user_roles (user_id, role) VALUES ((SELECT id FROM users WHERE telegram_id = $1), 'ADMIN')", [555001])).toBeInstanceOf(
      UniqueViolationError,
    );
  });

  it('masters: approval flag and time agree; a master row needs its user', async () => {
    expect(
      await run(
        "INSERT INTO masters (user_id, phone, specialization, is_approved) VALUES ((SELECT id FROM users WHERE telegram_id = $1), '+79990000000', 'tv', true)",
        [555001],
      ),
    ).toMatchObject({ constraint: 'masters_approval_consistent' });
    expect(await run("INSERT INTO masters (user_id, phone, specialization) VALUES ($1, '+79990000000', 'tv')", [987654321])).toBeInstanceOf(
      ForeignKeyViolationError,
    );
  });

  it('a user with orders cannot be hard-deleted from under a master (ON DELETE RESTRICT)', async () => {
    const m = await makeMaster(t.db);
    expect(await run('DELETE FROM users WHERE id = $1', [m.userId])).toBeInstanceOf(ForeignKeyViolationError);
  });
});
