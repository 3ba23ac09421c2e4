import { beforeAll, describe, expect, it } from 'vitest';
import { renderReport, type ImportSummary } from '../../src/importer/report.ts';
import { useTestDatabase } from '../support/db.ts';
import { order, type LegacyData } from './legacy-fixture.ts';
import { importData, orderIdOf, rows } from './support.ts';

/** The old bot keeps running until the cutover: a first snapshot, changes on both sides, a later snapshot. */
const t = useTestDatabase();

const users = [
  { id: 1, telegram_id: 7001, first_name: 'Диспетчер', role: 'DISPATCHER', created_at: '2025-01-01 09:00:00' },
  { id: 2, telegram_id: 7002, first_name: 'Мастер', role: 'MASTER', created_at: '2025-01-01 09:00:00' },
];
const masters = [
  { id: 1, telegram_id: 7002, phone: '+79160000009', specialization: 'Электрика', is_active: 1, is_approved: 1, created_at: '2025-01-01 09:00:00' },
];
const first: LegacyData = {
  users,
  masters,
  orders: [order(1), order(2, { status: 'ASSIGNED', assigned_master_id: 1 }), order(3, { description: 'Старое описание' })],
  order_status_history: [{ id: 1, order_id: 2, old_status: 'NEW', new_status: 'ASSIGNED', changed_by: 7001, changed_at: '2025-01-10 10:00:00' }],
  audit_log: [],
};
const later: LegacyData = {
  users: [{ ...users[0]!, role: 'ADMIN,DISPATCHER' }, users[1]!],
  // The master changed phone and was deactivated in the old bot.
  masters: [{ ...masters[0]!, phone: '+79160000010', is_active: 0 }],
  orders: [
    // Assigned in the old bot since, with its history row.
    order(1, { status: 'ASSIGNED', assigned_master_id: 1, updated_at: '2025-01-11 09:00:00' }),
    // Moved on without a history row saying so.
    order(2, { status: 'ONSITE', assigned_master_id: 1, updated_at: '2025-01-11 10:00:00' }),
    // Changed in the old bot and, meanwhile, in the new system: a conflict.
    order(3, { description: 'Новое описание из старой системы' }),
    order(4, { client_name: 'Новый клиент' }),
  ],
  order_status_history: [
    { id: 1, order_id: 2, old_status: 'NEW', new_status: 'ASSIGNED', changed_by: 7001, changed_at: '2025-01-10 10:00:00' },
    { id: 2, order_id: 1, old_status: 'NEW', new_status: 'ASSIGNED', changed_by: 7001, changed_at: '2025-01-11 09:00:00' },
    { id: 3, order_id: 3, old_status: 'NEW', new_status: 'NEW', changed_by: 7001, changed_at: '2025-01-11 09:00:00', notes: 'правка' },
  ],
  audit_log: [],
};

let second: ImportSummary;
let orderIds: Record<number, number>;

async function historyOf(orderId: number) {
  return rows<{ old_status: string | null; new_status: string; note: string | null }>(
    t.db,
    'SELECT old_status, new_status, note FROM order_status_history WHERE order_id = $1 ORDER BY changed_at, id',
    [orderId],
  );
}

beforeAll(async () => {
  await importData(t.db, first, { source: 'msk' });
  orderIds = { 1: await orderIdOf(t.db, 1, 'msk'), 2: await orderIdOf(t.db, 2, 'msk'), 3: await orderIdOf(t.db, 3, 'msk') };
  // Someone edits order 3 in the new system (an edit bumps the version).
  await t.db.pool.query(`UPDATE orders SET notes = 'Правка в новой системе', version = version + 1 WHERE id = $1`, [orderIds[3]]);
  // And gives the dispatcher a role of the new system's own.
  await t.db.pool.query(`INSERT INTO user_roles (user_id, role) SELECT id, 'MASTER' FROM users WHERE telegram_id = 7001`);
  second = await importData(t.db, later, { source: 'msk' });
});

