import { describe, expect, it } from 'vitest';
import { NO_DIFFERENCES, ROLLUP_DIFFERENCES } from '../support/rollup-truth.ts';
import { forEachRollupZone } from '../support/rollup-zones.ts';
import { LEGACY_MASTER, order, type LegacyData } from './legacy-fixture.ts';
import { importData, rows } from './support.ts';

/**
 * The import adds its orders' report rollups once at the end instead of by
 * the per-statement trigger: the rollups must come out as a rebuild from the
 * orders would have them, for a first import and for a later snapshot's
 * updates (which still go through the trigger), and equal to the orders by
 * local days in the rollup zone.
 */

const { master, users } = LEGACY_MASTER;
const closed = (id: number, day: string, total: number) =>
  order(id, {
    status: 'CLOSED',
    assigned_master_id: 1,
    total_amount: total,
    materials_cost: 100,
    created_at: `${day} 09:00:00`,
    updated_at: `${day} 18:00:00`,
  });
// A refusal with an amount: a refusal fee, in its own rollup.
const refused = order(6, {
  status: 'REFUSED',
  assigned_master_id: 1,
  total_amount: 1000,
  created_at: '2025-02-03 09:00:00',
  updated_at: '2025-02-03 12:00:00',
});
const first: LegacyData = {
  users,
  masters: [master],
  orders: [
    closed(1, '2025-02-01', 3000),
    closed(2, '2025-02-01', 5000),
    closed(3, '2025-02-02', 1200),
    order(4),
    order(5, { equipment_type: 'Электрика' }),
    refused,
  ],
  order_status_history: [],
  audit_log: [],
};
const later: LegacyData = {
  ...first,
  // A total corrected and a new order closed in the old bot since.
  orders: [
    closed(1, '2025-02-01', 3500),
    closed(2, '2025-02-01', 5000),
    closed(3, '2025-02-02', 1200),
    closed(4, '2024-01-10', 800),
    order(5, { equipment_type: 'Электрика' }),
    refused,
  ],
};

forEachRollupZone((t, zone) => {
  /** Orders closed at 18:00 Moscow time, 15:00 UTC: the next day in Vladivostok. */
  const closedDay = zone === 'Asia/Vladivostok' ? '2025-02-02' : '2025-02-01';

  /** Every non-empty cell of the five rollups (a cell emptied by a change keeps a zero row; a cell is the sum of its slots). */
  const rollups = () =>
    rows(
      t.db,
      `SELECT 'created ' || day || ' ' || status || ' ' || equipment_type || ' ' || sum(orders) AS cell FROM report_created_daily
       GROUP BY day, status, equipment_type HAVING sum(orders) <> 0
     UNION ALL SELECT 'closed ' || day || ' ' || equipment_type || ' ' || sum(orders) || ' ' || sum(revenue) || ' ' || sum(materials) || ' ' || sum(master_share) || ' ' || sum(company_share)
       FROM report_closed_daily_equipment GROUP BY day, equipment_type HAVING sum(orders) <> 0
     UNION ALL SELECT 'master ' || day || ' ' || master_id || ' ' || orders || ' ' || revenue || ' ' || master_share FROM report_closed_daily_master WHERE orders <> 0
     UNION ALL SELECT 'completed ' || day || ' ' || master_id || ' ' || orders FROM report_completed_daily_master WHERE orders <> 0
     UNION ALL SELECT 'refusal ' || day || ' ' || master_id || ' ' || orders || ' ' || fee || ' ' || master_share || ' ' || company_share
       FROM report_refusal_fees_daily WHERE orders <> 0
     ORDER BY 1`,
    );
  const rebuilt = async () => {
    await rows(t.db, 'SELECT FROM report_rollups_rebuild()');
    return rollups();
  };

  describe('import-sqlite: report rollups', () => {
    it('adds the imported orders to the rollups as a rebuild from the orders has them', async () => {
      // Setup: a freshly migrated database (no rollups yet).
      // Action
      await importData(t.db, first, { source: 'msk' });
      // Assertions: 40 % of the total less materials to the master, as the commission rules say.
      const imported = await rollups();
      expect(imported).toContainEqual({ cell: `closed ${closedDay} washing_machine 2 8000.00 200.00 3120.00 4680.00` });
      expect(imported.filter((r) => String(r.cell).startsWith('refusal '))).toHaveLength(1);
      expect(await rows(t.db, ROLLUP_DIFFERENCES, [zone])).toEqual(NO_DIFFERENCES);
      expect(imported).toEqual(await rebuilt());
    });

    it("keeps them exact through a later snapshot's updates", async () => {
      // Setup: the first snapshot, imported above.
      // Action
      const summary = await importData(t.db, later, { source: 'msk' });
      // Assertions
      expect(summary.tables.orders.updated).toBe(2);
      const updated = await rollups();
      expect(updated).toContainEqual({ cell: `closed ${closedDay} washing_machine 2 8500.00 200.00 3320.00 4980.00` });
      expect(await rows(t.db, ROLLUP_DIFFERENCES, [zone])).toEqual(NO_DIFFERENCES);
      expect(updated).toEqual(await rebuilt());
    });
  });
});
