import { beforeAll, describe, expect, it } from 'vitest';
import type { ImportSummary } from '../../src/importer/report.ts';
import { useTestDatabase } from '../support/db.ts';
import { QUIRKS } from './quirks-data.ts';
import { importData, rows } from './support.ts';

/** The legacy quirks file imported once: every order as the schema holds it afterwards. */
const t = useTestDatabase();
let summary: ImportSummary;
let started: number;
let finished: number;

interface OrderRow {
  legacy_id: number;
  status: string;
  equipment_type: string;
  legacy_master_id: number | null;
  placeholder: boolean | null;
  dispatcher_tg: number | null;
  total_amount: string | null;
  materials_cost: string | null;
  master_profit: string | null;
  company_profit: string | null;
  prepayment_amount: string | null;
  [column: string]: unknown;
}
const orders = new Map<number, OrderRow>();

beforeAll(async () => {
  started = Date.now();
  summary = await importData(t.db, QUIRKS);
  finished = Date.now();
  const found = await rows<OrderRow>(
    t.db,
    `SELECT lo.legacy_id, o.*, lm.legacy_id AS legacy_master_id, lm.placeholder, d.telegram_id AS dispatcher_tg
     FROM orders o JOIN legacy_orders lo ON lo.order_id = o.id
     LEFT JOIN legacy_masters lm ON lm.master_id = o.master_id LEFT JOIN users d ON d.id = o.dispatcher_id`,
  );
  for (const o of found) orders.set(o.legacy_id, o);
});

const money = (o: OrderRow | undefined) => o && [o.total_amount, o.materials_cost, o.master_profit, o.company_profit];

