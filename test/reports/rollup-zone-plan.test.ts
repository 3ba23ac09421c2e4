import { beforeAll, describe, expect, it } from 'vitest';
import '../../src/masters/master-quality.sql.ts';
import '../../src/reports/refusal-fees.sql.ts';
import { registeredQueries } from '../../src/db/query.ts';
import { countCreatedOrders } from '../../src/reports/reports.sql.ts';
import { useTestDatabase } from '../support/db.ts';
import { makeMaster } from '../support/fixtures.ts';
import { insertOrdersEvery37Minutes } from '../support/zone-orders.ts';

/**
 * With the rollups kept in the report time zone (migration 0160), a report
 * over whole local days reads the rollups alone: the scans of orders for the
 * partial days at the period's ends get empty ranges and return no row, so
 * the report costs the same at 1,000,000 orders as at 10,000,000. Today
 * included: the triggers keep today's rollup rows exact. Checked on the
 * cached generic plan each report's prepared statement settles on.
 */
const ZONE = 'Europe/Moscow';
const t = useTestDatabase({ rollupZone: ZONE });
const DAY = 86_400_000;
const iso = (ms: number) => new Date(ms).toISOString();
/** Midnight in Moscow (UTC+3 all year) on today's date there. */
const TODAY = Math.floor((Date.now() + 3 * 3_600_000) / DAY) * DAY - 3 * 3_600_000;

/** Each period report, with its third parameter (a master filter) left NULL. */
const REPORTS = [
  'reports.count_created_orders',
  'reports.sum_closed_orders',
  'reports.sum_orders_by_master',
  'reports.sum_refusal_fees',
  'reports.list_refusal_fees_by_master',
  'masters.sum_master_arrivals',
];

interface PlanNode {
  'Relation Name'?: string;
  'Actual Rows': number;
  'Actual Loops': number;
  Plans?: PlanNode[];
}

/** Rows the plan's scans of orders returned, over all their loops. */
function ordersRows(node: PlanNode): number {
  const own = node['Relation Name'] === 'orders' ? node['Actual Rows'] * node['Actual Loops'] : 0;
  return own + (node.Plans ?? []).reduce((n, p) => n + ordersRows(p), 0);
}

async function ordersRowsRead(name: string, from: string, to: string): Promise<number> {
  const query = registeredQueries().find((q) => q.name === name)!;
  // Literals of this file's own instants: EXECUTE inside EXPLAIN takes no bind parameters.
  const args = [`'${from}'`, `'${to}'`, ...(query.text.includes('$3') ? ['NULL'] : [])].join(', ');
  return t.db.withClient(async (_db, c) => {
    await c.query('SET plan_cache_mode = force_generic_plan');
    await c.query(`PREPARE report AS ${query.text}`);
    try {
      const res = await c.query<{ 'QUERY PLAN': Array<{ Plan: PlanNode }> }>(`EXPLAIN (ANALYZE, FORMAT JSON) EXECUTE report(${args})`);
      return ordersRows(res.rows[0]!['QUERY PLAN'][0]!.Plan);
    } finally {
      await c.query('DEALLOCATE report; RESET ALL');
    }
  });
}

beforeAll(async () => {
  // Setup: two months of orders and some created today, with statistics
  const masters = await Promise.all([1, 2].map(() => makeMaster(t.db)));
  const ids: [number, number] = [masters[0]!.masterId, masters[1]!.masterId];
  await insertOrdersEvery37Minutes(t.db, '2026-01-01T00:00:00Z', '2026-03-01T00:00:00Z', ids);
  await insertOrdersEvery37Minutes(t.db, iso(TODAY), iso(Math.min(Date.now(), TODAY + DAY - 1)), ids);
  await t.db.withClient(async (_db, c) => {
    await c.query('VACUUM ANALYZE orders');
    await c.query('ANALYZE report_created_daily, report_closed_daily_equipment, report_closed_daily_master, report_completed_daily_master');
    await c.query('ANALYZE report_refusal_fees_daily, report_arrivals_daily');
  });
});

describe('a report over whole days of the rollup zone', () => {
  for (const name of REPORTS) {
    it(`${name} reads no orders for a month or for today, and does for UTC days`, async () => {
      // Setup: February and today as Moscow days; February as UTC days
      const february = ['2026-01-31T21:00:00Z', '2026-02-28T21:00:00Z'] as const;
      // Action
      const month = await ordersRowsRead(name, ...february);
      const today = await ordersRowsRead(name, iso(TODAY), iso(TODAY + DAY));
      const utcDays = await ordersRowsRead(name, '2026-02-01T00:00:00Z', '2026-03-01T00:00:00Z');
      // Assertions
      expect({ month, today }).toEqual({ month: 0, today: 0 });
      expect(utcDays).toBeGreaterThan(0);
    });
  }

  it("counts today's orders from the rollups as they are", async () => {
    // Action
    const got = await countCreatedOrders(t.db, iso(TODAY), iso(TODAY + DAY));
    const want = await t.db.pool.query(
      `SELECT status::text, equipment_type, count(*)::int AS orders FROM orders WHERE created_at >= $1 AND created_at < $2 GROUP BY 1, 2`,
      [iso(TODAY), iso(TODAY + DAY)],
    );
    // Assertions
    const key = (r: { status: string; equipment_type: string }) => `${r.status}/${r.equipment_type}`;
    expect(got.map((r) => ({ ...r })).sort((a, b) => key(a).localeCompare(key(b)))).toEqual(want.rows.sort((a, b) => key(a).localeCompare(key(b))));
    expect(want.rows.length).toBeGreaterThan(0);
  });
});
