import { beforeAll, describe, expect, it } from 'vitest';
import { createI18n, translator } from '../../src/bot/i18n.ts';
import { orderCardText } from '../../src/bot/order-card.ts';
import type { ImportSummary } from '../../src/importer/report.ts';
import { useApi } from '../http/support.ts';
import { order, type LegacyData } from './legacy-fixture.ts';
import { importData, orderIdOf, rows } from './support.ts';

/** Two cities' bots, each with its own file and overlapping ids, imported one after the other. */
const api = useApi();

function city(name: string, telegramBase: number): LegacyData {
  return {
    users: [{ id: 1, telegram_id: telegramBase + 1, first_name: `Диспетчер ${name}`, role: 'DISPATCHER', created_at: '2025-01-01 09:00:00' }],
    masters: [],
    orders: [order(45, { client_name: `Клиент ${name} 45`, dispatcher_id: telegramBase + 1 }), order(46, { client_name: `Клиент ${name} 46` })],
    order_status_history: [
      { id: 1, order_id: 45, old_status: null, new_status: 'NEW', changed_by: telegramBase + 1, changed_at: '2025-01-10 09:00:00', notes: name },
      { id: 2, order_id: 46, old_status: null, new_status: 'NEW', changed_by: telegramBase + 1, changed_at: '2025-01-10 09:00:00', notes: name },
    ],
    audit_log: [{ id: 1, user_id: telegramBase + 1, action: 'create_order', details: '{"order_id": 45}', timestamp: '2025-01-10 09:00:00' }],
  };
}

let msk: ImportSummary;
let spb: ImportSummary;

beforeAll(async () => {
  msk = await importData(api.t.db, city('msk', 5000), { source: 'msk' });
  spb = await importData(api.t.db, city('spb', 6000), { source: 'spb' });
});

describe('import-sqlite: several sources', () => {
  it("imports both cities' orders, history and audit; ids match only within their source", async () => {
    expect(spb.tables.orders).toMatchObject({ read: 2, imported: 2, already_imported: 0 });
    expect(spb.tables.order_status_history).toMatchObject({ read: 2, imported: 2, already_imported: 0 });
    expect(spb.tables.audit_log).toMatchObject({ read: 1, imported: 1, already_imported: 0 });
    expect(msk.tables.orders.imported).toBe(2);
    for (const source of ['msk', 'spb']) {
      const orderId = await orderIdOf(api.t.db, 45, source);
      const [o] = await rows<{ client_name: string }>(api.t.db, 'SELECT client_name FROM orders WHERE id = $1', [orderId]);
      expect(o!.client_name).toBe(`Клиент ${source} 45`);
      const history = await rows<{ note: string }>(api.t.db, 'SELECT note FROM order_status_history WHERE order_id = $1', [orderId]);
      expect(history).toEqual([{ note: source }]);
      const audit = await rows<{ entity_id: number }>(
        api.t.db,
        `SELECT entity_id FROM audit_log WHERE action = 'legacy.create_order' AND details->>'legacy_user_id' = $1`,
        [String(source === 'msk' ? 5001 : 6001)],
      );
      expect(audit).toEqual([{ entity_id: orderId }]);
    }
  });

  it('a second import of one city changes nothing of either', async () => {
    const again = await importData(api.t.db, city('msk', 5000), { source: 'msk' });
    expect(again.first_import).toBe(false);
    expect(again.tables.orders).toMatchObject({ read: 2, imported: 0, already_imported: 2, updated: 0 });
  });

  it('shows the legacy number and source in the API order view and the bot card, and finds the order by it', async () => {
    const orderId = await orderIdOf(api.t.db, 45, 'msk');
    const view = await api.request('GET', `/api/v1/orders/${orderId}`, { token: api.admin.token });
    expect(view.body).toMatchObject({ id: orderId, legacy_number: 45, legacy_source: 'msk' });

    const both = await api.request('GET', `/api/v1/search?q=${encodeURIComponent('№ 45')}`, { token: api.admin.token });
    expect(both.body.items.map((o: { legacy_source: string }) => o.legacy_source).sort()).toEqual(['msk', 'spb']);
    for (const q of ['msk 45', 'msk-45', '45 msk', '№45 (msk)']) {
      const one = await api.request('GET', `/api/v1/search?q=${encodeURIComponent(q)}`, { token: api.admin.token });
      expect(one.status, q).toBe(200);
      expect(
        one.body.items.map((o: { id: number }) => o.id),
        q,
      ).toEqual([orderId]);
    }

    const t = translator(createI18n({ warn: () => {} }), 'ru');
    const card = orderCardText(view.body, { t, equipmentName: (code) => code, timeZone: 'Europe/Moscow' });
    expect(card.split('\n')[0]).toBe(`Заказ №${orderId} (было № 45, msk) · ${t('status-NEW')}`);
  });
});
