import { beforeAll, describe, expect, it } from 'vitest';
import type { ImportSummary } from '../../src/importer/report.ts';
import { useTestDatabase } from '../support/db.ts';
import { writeLegacyFile } from './legacy-fixture.ts';
import { QUIRKS } from './quirks-data.ts';
import { importData, orderIdOf, rows, snapshot } from './support.ts';

/** Status history and audit rows from the quirks file, then the same file again. */
const t = useTestDatabase();
let file: string;
let first: ImportSummary;

beforeAll(async () => {
  file = writeLegacyFile(QUIRKS);
  first = await importData(t.db, file);
});

interface HistoryRow {
  legacy_id: number | null;
  old_status: string | null;
  new_status: string;
  actor_tg: number | null;
  changed_at: string;
  note: string | null;
}

async function historyOf(legacyOrderId: number): Promise<HistoryRow[]> {
  return rows<HistoryRow>(
    t.db,
    `SELECT l.legacy_id, h.old_status, h.new_status, u.telegram_id AS actor_tg, h.changed_at, h.note
     FROM order_status_history h LEFT JOIN legacy_order_status_history l ON l.history_id = h.id LEFT JOIN users u ON u.id = h.actor_id
     WHERE h.order_id = $1 ORDER BY h.changed_at, h.id`,
    [await orderIdOf(t.db, legacyOrderId)],
  );
}

describe('import-sqlite: status history and audit log', () => {
  it('imports the history with statuses mapped, actors by Telegram id and times converted', async () => {
    expect(await historyOf(11)).toEqual([
      { legacy_id: 100, old_status: null, new_status: 'NEW', actor_tg: 1002, changed_at: '2024-03-02T07:00:00.000000Z', note: null },
      { legacy_id: 101, old_status: 'NEW', new_status: 'ASSIGNED', actor_tg: 1002, changed_at: '2024-03-02T07:05:00.000001Z', note: null },
      { legacy_id: 102, old_status: 'ASSIGNED', new_status: 'ACCEPTED', actor_tg: 1003, changed_at: '2024-03-02T08:00:00.000000Z', note: null },
      { legacy_id: 103, old_status: 'ACCEPTED', new_status: 'IN_PROGRESS', actor_tg: 1003, changed_at: '2024-03-05T12:00:00.000000Z', note: null },
      { legacy_id: 104, old_status: 'IN_PROGRESS', new_status: 'CLOSED', actor_tg: 1003, changed_at: '2024-03-05T15:00:00.000000Z', note: 'Оплачено ✅' },
    ]);
  });

  it('keeps rows whose actor is gone without the actor, dates unreadable times at the order creation, skips the rest', async () => {
    expect(await historyOf(13)).toEqual([
      { legacy_id: 106, old_status: 'ACCEPTED', new_status: 'IN_PROGRESS', actor_tg: null, changed_at: '2024-03-06T08:00:00.000000Z', note: null },
    ]);
    expect(await historyOf(14)).toEqual([
      { legacy_id: 108, old_status: 'IN_PROGRESS', new_status: 'LONG_REPAIR', actor_tg: 1003, changed_at: '2024-01-10T09:00:00.000000Z', note: null },
    ]);
    expect(first.tables.order_status_history).toMatchObject({ read: 10, imported: 8, skipped: 2, adjusted: 2 });
    expect(first.tables.order_status_history.skipped_reasons).toEqual({
      'its order no longer exists (deleted in the legacy data)': { count: 1, legacy_ids: [105] },
      'new_status missing or unknown': { count: 1, legacy_ids: [107] },
    });
  });

  it('writes a history row for every order the import moved to another status', async () => {
    const moved = await historyOf(17);
    expect(moved).toEqual([
      expect.objectContaining({
        legacy_id: null,
        old_status: 'ASSIGNED',
        new_status: 'NEW',
        actor_tg: null,
        note: 'Импорт из старой системы: master: deleted in the legacy data, order back to NEW',
      }),
    ]);
    expect((await historyOf(24))[0]).toMatchObject({ old_status: null, new_status: 'REFUSED' });
    expect((await historyOf(15))[0]).toMatchObject({ old_status: 'LONG_REPAIR', new_status: 'IN_PROGRESS' });
    expect(first.created.status_history_for_adjustments).toBe(3);
  });

  it('imports audit rows: actions as codes, details as JSON when they are, orders linked, originals kept', async () => {
    const audit = await rows(
      t.db,
      `SELECT l.legacy_id, a.action, a.entity_type, a.entity_id, a.details, a.created_at, u.telegram_id AS actor_tg
       FROM audit_log a JOIN legacy_audit_log l ON l.audit_id = a.id LEFT JOIN users u ON u.id = a.actor_id ORDER BY l.legacy_id`,
    );
    expect(audit.slice(0, 3)).toEqual([
      {
        legacy_id: 200,
        action: 'legacy.create_order',
        entity_type: 'order',
        entity_id: await orderIdOf(t.db, 10),
        actor_tg: 1001,
        created_at: '2024-03-01T09:00:01.000000Z',
        details: { legacy_id: 200, legacy_action: 'create_order', legacy_user_id: 1001, legacy_details: { order_id: 10, note: 'ok  done' } },
      },
      {
        legacy_id: 201,
        action: 'legacy.order_closed',
        entity_type: 'legacy',
        entity_id: null,
        actor_tg: null,
        created_at: '2024-03-05T15:00:01.000001Z',
        details: { legacy_id: 201, legacy_action: 'Order Closed', legacy_user_id: 555, legacy_details: 'plain text ✅' },
      },
      {
        legacy_id: 202,
        action: 'legacy.other',
        entity_type: 'legacy',
        entity_id: null,
        actor_tg: null,
        created_at: '2024-03-05T15:00:02.000000Z',
        details: { legacy_id: 202, legacy_action: 'Вход', legacy_user_id: null, legacy_details: { order_id: 16 } },
      },
    ]);
    expect(audit[3]).toMatchObject({ legacy_id: 203, action: 'legacy.export', actor_tg: 1002, details: { legacy_details: 'not json {' } });
    expect(first.tables.audit_log).toMatchObject({ read: 4, imported: 4, skipped: 0, adjusted: 3 });
  });

  it('records the run itself once in the audit log', async () => {
    const runs = await rows<{ details: { tables: { orders: { imported: number } } } }>(
      t.db,
      `SELECT details FROM audit_log WHERE action = 'legacy_import.run'`,
    );
    expect(runs.map((r) => r.details.tables.orders.imported)).toEqual([18]);
  });

  it('a second import of the same file changes nothing', async () => {
    // Setup
    const before = await snapshot(t.db);
    // Action
    const second = await importData(t.db, file);
    // Assertions
    expect(await snapshot(t.db)).toEqual(before);
    for (const [table, counts] of Object.entries(second.tables)) {
      expect(counts.imported, table).toBe(0);
      expect(counts.already_imported, table).toBe(first.tables[table as keyof typeof first.tables].imported);
    }
    expect(second.created).toEqual({ equipment_types: [], placeholder_masters: 0, users_for_masters: 0, status_history_for_adjustments: 0 });
  });
});
