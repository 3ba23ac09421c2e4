import { beforeAll, describe, expect, it } from 'vitest';
import { rezoneRollups } from '../../src/db/rollup-zone.sql.ts';
import { sumMasterArrivals } from '../../src/masters/master-quality.sql.ts';
import { sumRefusalFees } from '../../src/reports/refusal-fees.sql.ts';
import { countCreatedOrders, sumClosedOrders } from '../../src/reports/reports.sql.ts';
import { useTestDatabase } from '../support/db.ts';
import { makeMaster } from '../support/fixtures.ts';
import { insertOrdersEvery37Minutes } from '../support/zone-orders.ts';
import { NO_DIFFERENCES, ROLLUP_DIFFERENCES } from '../support/rollup-truth.ts';

/**
 * The rollup zone (migration 0160): report_rollups_rezone rewrites the
 * rollups into another zone, and reports stay equal to the orders for any
 * period in any zone, across summer-time changes: a 23-hour day in Berlin
 * (2026-03-29), a 25-hour one in New York (2026-11-01), and a day in
 * Santiago whose midnight does not exist (2026-09-06 starts at 01:00).
 */
const t = useTestDatabase();

/** Three stretches of data around the changes. */
const STRETCHES: Array<[string, string]> = [
  ['2026-03-26T00:00:00Z', '2026-04-01T00:00:00Z'],
  ['2026-09-03T00:00:00Z', '2026-09-09T00:00:00Z'],
  ['2026-10-29T00:00:00Z', '2026-11-04T00:00:00Z'],
];

/** Periods as whole local days in one zone or another (the instants of their midnights), and some not. */
const PERIODS: Array<[string, string]> = [
  ['2026-03-28T23:00:00Z', '2026-03-29T22:00:00Z'], // Berlin, 2026-03-29: 23 hours
  ['2026-03-26T23:00:00Z', '2026-03-31T22:00:00Z'], // Berlin, four days across the change
  ['2026-03-27T21:00:00Z', '2026-03-30T21:00:00Z'], // Moscow, three days
  ['2026-11-01T04:00:00Z', '2026-11-02T05:00:00Z'], // New York, 2026-11-01: 25 hours
  ['2026-10-30T04:00:00Z', '2026-11-03T05:00:00Z'], // New York, across the change
  ['2026-09-06T04:00:00Z', '2026-09-07T03:00:00Z'], // Santiago, 2026-09-06: 23 hours, from 01:00
  ['2026-09-04T04:00:00Z', '2026-09-08T03:00:00Z'], // Santiago, across the change
  ['2026-03-27T00:00:00Z', '2026-03-31T00:00:00Z'], // UTC days
  ['2026-03-27T05:17:00Z', '2026-03-30T13:45:00Z'], // no zone's midnights
  ['2026-11-01T05:30:00Z', '2026-11-01T06:30:00Z'], // inside the repeated hour
  ['2026-01-01T00:00:00Z', '2027-01-01T00:00:00Z'], // all of it
];

const TRUTH = {
  created: `SELECT status::text, equipment_type, count(*)::int AS orders FROM orders
            WHERE deleted_at IS NULL AND created_at >= $1 AND created_at < $2 GROUP BY 1, 2 ORDER BY 1, 2`,
  closed: `SELECT equipment_type, count(*)::int AS orders, sum(total_amount)::text AS revenue, sum(master_profit)::text AS master_share
           FROM orders WHERE status = 'CLOSED' AND deleted_at IS NULL AND closed_at >= $1 AND closed_at < $2 GROUP BY 1 ORDER BY 1`,
  arrivals: `SELECT master_id::int, count(*)::int AS visits, count(*) FILTER (WHERE arrived_at <= COALESCE(scheduled_until, scheduled_at))::int AS on_time
             FROM orders WHERE deleted_at IS NULL AND scheduled_at IS NOT NULL AND master_id IS NOT NULL AND arrived_at >= $1 AND arrived_at < $2
             GROUP BY 1 ORDER BY 1`,
  fees: `SELECT count(*)::int AS orders, COALESCE(sum(refusal_fee), 0)::text AS fee FROM orders
         WHERE refusal_fee IS NOT NULL AND deleted_at IS NULL AND refused_at >= $1 AND refused_at < $2`,
};

/** Each report over [from, to) and the same figures straight from orders. */
async function reportAndTruth(from: string, to: string) {
  const q = (sql: string, params: unknown[]) => t.db.pool.query(sql, params).then((r) => r.rows);
  const created = (await countCreatedOrders(t.db, from, to)).sort((a, b) => `${a.status}/${a.equipment_type}`.localeCompare(`${b.status}/${b.equipment_type}`));
  const closed = (await sumClosedOrders(t.db, from, to)).sort((a, b) => a.equipment_type.localeCompare(b.equipment_type));
  const fees = await sumRefusalFees(t.db, from, to);
  const arrivals = (await sumMasterArrivals(t.db, { masterIds: null, from, to })).sort((a, b) => Number(a.master_id) - Number(b.master_id));
  return {
    got: {
      created,
      closed: closed.map((r) => ({ equipment_type: r.equipment_type, orders: r.orders, revenue: r.revenue, master_share: r.master_share })),
      fees: { orders: fees.orders, fee: Number(fees.fee).toFixed(2) },
      arrivals: arrivals.map((r) => ({ master_id: Number(r.master_id), visits: r.visits, on_time: r.on_time })),
    },
    want: {
      created: await q(TRUTH.created, [from, to]),
      closed: await q(TRUTH.closed, [from, to]),
      fees: ((r) => ({ orders: r.orders, fee: Number(r.fee).toFixed(2) }))((await q(TRUTH.fees, [from, to]))[0]),
      arrivals: await q(TRUTH.arrivals, [from, to]),
    },
  };
}

