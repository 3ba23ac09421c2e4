import { beforeAll, describe, expect, it } from 'vitest';
import { USER_ROLES } from '../../src/db/enums.ts';
import { IMPORTED_TABLES, renderReport, type ImportSummary } from '../../src/importer/report.ts';
import { useTestDatabase } from '../support/db.ts';
import { order } from './legacy-fixture.ts';
import { LATEST } from './latest-data.ts';
import { importData, orderIdOf, rows } from './support.ts';

/** A file of the latest legacy bot (v2.10), and one of the earliest, each imported once. */
const t = useTestDatabase();
let summary: ImportSummary;

interface Imported {
  legacy_id: number;
  status: string;
  equipment_type: string;
  estimated_completion_date: string | null;
  refuse_reason: string | null;
  total_amount: string | null;
  master_profit: string | null;
  deleted_at: string | null;
  scheduled_at: string | null;
  legacy_row: Record<string, unknown>;
  refusal_amount: string | null;
  refusal_fee: string | null;
  refusal_master_share: string | null;
  refusal_company_share: string | null;
  fee_settled: boolean;
  refused: boolean;
  master_legacy_id: number | null;
}
const orders = new Map<number, Imported>();

beforeAll(async () => {
  summary = await importData(t.db, LATEST, { schema: 'latest', source: 'msk' });
  const found = await rows<Imported>(
    t.db,
    `SELECT l.legacy_id, o.status, o.equipment_type, o.estimated_completion_date, o.refuse_reason, o.total_amount, o.master_profit,
            o.deleted_at, o.scheduled_at, l.legacy_row, l.refusal_amount, lm.legacy_id AS master_legacy_id,
            o.refusal_fee, o.refusal_master_share, o.refusal_company_share,
            o.fee_handed_over_at = o.refused_at AS fee_settled, o.refused_at IS NOT NULL AS refused
     FROM legacy_orders l JOIN orders o ON o.id = l.order_id LEFT JOIN legacy_masters lm ON lm.master_id = o.master_id AND lm.source = l.source
     WHERE l.source = 'msk'`,
  );
  for (const o of found) orders.set(o.legacy_id, o);
});

async function userByTelegram(telegramId: number) {
  const [u] = await rows<{ deleted_at: string | null; roles: string[]; legacy_row: Record<string, unknown>; legacy_roles: string[] }>(
    t.db,
    `SELECT u.deleted_at, ARRAY(SELECT r.role::text FROM user_roles r WHERE r.user_id = u.id ORDER BY r.role) AS roles, l.legacy_row, l.legacy_roles
     FROM users u JOIN legacy_users l ON l.user_id = u.id WHERE u.telegram_id = $1`,
    [telegramId],
  );
  return u!;
}

