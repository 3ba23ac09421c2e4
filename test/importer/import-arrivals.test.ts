import { describe, expect, it } from 'vitest';
import { ARRIVALS_DIFFERENCES } from '../support/arrival-truth.ts';
import { useTestDatabase } from '../support/db.ts';
import { LEGACY_MASTER, order, type LegacyData, type Row } from './legacy-fixture.ts';
import { importData, orderIdOf, rows } from './support.ts';

/**
 * Imported history leaves each order's first check-in (orders.arrived_at)
 * and the arrivals rollup (migration 0159) as the old report query would
 * count them: on the normal and the bulk path, with check-ins listed out of
 * time order, with the import's own status move to IN_PROGRESS, and with a
 * later snapshot bringing an earlier check-in for an order already there.
 */
// Rollups in a zone far from UTC and from the legacy bot's: the visits counted by their local days in it.
const ZONE = 'Asia/Vladivostok';
const t = useTestDatabase({ rollupZone: ZONE });

const { master, users } = LEGACY_MASTER;
const visit = (id: number, overrides: Row = {}) =>
  order(id, { status: 'ONSITE', assigned_master_id: 1, scheduled_time: '02.02.2025 10:00', created_at: '2025-02-01 09:00:00', ...overrides });
const move = (id: number, orderId: number, from: string | null, to: string, at: string) => ({
  id,
  order_id: orderId,
  old_status: from,
  new_status: to,
  changed_by: 7002,
  changed_at: at,
});

const first: LegacyData = {
  users,
  masters: [master],
  orders: [
    visit(1),
    visit(2, { status: 'DR', estimated_completion_date: '2025-03-01' }),
    visit(3, { scheduled_time: null }), // no visit time: not a visit
    visit(4, { status: 'DR' }), // no estimated date: the import moves it to IN_PROGRESS itself
    visit(5, { scheduled_time: '03.02.2025 10:00' }),
  ],
  order_status_history: [
    // Order 1: the later check-in listed first.
    move(10, 1, 'ACCEPTED', 'ONSITE', '2025-02-02 10:30:00'),
    move(11, 1, 'ACCEPTED', 'ONSITE', '2025-02-02 09:50:00'),
    // Order 2: arrived late, long repair, resumed (not an arrival).
    move(12, 2, 'ACCEPTED', 'ONSITE', '2025-02-02 11:00:00'),
    move(13, 2, 'ONSITE', 'DR', '2025-02-02 12:00:00'),
    move(14, 2, 'DR', 'ONSITE', '2025-02-05 09:00:00'),
    move(15, 3, 'ACCEPTED', 'ONSITE', '2025-02-02 09:00:00'),
    move(16, 5, 'ACCEPTED', 'ONSITE', '2025-02-03 23:30:00'),
  ],
  audit_log: [],
};
// Since then the old bot learned of an earlier check-in for order 5 (the day before).
const later: LegacyData = { ...first, order_status_history: [...first.order_status_history!, move(17, 5, 'ACCEPTED', 'ONSITE', '2025-02-02 21:00:00')] };

const differences = async () => (await rows<{ cells: number; arrived_at: number; visits: number }>(t.db, ARRIVALS_DIFFERENCES, [ZONE]))[0]!;
const arrivedAt = async (legacyId: number, source: string) =>
  (await rows<{ at: string | null }>(t.db, `SELECT arrived_at::text AS at FROM orders WHERE id = $1`, [await orderIdOf(t.db, legacyId, source)]))[0]!.at;

describe('import-sqlite: arrivals', () => {
  it('sets each imported order its first check-in and counts the visits, on the normal path', async () => {
    // Action
    const summary = await importData(t.db, first, { source: 'msk', bulk: false });
    // Assertions: four visits (1, 2, 4, 5), the earliest check-in of order 1, the import's own move for order 4
    expect(summary.bulk_load).toBe(false);
    expect(await differences()).toEqual({ cells: 0, arrived_at: 0, visits: 4 });
    expect(await arrivedAt(1, 'msk')).toBe('2025-02-02 09:50:00+00');
    expect(await arrivedAt(4, 'msk')).not.toBeNull();
  });

  it('does the same on the bulk path', async () => {
    // Action
    const summary = await importData(t.db, first, { source: 'spb', bulk: true });
    // Assertions
    expect(summary.bulk_load).toBe(true);
    expect(await differences()).toEqual({ cells: 0, arrived_at: 0, visits: 8 });
    expect(await arrivedAt(1, 'spb')).toBe('2025-02-02 09:50:00+00');
  });

  it('moves an order already imported to an earlier check-in a later snapshot brings', async () => {
    // Action
    await importData(t.db, later, { source: 'msk' });
    // Assertions: order 5 arrived the evening before, its visit moved a day back
    expect(await arrivedAt(5, 'msk')).toBe('2025-02-02 21:00:00+00');
    expect(await differences()).toEqual({ cells: 0, arrived_at: 0, visits: 8 });
  });
});