describe('import-sqlite: a later snapshot of the same source', () => {
  it('updates what changed since the last import, adds what is new, and lists the changes', () => {
    expect(second.first_import).toBe(false);
    expect(second.tables.orders).toMatchObject({ read: 4, imported: 1, already_imported: 0, updated: 2, conflicts: 1, skipped: 0 });
    expect(second.tables.orders.updated_fields).toMatchObject({
      status: { count: 2, legacy_ids: [1, 2] },
      assigned_master_id: { count: 1, legacy_ids: [1] },
    });
    expect(second.tables.users).toMatchObject({ read: 2, updated: 1, already_imported: 1 });
    expect(second.tables.users.updated_fields).toMatchObject({ role: { count: 1, legacy_ids: [1] } });
    expect(renderReport(second)).toContain('updated orders: 2 x status changed (legacy ids 1, 2)');
  });

  it('appends the new history so each order ends in its status', async () => {
    const [o1] = await rows<{ status: string; version: number }>(t.db, 'SELECT status, version FROM orders WHERE id = $1', [orderIds[1]]);
    expect(o1).toEqual({ status: 'ASSIGNED', version: 2 });
    expect((await historyOf(orderIds[1]!)).map((h) => h.new_status)).toEqual(['ASSIGNED']);
    const [o2] = await rows<{ status: string }>(t.db, 'SELECT status FROM orders WHERE id = $1', [orderIds[2]]);
    expect(o2!.status).toBe('IN_PROGRESS');
    expect(await historyOf(orderIds[2]!)).toEqual([
      { old_status: 'NEW', new_status: 'ASSIGNED', note: null },
      { old_status: 'ASSIGNED', new_status: 'IN_PROGRESS', note: 'Импорт из старой системы: статус по более позднему снимку' },
    ]);
    const audit = await rows<{ details: { changed: string[] } }>(
      t.db,
      `SELECT details FROM audit_log WHERE action = 'legacy_import.order_updated' AND entity_id = $1`,
      [orderIds[1]],
    );
    expect(audit.map((a) => a.details.changed)).toEqual([['assigned_master_id', 'status', 'updated_at']]);
  });

  it('leaves a row changed on both sides as the new system has it, and reports the conflict', async () => {
    const [o3] = await rows(t.db, 'SELECT description, notes FROM orders WHERE id = $1', [orderIds[3]]);
    expect(o3).toEqual({ description: 'Старое описание', notes: 'Правка в новой системе' });
    expect(second.tables.orders.conflict_ids).toEqual([3]);
    expect(second.tables.order_status_history.skipped_reasons['its order changed on both sides: kept as the new system has it']).toEqual({
      count: 1,
      legacy_ids: [3],
    });
    expect(renderReport(second)).toContain('conflict orders: 1 x changed in the legacy file and in the new system since the last import');
  });

  it("brings a master's changes over", async () => {
    expect(second.tables.masters).toMatchObject({ read: 1, updated: 1 });
    expect(Object.keys(second.tables.masters.updated_fields).sort()).toEqual(['is_active', 'phone']);
    const [m] = await rows(
      t.db,
      `SELECT m.phone, m.is_active FROM masters m JOIN legacy_masters l ON l.master_id = m.id WHERE l.source = 'msk' AND l.legacy_id = 1`,
    );
    expect(m).toEqual({ phone: '+79160000010', is_active: false });
  });

  it("brings the legacy side's role changes over and keeps roles given in the new system", async () => {
    const [u] = await rows<{ id: number }>(t.db, 'SELECT id FROM users WHERE telegram_id = 7001');
    const roles = await rows<{ role: string }>(t.db, 'SELECT role::text FROM user_roles WHERE user_id = $1 ORDER BY role', [u!.id]);
    expect(roles.map((r) => r.role)).toEqual(['ADMIN', 'DISPATCHER', 'MASTER']);
  });
});