async function expectReportsExact(zone: string) {
  for (const [from, to] of PERIODS) {
    const { got, want } = await reportAndTruth(from, to);
    expect({ zone, period: [from, to], ...got }).toEqual({ zone, period: [from, to], ...want });
  }
  // The data really has something in the shortest periods.
  expect((await reportAndTruth(...PERIODS[9]!)).want.created.length).toBeGreaterThan(0);
}

const differences = async (zone: string) => (await t.db.pool.query(ROLLUP_DIFFERENCES, [zone])).rows;

beforeAll(async () => {
  // Setup: orders in the UTC rollups the database migrates with
  const masters = await Promise.all([1, 2].map(() => makeMaster(t.db)));
  const [m1, m2] = masters.map((m) => m.masterId);
  for (const [from, to] of STRETCHES) await insertOrdersEvery37Minutes(t.db, from, to, [m1!, m2!]);
});

describe('the rollup zone', () => {
  it('is rewritten by report_rollups_rezone, after which the rollups and reports equal the orders in the new zone, also after writes', async () => {
    // Action
    const first = await rezoneRollups(t.db, 'Europe/Berlin');
    const again = await rezoneRollups(t.db, 'Europe/Berlin');
    const rewritten = await differences('Europe/Berlin');
    await t.db.pool.query(`UPDATE orders SET closed_at = closed_at + interval '19 hours' WHERE status = 'CLOSED' AND id % 3 = 0`);
    await t.db.pool.query(`UPDATE orders SET refused_at = refused_at - interval '7 hours', master_id = NULL WHERE status = 'REFUSED' AND id % 4 = 1`);
    await t.db.pool.query(`DELETE FROM orders WHERE id % 11 = 3`);
    const written = await differences('Europe/Berlin');
    // Assertions
    expect(first).toBe(true);
    expect(again).toBe(false);
    expect(rewritten).toEqual(NO_DIFFERENCES);
    expect(written).toEqual(NO_DIFFERENCES);
    // In UTC days they would differ: the check can tell zones apart.
    expect((await differences('UTC')).some((d) => d.n > 0)).toBe(true);
    await expectReportsExact('Europe/Berlin');
  });

  for (const zone of ['America/New_York', 'America/Santiago', 'Asia/Vladivostok', 'UTC']) {
    it(`keeps reports exact for periods of whole days in other zones and of none, with the rollups in ${zone}`, async () => {
      // Action
      await rezoneRollups(t.db, zone);
      // Assertions
      expect(await differences(zone)).toEqual(NO_DIFFERENCES);
      await expectReportsExact(zone);
    });
  }

  it('refuses a zone PostgreSQL does not know, by name, and keeps the rollups as they were', async () => {
    // Setup
    await rezoneRollups(t.db, 'Asia/Vladivostok');
    // Action
    const bad = await rezoneRollups(t.db, 'Mars/Olympus').catch((err: unknown) => err);
    const empty = await rezoneRollups(t.db, '').catch((err: unknown) => err);
    // Assertions
    expect(bad).toMatchObject({ message: expect.stringContaining('unknown time zone "Mars/Olympus"') });
    expect(empty).toMatchObject({ message: expect.stringContaining('a time zone name is required') });
    expect((await t.db.pool.query('SELECT zone FROM report_rollup_zone')).rows).toEqual([{ zone: 'Asia/Vladivostok' }]);
    expect(await differences('Asia/Vladivostok')).toEqual(NO_DIFFERENCES);
  });

  it('bounds the whole days at the midnights of the stored zone, also when a midnight does not exist', async () => {
    const cases: Array<[string, string, string, string, string]> = [
      // zone, from, to, first whole day's start, end of the last one
      ['Europe/Berlin', '2026-03-28T22:00:00Z', '2026-03-30T23:30:00Z', '2026-03-28T23:00:00Z', '2026-03-30T22:00:00Z'],
      ['Asia/Vladivostok', '2026-03-28T14:00:00Z', '2026-03-30T15:00:00Z', '2026-03-28T14:00:00Z', '2026-03-30T14:00:00Z'],
      ['America/New_York', '2026-11-01T04:00:00Z', '2026-11-02T05:00:00Z', '2026-11-01T04:00:00Z', '2026-11-02T05:00:00Z'],
      ['America/New_York', '2026-11-01T03:59:59Z', '2026-11-02T05:00:01Z', '2026-11-01T04:00:00Z', '2026-11-02T05:00:00Z'],
      ['America/Santiago', '2026-09-05T12:00:00Z', '2026-09-07T12:00:00Z', '2026-09-06T04:00:00Z', '2026-09-07T03:00:00Z'],
      ['America/Santiago', '2026-09-06T04:00:00Z', '2026-09-06T23:00:00Z', '2026-09-06T04:00:00Z', '2026-09-06T04:00:00Z'], // no whole day
    ];
    for (const [zone, from, to, start, end] of cases) {
      // Action
      await rezoneRollups(t.db, zone);
      const got = (
        await t.db.pool.query(
          `SELECT to_char(first_start AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"') AS start, to_char(end_start AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"') AS end
           FROM report_period_days($1, $2)`,
          [from, to],
        )
      ).rows[0];
      // Assertions
      expect({ zone, from, to, ...got }).toEqual({ zone, from, to, start, end });
    }
  });
});