describe('import-sqlite: the latest legacy schema', () => {
  it('imports soft-deleted users, masters and orders as deleted; a deleted admin gets no role', async () => {
    expect(await userByTelegram(3002)).toMatchObject({ deleted_at: '2025-06-01T10:00:00.000000Z', roles: [] });
    expect(await userByTelegram(3005)).toMatchObject({ deleted_at: '2025-07-01T09:00:00.000000Z', roles: [] });
    const [master] = await rows<{ deleted_at: string | null }>(
      t.db,
      `SELECT m.deleted_at FROM masters m JOIN legacy_masters l ON l.master_id = m.id WHERE l.source = 'msk' AND l.legacy_id = 3`,
    );
    expect(master!.deleted_at).toBe('2025-07-01T09:00:00.000000Z');
    expect(orders.get(6)!.deleted_at).toBe('2025-08-02T10:00:00.000000Z');
    expect(summary.tables.users.deleted).toBe(2);
    expect(summary.tables.masters.deleted).toBe(1);
    expect(summary.tables.orders.deleted).toBe(1);
    expect(summary.tables.audit_log.deleted).toBe(1);
  });

  it('keeps a deleted audit row for audit, detached from its order', async () => {
    const [row] = await rows<{ entity_type: string; entity_id: number | null; details: Record<string, unknown> }>(
      t.db,
      `SELECT a.entity_type, a.entity_id, a.details FROM audit_log a JOIN legacy_audit_log l ON l.audit_id = a.id WHERE l.source = 'msk' AND l.legacy_id = 2`,
    );
    expect(row).toMatchObject({ entity_type: 'legacy_deleted', entity_id: null, details: { legacy_deleted_at: '2025-08-05T10:00:00+00:00' } });
  });

  it('imports SENIOR_MASTER as a senior master (a master holding the senior role), lowercase roles by name, and says what it could not import', async () => {
    // Once the money issue adds the role, a senior master keeps it; until then MASTER, with a line in the report.
    const hasRole = (USER_ROLES as readonly string[]).includes('SENIOR_MASTER');
    expect(await userByTelegram(3003)).toMatchObject({ roles: hasRole ? ['MASTER', 'SENIOR_MASTER'] : ['MASTER'], legacy_roles: ['SENIOR_MASTER'] });
    expect(await userByTelegram(3004)).toMatchObject({ roles: ['MASTER'] });
    const reason =
      summary.tables.users.adjusted_reasons[
        'role: SENIOR_MASTER imported as MASTER (the senior master role and its minimum share arrive with the money issue)'
      ];
    expect(reason).toEqual(hasRole ? undefined : { count: 1, legacy_ids: [3] });
    // The file's rates are what the seeded rules already pay (import-rates.test.ts covers new ones).
    expect(summary.commission_rules.map((r) => [r.specialization, r.equipment_types, r.result])).toEqual([
      ['электрик', ['electrical'], 'already'],
      ['сантехник', ['plumbing'], 'already'],
    ]);
  });

  it('keeps every column: refuse_reason as written, master_lead_name and version in the legacy row', () => {
    expect(orders.get(4)!.refuse_reason).toBe('Клиент отказался от ремонта');
    expect(orders.get(1)!.legacy_row).toMatchObject({ master_lead_name: 'Иван (лид)', version: 3, equipment_type: 'ДШ/ВП' });
  });

  it("reads the bot's own date formats: a long repair with a readable date stays LONG_REPAIR", () => {
    expect(orders.get(2)).toMatchObject({ status: 'LONG_REPAIR', estimated_completion_date: '2025-08-25' });
    expect(orders.get(3)).toMatchObject({ status: 'LONG_REPAIR', estimated_completion_date: '2025-08-26' });
    expect(orders.get(8)!.scheduled_at).toBe('2025-08-27T11:00:00.000000Z');
  });

  it('maps the latest equipment labels to active catalog types', async () => {
    expect([1, 2, 3].map((id) => orders.get(id)!.equipment_type)).toEqual(['oven', 'dryer', 'refrigerator']);
    const active = await rows<{ code: string }>(
      t.db,
      `SELECT code FROM equipment_types WHERE is_active AND code IN ('oven', 'dryer', 'refrigerator') ORDER BY code`,
    );
    expect(active.map((r) => r.code)).toEqual(['dryer', 'oven', 'refrigerator']);
    // The catalog has carried dryers and refrigerators since the money migration: nothing to create.
    expect([...summary.created.equipment_types].sort()).toEqual([]);
  });

  it('keeps the money of a refusal with a fee and of a closed order without a master', () => {
    expect(orders.get(4)).toMatchObject({ status: 'REFUSED', refusal_amount: '500.00', refusal_fee: '500.00', total_amount: null, refused: true });
    // Split as the legacy bot split it, and handed over when taken (the old bot kept no hand-over of refusals).
    const fee = orders.get(4)!;
    expect(Number(fee.refusal_master_share) + Number(fee.refusal_company_share)).toBe(500);
    expect(fee.fee_settled).toBe(true);
    expect(orders.get(5)).toMatchObject({ status: 'CLOSED', total_amount: '3000.00', master_profit: '1000.00', master_legacy_id: 0 });
    expect(summary.tables.orders.adjusted_reasons['master: none on a closed order, kept closed under the placeholder master "not given"']!.legacy_ids).toEqual([
      5,
    ]);
    expect(
      summary.tables.orders.adjusted_reasons['refusal with a fee: imported as the refusal fee, split as the legacy bot split it, handed over at the refusal']!
        .legacy_ids,
    ).toEqual([4]);
  });

  it('lists every table it does not import with why, and never calls configuration derived', () => {
    const kinds = Object.fromEntries(summary.not_imported.map((n) => [n.table, n.kind]));
    expect(kinds).toMatchObject({
      parser_config: 'configuration',
      parser_analytics: 'derived',
      entity_history: 'history',
      order_group_messages: 'bookkeeping',
      _alembic_tmp_audit_log: 'bookkeeping',
      financial_reports: 'derived',
    });
    // Imported as commission rules, listed row by row in their own section instead.
    expect(kinds).not.toHaveProperty('specialization_rates');
    expect(renderReport(summary)).toMatch(/specialization_rates -> commission rules:\n {2}#1 электрик 50\/50 -> electrical: already/);
  });

  it('reconciles: every row read is imported, already there, updated, a conflict or skipped with a reason', () => {
    for (const table of IMPORTED_TABLES) {
      const r = summary.tables[table];
      expect(r.imported + r.already_imported + r.updated + r.conflicts + r.skipped, table).toBe(r.read);
      expect(
        Object.values(r.skipped_reasons).reduce((n, x) => n + x.count, 0),
        table,
      ).toBe(r.skipped);
    }
    expect(summary.tables.orders).toMatchObject({ read: 8, imported: 8, skipped: 0 });
    expect(summary.tables.users).toMatchObject({ read: 5, imported: 5, skipped: 0 });
  });

  it('imports a file of the earliest version: the missing columns are defaults, and the report says so', async () => {
    const early = await importData(
      t.db,
      {
        users: [{ id: 1, telegram_id: 4001, first_name: 'Ранний', role: null }],
        orders: [order(1, { status: 'CLOSED', assigned_master_id: null, total_amount: 900 }), order(2, { equipment_type: 'Пылесосы' })],
      },
      { schema: 'early', source: 'early' },
    );
    expect(early.tables.orders).toMatchObject({ read: 2, imported: 2 });
    // A label no catalog type knows: a type of its own, inactive (never offered for new orders).
    const [unknown] = await rows(t.db, 'SELECT e.name_ru, e.is_active FROM orders o JOIN equipment_types e ON e.code = o.equipment_type WHERE o.id = $1', [
      await orderIdOf(t.db, 2, 'early'),
    ]);
    expect(unknown).toEqual({ name_ru: 'Пылесосы', is_active: false });
    expect(early.notes).toContain(
      'orders: the file has no out_of_city, estimated_completion_date, prepayment_amount, rescheduled_count, last_rescheduled_at, reschedule_reason, refuse_reason, master_lead_name, deleted_at, version (an earlier version of the bot): defaults used',
    );
    const [o] = await rows(t.db, 'SELECT status, reschedule_count, out_of_city, total_amount FROM orders WHERE id = $1', [await orderIdOf(t.db, 1, 'early')]);
    expect(o).toEqual({ status: 'CLOSED', reschedule_count: 0, out_of_city: false, total_amount: '900.00' });
  });
});
