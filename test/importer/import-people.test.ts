import { beforeAll, describe, expect, it } from 'vitest';
import type { ImportSummary } from '../../src/importer/report.ts';
import { replaceUserRoles, upsertUser } from '../../src/users/users.sql.ts';
import { useTestDatabase } from '../support/db.ts';
import { QUIRKS } from './quirks-data.ts';
import { importData, rows } from './support.ts';

/** Users, roles and masters from the quirks file, into a database that already knows one of the users. */
const t = useTestDatabase();
let summary: ImportSummary;

interface UserRow {
  telegram_id: number | null;
  name: string;
  username: string | null;
  created_at: string;
  deleted_at: string | null;
  roles: string[];
  legacy_id: number | null;
}
const users = new Map<number, UserRow>();

beforeAll(async () => {
  const existing = await upsertUser(t.db, { telegramId: 1007, name: 'Existing', username: null, language: 'ru' }, true);
  await replaceUserRoles(t.db, existing.id, ['DISPATCHER'], null);
  summary = await importData(t.db, QUIRKS);
  const found = await rows<UserRow>(
    t.db,
    `SELECT u.telegram_id, u.name, u.username, u.created_at, u.deleted_at, l.legacy_id,
            ARRAY(SELECT r.role::text FROM user_roles r WHERE r.user_id = u.id ORDER BY r.role) AS roles
     FROM users u LEFT JOIN legacy_users l ON l.user_id = u.id WHERE u.telegram_id IS NOT NULL`,
  );
  for (const u of found) users.set(u.telegram_id!, u);
});

describe('import-sqlite: users and masters', () => {
  it('imports users with their comma-separated roles and both timestamp shapes', () => {
    expect(users.get(1001)).toMatchObject({
      legacy_id: 1,
      name: 'Анна Диспетчерова',
      username: 'disp_anna',
      roles: ['DISPATCHER'],
      created_at: '2023-01-10T09:00:00.000000Z',
    });
    expect(users.get(1002)).toMatchObject({ legacy_id: 2, name: 'Админ', roles: ['ADMIN', 'DISPATCHER'], created_at: '2023-01-10T09:00:00.123456Z' });
    expect(users.get(1003)).toMatchObject({ legacy_id: 5, name: 'Иван 🔧 Мастеров', roles: ['MASTER'], created_at: '2023-02-01T07:30:00.500000Z' });
  });

  it('cleans names: control characters out, quotes kept, username when there is no name; UNKNOWN and unknown roles give none', () => {
    expect(users.get(1004)).toMatchObject({ name: 'Belly "O\'Brien"', roles: [] });
    expect(users.get(1006)).toMatchObject({ name: 'ghost', username: 'ghost', roles: ['MASTER'] });
    expect(summary.tables.users.adjusted_reasons['role: unknown role ignored']).toEqual({ count: 1, legacy_ids: [8] });
  });

  it('skips a user whose Telegram id cannot be one, and counts it', () => {
    expect([...users.keys()].filter((id) => id <= 0)).toEqual([]);
    expect(summary.tables.users).toMatchObject({ read: 7, imported: 6, skipped: 1, adjusted: 3 });
    expect(summary.tables.users.skipped_reasons).toEqual({ 'telegram_id is not a positive integer': { count: 1, legacy_ids: [7] } });
  });

  it('links a legacy user to the user the database already has: name kept, roles added', () => {
    expect(users.get(1007)).toMatchObject({ legacy_id: 9, name: 'Existing', roles: ['ADMIN', 'DISPATCHER'] });
  });

  it('imports masters with normalized phones and a user for the master who had none', async () => {
    const masters = await rows(
      t.db,
      `SELECT l.legacy_id, l.placeholder, m.phone, m.specialization, m.work_chat_id, m.is_active, m.is_approved, m.approved_at,
              m.created_at, m.deleted_at, u.telegram_id, u.name
       FROM masters m JOIN legacy_masters l ON l.master_id = m.id JOIN users u ON u.id = m.user_id ORDER BY l.legacy_id`,
    );
    expect(masters).toEqual([
      // Closed order 20 names no master: the source's placeholder "not given" keeps its money attributed.
      expect.objectContaining({ legacy_id: 0, placeholder: true, telegram_id: null, name: 'Мастер не указан (старая система, bot)' }),
      {
        legacy_id: 1,
        placeholder: false,
        phone: '+79161234567',
        specialization: 'Стиральные машины',
        work_chat_id: -1001234567890,
        is_active: true,
        is_approved: true,
        approved_at: '2023-02-01T08:00:00.000000Z',
        created_at: '2023-02-01T08:00:00.000000Z',
        deleted_at: null,
        telegram_id: 1003,
        name: 'Иван 🔧 Мастеров',
      },
      // The deleted master closed order 18 points at: a soft-deleted placeholder.
      expect.objectContaining({
        legacy_id: 2,
        placeholder: true,
        is_active: false,
        is_approved: false,
        telegram_id: null,
        name: 'Мастер №2 (удалён в старой системе, bot)',
      }),
      {
        legacy_id: 3,
        placeholder: false,
        phone: '89160001122',
        specialization: 'не указана',
        work_chat_id: null,
        is_active: false,
        is_approved: false,
        approved_at: null,
        created_at: '2023-03-01T09:00:00.000000Z',
        deleted_at: null,
        telegram_id: 1006,
        name: 'ghost',
      },
      expect.objectContaining({ legacy_id: 4, phone: '00000', is_active: true, is_approved: false, telegram_id: 2000, name: 'Мастер 2000' }),
    ]);
    expect(masters[2]!.deleted_at).not.toBeNull();
    expect(users.get(2000)).toMatchObject({ legacy_id: null, roles: ['MASTER'] });
    expect(summary.created).toMatchObject({ placeholder_masters: 1, users_for_masters: 1 });
    expect(summary.tables.masters).toMatchObject({ read: 3, imported: 3, skipped: 0, adjusted: 2 });
  });

  it('lists the tables it does not import', () => {
    expect(summary.not_imported.map((t) => [t.table, t.kind])).toEqual([
      ['alembic_version', 'bookkeeping'],
      ['financial_reports', 'derived'],
      ['master_financial_reports', 'derived'],
      ['order_reports', 'derived'],
      ['sqlite_sequence', 'bookkeeping'],
    ]);
  });
});