describe('import-sqlite: orders', () => {
  it('imports every legacy order once, gaps in ids and all', () => {
    expect([...orders.keys()].sort((a, b) => a - b)).toEqual([10, 11, 12, 13, 14, 15, 17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28]);
    expect(summary.tables.orders).toMatchObject({ read: 18, imported: 18, already_imported: 0, skipped: 0, adjusted: 13 });
  });

  it('maps the legacy statuses: ONSITE -> IN_PROGRESS, DR -> LONG_REPAIR, the rest by name, any case', () => {
    expect(orders.get(10)!.status).toBe('NEW');
    expect(orders.get(11)!.status).toBe('CLOSED');
    expect(orders.get(13)!.status).toBe('IN_PROGRESS');
    expect(orders.get(14)).toMatchObject({ status: 'LONG_REPAIR', estimated_completion_date: '2024-04-20', prepayment_amount: '500.00' });
    expect(orders.get(23)).toMatchObject({ status: 'ACCEPTED', legacy_master_id: 3 });
    expect(orders.get(26)!.status).toBe('CLOSED');
  });

  it('turns float money into exact kopecks and repairs shares that miss by a kopeck', () => {
    expect(money(orders.get(11))).toEqual(['1234.56', '234.56', '400.00', '600.00']);
    // 1000.00 - 0.10 = 999.90, but 399.96 + 599.95 = 999.91: the company share gives the kopeck back.
    expect(money(orders.get(12))).toEqual(['1000.00', '0.10', '399.96', '599.94']);
    // 100.005 as typed rounds half up to 100.01; 40 + 60 misses it by a kopeck.
    expect(money(orders.get(26))).toEqual(['100.01', '0.00', '40.00', '60.01']);
    // No shares at all: split by the commission rules (net 4000 < 7000: 40%).
    expect(money(orders.get(18))).toEqual(['5000.00', '1000.00', '1600.00', '2400.00']);
    expect(summary.tables.orders.adjusted_reasons['shares off by a kopeck: company share corrected']).toEqual({ count: 2, legacy_ids: [12, 26] });
  });

  it('moves orders that cannot keep their legacy state to the closest valid one, and says why', () => {
    // A closed order without amounts stays closed at 0.00.
    expect(orders.get(19)).toMatchObject({ status: 'CLOSED', legacy_master_id: 1, total_amount: '0.00', company_profit: '0.00' });
    // Closed without any master: still closed, its money kept, under the source's "master not given" placeholder.
    expect(orders.get(20)).toMatchObject({ status: 'CLOSED', legacy_master_id: 0, placeholder: true, total_amount: '700.00', refuse_reason: null });
    expect(summary.tables.orders.adjusted_reasons['master: none on a closed order, kept closed under the placeholder master "not given"']).toEqual({
      count: 1,
      legacy_ids: [20],
    });
    // Closed by a master the legacy file deleted: a soft-deleted placeholder keeps the revenue attributed.
    expect(orders.get(18)).toMatchObject({ status: 'CLOSED', legacy_master_id: 2, placeholder: true });
    // Assigned to the deleted master: back to NEW, to be assigned again.
    expect(orders.get(17)).toMatchObject({ status: 'NEW', legacy_master_id: null });
    // Long repair without a readable ETA: still in work.
    expect(orders.get(15)).toMatchObject({ status: 'IN_PROGRESS', legacy_master_id: 1, estimated_completion_date: null });
    // NEW cannot have a master, nor amounts.
    expect(orders.get(25)).toMatchObject({ status: 'NEW', legacy_master_id: null });
    expect(money(orders.get(27))).toEqual([null, null, null, null]);
    // Unknown status: refused with the value as the reason, for a dispatcher to review and reopen.
    expect(orders.get(24)).toMatchObject({ status: 'REFUSED', refuse_reason: 'Неизвестный статус в старой системе: weird' });
    expect(orders.get(21)!.refuse_reason).toBe('Клиент передумал');
    expect(orders.get(22)!.refuse_reason).toBe('Причина не указана (старая система)');
    // Moved orders entered their status at the import.
    for (const id of [15, 17, 24]) {
      const at = Date.parse(orders.get(id)!.status_changed_at as string);
      expect(at).toBeGreaterThanOrEqual(started);
      expect(at).toBeLessThanOrEqual(finished);
    }
  });

  it('converts each timestamp shape: CURRENT_TIMESTAMP is UTC, application values are Moscow time', () => {
    expect(orders.get(10)).toMatchObject({
      created_at: '2024-03-01T09:00:00.000000Z',
      updated_at: '2024-03-01T09:00:00.654321Z',
      status_changed_at: '2024-03-01T09:00:00.000000Z',
    });
    expect(orders.get(11)).toMatchObject({
      created_at: '2024-03-02T07:00:00.000000Z',
      updated_at: '2024-03-05T15:00:00.000000Z',
      // From the history row that closed it ('2024-03-05T18:00:00+03:00').
      closed_at: '2024-03-05T15:00:00.000000Z',
      completed_at: '2024-03-05T15:00:00.000000Z',
      status_changed_at: '2024-03-05T15:00:00.000000Z',
    });
    expect(orders.get(26)).toMatchObject({ created_at: '2024-03-20T06:15:00.999999Z', closed_at: '2024-03-20T06:15:00.999999Z' });
    expect(orders.get(13)!.status_changed_at).toBe('2024-03-06T08:00:00.000000Z');
    expect(orders.get(28)!.last_rescheduled_at).toBe('2024-03-21T07:00:00.000000Z');
  });

  it('parses unambiguous scheduled times into scheduled_at and keeps the rest as a note', () => {
    expect(orders.get(10)).toMatchObject({ scheduled_at: '2024-03-15T11:30:00.000000Z', scheduled_note: null });
    expect(orders.get(28)).toMatchObject({ scheduled_at: '2024-03-25T07:00:00.000000Z', scheduled_note: null });
    expect(orders.get(13)).toMatchObject({ scheduled_at: null, scheduled_note: 'завтра 14:00' });
  });

  it('keeps Unicode, emoji and quotes, strips control characters, fills empty required text', () => {
    expect(orders.get(10)).toMatchObject({ description: 'Не сливает воду 💧 "срочно" — «ёлка»', client_name: "Пётр O'Neil" });
    expect(orders.get(24)).toMatchObject({ description: 'Текст\nвторая строка', client_name: 'Не указано', notes: 'tab\there' });
  });

  it('normalizes phones to the digits form and moves what does not fit into the notes', () => {
    expect(orders.get(10)!.client_phone).toBe('89161234567');
    expect(orders.get(28)).toMatchObject({ client_phone: '+79161234567', notes: 'Телефон в старой системе: +7 916 1234567 (жена)' });
    expect(orders.get(23)).toMatchObject({ client_phone: '00000', notes: 'Позвонить заранее\nТелефон в старой системе: нет телефона' });
  });

  it('resolves equipment labels to codes, loosely when it must (refrigerators are a catalog type since 0030)', async () => {
    expect(orders.get(11)!.equipment_type).toBe('oven');
    expect(orders.get(13)!.equipment_type).toBe('coffee_machine');
    expect(orders.get(28)!.equipment_type).toBe('washing_machine');
    const [type] = await rows(t.db, 'SELECT * FROM equipment_types WHERE code = $1', [orders.get(23)!.equipment_type]);
    expect(type).toMatchObject({ code: 'refrigerator', name_ru: 'Холодильники', legacy_label: 'Холодильники', is_active: true });
    expect(summary.created.equipment_types).toEqual([]);
  });

  it('links dispatchers by Telegram id and leaves missing ones empty', () => {
    expect(orders.get(10)!.dispatcher_tg).toBe(1001);
    expect(orders.get(11)!.dispatcher_tg).toBe(1002);
    expect(orders.get(23)!.dispatcher_tg).toBeNull();
    expect(summary.tables.orders.adjusted_reasons['dispatcher: no such user, left empty']).toEqual({ count: 1, legacy_ids: [23] });
  });

  it('records each adjusted order in the audit log with the legacy values it replaced', async () => {
    const [entry] = await rows<{ details: Record<string, unknown>; created_at: string }>(
      t.db,
      `SELECT details, created_at FROM audit_log WHERE action = 'legacy_import.order_adjusted' AND entity_type = 'order' AND entity_id = (SELECT order_id FROM legacy_orders WHERE legacy_id = 20)`,
    );
    expect(entry!.details).toMatchObject({
      legacy_id: 20,
      reasons: [
        'master: none on a closed order, kept closed under the placeholder master "not given"',
        'materials_cost missing: 0.00',
        'shares missing: computed by the commission rules',
        'completion time: not in the history, updated_at used',
      ],
      legacy: { status: 'CLOSED', total_amount: 700, assigned_master_id: null },
    });
    expect(Date.parse(entry!.created_at)).toBeLessThanOrEqual(finished);
    const [{ count }] = (await rows<{ count: number }>(t.db, `SELECT count(*)::int AS count FROM audit_log WHERE action = 'legacy_import.order_adjusted'`)) as [
      { count: number },
    ];
    expect(count).toBe(summary.tables.orders.adjusted);
  });
});
