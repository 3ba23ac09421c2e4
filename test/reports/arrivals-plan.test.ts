import { beforeAll, describe, expect, it } from 'vitest';
import '../../src/masters/master-quality.sql.ts';
import { registeredQueries } from '../../src/db/query.ts';
import { useTestDatabase } from '../support/db.ts';
import { makeMaster } from '../support/fixtures.ts';

/**
 * The masters report reads on-time arrivals over its period. Prepared
 * statements switch to a cached generic plan after a few runs: that plan
 * must read the period's whole days as a range of the arrivals rollup and
 * its partial days as ranges of orders_arrivals_period_idx, and never touch
 * the status history (a scan of the period's check-ins grew with the
 * orders: ~660 ms a quarter at 1,000,000 orders, past the 30 s statement
 * timeout at 10,000,000), for a closed period and for all time alike.
 */
const t = useTestDatabase();

beforeAll(async () => {
  // Setup: enough visits over a year, with statistics, for the planner to cost pages as it would in production
  const masters = await Promise.all([1, 2, 3].map(() => makeMaster(t.db)));
  await t.db.withClient(async (_db, raw) => {
    await raw.query(
      `INSERT INTO orders (status, master_id, equipment_type, description, client_name, client_address, client_phone, scheduled_at, arrived_at)
       SELECT 'IN_PROGRESS', ($1::int8[])[1 + i % 3], 'oven', 'bulk', 'Client', 'Street 1', '+79001112233',
              timestamptz '2026-01-01' + i * interval '25 minutes', timestamptz '2026-01-01' + i * interval '25 minutes' + (i % 7) * interval '10 minutes'
       FROM generate_series(1, 20000) AS i`,
      [masters.map((m) => m.masterId)],
    );
    await raw.query('VACUUM ANALYZE orders');
    await raw.query('ANALYZE report_arrivals_daily');
  });
});

async function genericPlan(args: string): Promise<string> {
  const query = registeredQueries().find((q) => q.name === 'masters.sum_master_arrivals')!;
  return t.db.withClient(async (_db, c) => {
    await c.query('SET plan_cache_mode = force_generic_plan');
    await c.query(`PREPARE arrivals AS ${query.text}`);
    try {
      const res = await c.query<{ 'QUERY PLAN': string }>(`EXPLAIN EXECUTE arrivals(${args})`);
      return res.rows.map((r) => r['QUERY PLAN']).join('\n');
    } finally {
      await c.query('DEALLOCATE arrivals; RESET ALL');
    }
  });
}

describe('on-time arrivals: the generic plan', () => {
  for (const [name, args] of [
    ['a month', `'2026-01-01T05:00:00Z', '2026-02-01T05:00:00Z', NULL`],
    ['all time, some masters', `NULL, NULL, '{1,2}'`],
  ] as const) {
    it(`reads ${name} as index ranges of the rollup and of the orders' arrivals, not the history`, async () => {
      // Setup and Action: the query as the service prepares it
      const plan = await genericPlan(args);
      // Assertions
      expect(plan).toMatch(/(Index|Index Only|Bitmap Index) Scan (using|on) report_arrivals_daily_pkey[^\n]*\n\s+Index Cond: \(\(day >= /);
      expect(plan).toMatch(/Index (Only )?Scan using orders_arrivals_period_idx[^\n]*\n\s+Index Cond: \(\(arrived_at >= [^\n]*\) AND \(arrived_at < /);
      expect(plan).not.toContain('order_status_history');
      // The one-row rollup zone table (migration 0160) aside.
      expect(plan).not.toMatch(/Seq Scan on (?!report_rollup_zone )/);
    });
  }
});
