import { beforeAll, describe, expect, it } from 'vitest';
import type { ImportSummary } from '../../src/importer/report.ts';
import { useTestDatabase } from '../support/db.ts';
import { order } from './legacy-fixture.ts';
import { importData, orderIdOf, rows } from './support.ts';

/** A file of the middle version: soft deletes everywhere (the trail tables too), versions, master_lead_name, no refuse_reason. */
const t = useTestDatabase();
let summary: ImportSummary;

beforeAll(async () => {
  summary = await importData(
    t.db,
    {
      users: [
        { id: 1, telegram_id: 5001, first_name: 'Диспетчер', role: 'DISPATCHER', created_at: '2025-02-01 09:00:00', version: 4 },
        { id: 2, telegram_id: 5002, first_name: 'Удалённый', role: 'ADMIN,DISPATCHER', created_at: '2025-02-01 09:00:00', deleted_at: '2025-03-01 09:00:00' },
      ],
      orders: [
        order(1, { status: 'NEW', dispatcher_id: 5001, master_lead_name: 'Пётр', version: 2 }),
        order(2, { status: 'NEW', deleted_at: '2025-03-02 10:00:00' }),
      ],
      order_status_history: [
        { id: 1, order_id: 1, old_status: null, new_status: 'NEW', changed_by: 5001, changed_at: '2025-02-02 09:00:00' },
        // Assigned, then the assignment deleted: the order is NEW again.
        {
          id: 2,
          order_id: 1,
          old_status: 'NEW',
          new_status: 'ASSIGNED',
          changed_by: 5001,
          changed_at: '2025-02-02 10:00:00',
          deleted_at: '2025-02-03 09:00:00',
        },
      ],
      audit_log: [
        { id: 1, user_id: 5001, action: 'Created order #1', details: 'Created order #1', timestamp: '2025-02-02 09:00:00', deleted_at: '2025-02-03 09:00:00' },
      ],
    },
    { schema: 'mid', source: 'spb' },
  );
});

describe('import-sqlite: the middle legacy schema', () => {
  it('imports deleted users and orders as deleted, counted in the report; a deleted admin gets no role', async () => {
    expect(summary.tables.users).toMatchObject({ read: 2, imported: 2, deleted: 1 });
    expect(summary.tables.orders).toMatchObject({ read: 2, imported: 2, deleted: 1 });
    const [admin] = await rows<{ deleted_at: string | null; roles: number }>(
      t.db,
      `SELECT u.deleted_at, (SELECT count(*)::int FROM user_roles r WHERE r.user_id = u.id) AS roles FROM users u WHERE u.telegram_id = 5002`,
    );
    expect(admin).toEqual({ deleted_at: '2025-03-01T09:00:00.000000Z', roles: 0 });
    const [deleted] = await rows<{ deleted_at: string | null }>(t.db, 'SELECT deleted_at FROM orders WHERE id = $1', [await orderIdOf(t.db, 2, 'spb')]);
    expect(deleted!.deleted_at).toBe('2025-03-02T10:00:00.000000Z');
  });

  it('leaves a deleted history row out, with the reason, so the order ends in its own status', async () => {
    expect(summary.tables.order_status_history).toMatchObject({ read: 2, imported: 1, skipped: 1 });
    expect(summary.tables.order_status_history.skipped_reasons['deleted in the legacy data']).toEqual({ count: 1, legacy_ids: [2] });
    const history = await rows<{ new_status: string }>(t.db, 'SELECT new_status FROM order_status_history WHERE order_id = $1 ORDER BY changed_at', [
      await orderIdOf(t.db, 1, 'spb'),
    ]);
    expect(history.map((h) => h.new_status)).toEqual(['NEW']);
  });

  it('keeps a deleted audit row detached, and says which columns the file lacks', () => {
    expect(summary.tables.audit_log).toMatchObject({ read: 1, imported: 1, deleted: 1 });
    expect(summary.notes).toContain('orders: the file has no refuse_reason (an earlier version of the bot): defaults used');
  });
});
