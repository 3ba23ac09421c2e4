import pg from 'pg';
import { beforeAll, describe, expect, it } from 'vitest';
import { OrderChangeFeed } from '../../src/orders/order-changes.ts';
import { OrderWorkflow } from '../../src/orders/order-workflow.ts';
import { OrdersService } from '../../src/orders/orders-service.ts';
import { countCreatedOrders, sumClosedOrders, sumOrdersByMaster } from '../../src/reports/reports.sql.ts';
import { setLocalSettings } from '../../src/seed/settings.sql.ts';
import { forEachRollupZone } from '../support/rollup-zones.ts';
import { seededRandom } from '../support/random.ts';
import { NO_DIFFERENCES, ROLLUP_DIFFERENCES } from '../support/rollup-truth.ts';
import { makeMaster, makeUser, orderInput } from '../support/fixtures.ts';

/**
 * The daily rollups (migration 0009), kept in each zone of ROLLUP_ZONES
 * (0160), must stay equal to what the orders say after any mix of writes,
 * and the reports that combine them with the raw partial days must equal a
 * plain aggregate over orders for any period.
 */
forEachRollupZone((t, zone) => {
  const DAY = 86_400_000;
  /** Midnight UTC six days before the newest orders: the data spans 12 days around it. */
  const BASE = Date.UTC(2026, 2, 10);
  const iso = (ms: number) => new Date(ms).toISOString();

  /** Ground truth: each report's figures aggregated straight from orders. */
  const TRUTH = {
    created: `SELECT status::text, equipment_type, count(*)::int AS orders FROM orders
            WHERE deleted_at IS NULL AND created_at >= $1 AND created_at < $2 GROUP BY 1, 2 ORDER BY 1, 2`,
    closed: `SELECT equipment_type, count(*)::int AS orders, sum(total_amount)::text AS revenue, sum(materials_cost)::text AS materials,
                  sum(master_profit)::text AS master_share, sum(company_profit)::text AS company_share
           FROM orders WHERE status = 'CLOSED' AND deleted_at IS NULL AND closed_at >= $1 AND closed_at < $2 GROUP BY 1 ORDER BY 1`,
    masters: `SELECT m AS master_id,
                   (SELECT count(*)::int FROM orders WHERE master_id = m AND deleted_at IS NULL AND completed_at >= $1 AND completed_at < $2) AS completed,
                   (SELECT count(*)::int FROM orders WHERE master_id = m AND status = 'CLOSED' AND deleted_at IS NULL AND closed_at >= $1 AND closed_at < $2) AS closed,
                   (SELECT COALESCE(sum(total_amount), 0)::text FROM orders WHERE master_id = m AND status = 'CLOSED' AND deleted_at IS NULL AND closed_at >= $1 AND closed_at < $2) AS revenue
            FROM unnest($3::int8[]) AS m ORDER BY 1`,
  };

  async function reportsFor(from: string, to: string, masterIds: number[]) {
    // A session time zone far from UTC: the rollup days must not depend on it.
    return t.db.transaction(async (tx) => {
      await setLocalSettings(tx, { TimeZone: 'Asia/Vladivostok' });
      const created = (await countCreatedOrders(tx, from, to))
        .map((r) => ({ status: r.status, equipment_type: r.equipment_type, orders: r.orders }))
        .sort((a, b) => `${a.status}/${a.equipment_type}`.localeCompare(`${b.status}/${b.equipment_type}`));
      const closed = (await sumClosedOrders(tx, from, to)).sort((a, b) => a.equipment_type.localeCompare(b.equipment_type));
      const byMaster = new Map((await sumOrdersByMaster(tx, from, to, null)).map((r) => [r.master_id, r]));
      const masters = masterIds.map((id) => {
        const r = byMaster.get(id);
        return { master_id: id, completed: r?.completed ?? 0, closed: r?.closed ?? 0, revenue: r?.revenue ?? '0' };
      });
      return { created, closed, masters };
    });
  }

  async function truthFor(from: string, to: string, masterIds: number[]) {
    const [created, closed, masters] = await Promise.all([
      t.db.pool.query(TRUTH.created, [from, to]),
      t.db.pool.query(TRUTH.closed, [from, to]),
      t.db.pool.query(TRUTH.masters, [from, to, masterIds]),
    ]);
    return {
      created: created.rows.sort((a, b) => `${a.status}/${a.equipment_type}`.localeCompare(`${b.status}/${b.equipment_type}`)),
      closed: closed.rows,
      masters: masters.rows.map((r) => ({ ...r, master_id: Number(r.master_id) })),
    };
  }

  let masterIds: number[];

  beforeAll(async () => {
    // Setup: 400 orders over 12 days in every status, with money where due
    const masters = await Promise.all([1, 2, 3].map((n) => makeMaster(t.db, { name: `Master ${n}` })));
    masterIds = masters.map((m) => m.masterId).sort((a, b) => a - b);
    const rnd = seededRandom(20260310);
    const rows = Array.from({ length: 400 }, () => {
      const status = ['NEW', 'ASSIGNED', 'IN_PROGRESS', 'COMPLETED', 'CLOSED', 'CLOSED', 'REFUSED'][Math.floor(rnd() * 7)]!;
      const created = BASE - 6 * DAY + Math.floor(rnd() * 12 * DAY);
      const done = ['COMPLETED', 'CLOSED'].includes(status);
      const total = Math.floor(rnd() * 2000000) / 100;
      const materials = Math.floor(rnd() * total * 50) / 100;
      const masterShare = Math.floor((total - materials) * 40) / 100;
      return {
        status,
        equipment: ['washing_machine', 'oven', 'tv'][Math.floor(rnd() * 3)]!,
        master: status === 'NEW' || (status === 'REFUSED' && rnd() < 0.5) ? null : masterIds[Math.floor(rnd() * 3)]!,
        created: iso(created),
        completed: done ? iso(created + Math.floor(rnd() * 3 * DAY)) : null,
        closed: status === 'CLOSED' ? iso(created + 3 * DAY + Math.floor(rnd() * 2 * DAY)) : null,
        money: done ? [total, materials, masterShare, Math.round((total - materials - masterShare) * 100) / 100].map((n) => n.toFixed(2)) : null,
      };
    });
    await t.db.pool.query(
      `INSERT INTO orders (status, equipment_type, master_id, description, client_name, client_address, client_phone, refuse_reason,
                         created_at, completed_at, closed_at, total_amount, materials_cost, master_profit, company_profit)
     SELECT s::order_status, e, m, 'Rollup test', 'Client', 'Street 1', '+79001112233', CASE WHEN s = 'REFUSED' THEN 'No' END,
            c, cp, cl, tot, mat, ms, cs
     FROM unnest($1::text[], $2::text[], $3::int8[], $4::timestamptz[], $5::timestamptz[], $6::timestamptz[],
                 $7::numeric[], $8::numeric[], $9::numeric[], $10::numeric[]) AS x(s, e, m, c, cp, cl, tot, mat, ms, cs)`,
      [
        rows.map((r) => r.status),
        rows.map((r) => r.equipment),
        rows.map((r) => r.master),
        rows.map((r) => r.created),
        rows.map((r) => r.completed),
        rows.map((r) => r.closed),
        ...[0, 1, 2, 3].map((i) => rows.map((r) => r.money?.[i] ?? null)),
      ],
    );
  });

  describe('daily report rollups', () => {
    it('equal the orders after inserts, multi-row updates, soft and hard deletes, and service transitions', async () => {
      // Action: writes of every kind, several touching many rows and days at once
      const [master] = masterIds;
      await t.db.pool.query(`UPDATE orders SET equipment_type = 'tv' WHERE id % 7 = 0`);
      await t.db.pool.query(`UPDATE orders SET created_at = created_at - interval '1 day 3 hours' WHERE id % 5 = 1`);
      await t.db.pool.query(`UPDATE orders SET master_id = $1 WHERE status = 'CLOSED' AND id % 4 = 0`, [master]);
      await t.db.pool.query(`UPDATE orders SET total_amount = total_amount + 10, company_profit = company_profit + 10 WHERE status = 'CLOSED' AND id % 3 = 0`);
      await t.db.pool.query(`UPDATE orders SET closed_at = closed_at + interval '20 hours' WHERE id % 6 = 2`);
      await t.db.pool.query(`UPDATE orders SET deleted_at = now() WHERE id % 9 = 4`);
      await t.db.pool.query(`UPDATE orders SET deleted_at = NULL WHERE id % 18 = 4`);
      await t.db.pool.query(`UPDATE orders SET version = version + 1 WHERE id % 2 = 0`); // touches no report cell
      await t.db.pool.query(`DELETE FROM orders WHERE id % 11 = 3`);
      const dispatcher = await makeUser(t.db, ['DISPATCHER']);
      const feed = new OrderChangeFeed();
      const orders = new OrdersService(t.db, feed);
      const workflow = new OrderWorkflow(t.db, feed);
      const admin = await makeUser(t.db, ['ADMIN']);
      const worker = await makeMaster(t.db);
      for (let i = 0; i < 5; i++) {
        const { order } = await orders.create(dispatcher, orderInput({ equipment_type: 'oven' }));
        await workflow.act(dispatcher, order.id, 'assign', { master_id: worker.masterId });
        for (const step of ['accept', 'arrive'] as const) await workflow.act(worker, order.id, step, {});
        await workflow.act(worker, order.id, 'complete', { total_amount: '1000.50', materials_cost: '100', has_review: i % 2 === 0, out_of_city: false });
        if (i < 3) await workflow.act(dispatcher, order.id, 'close', {});
        if (i === 0) await workflow.act(admin, order.id, 'delete', {});
      }
      masterIds.push(worker.masterId);

      // Assertions: each rollup table equals its aggregate over orders
      const differences = await t.db.pool.query(ROLLUP_DIFFERENCES, [zone]);
      expect(differences.rows).toEqual(NO_DIFFERENCES);
    });

    it('cover exactly the whole days of a period in the rollup zone, whatever the session time zone', async () => {
      // Setup: periods as [from, to] and the whole days expected inside them, from midnight in the rollup
      // zone on BASE's date (BASE less its UTC offset there: New York is on summer time since 2026-03-08)
      const h = 3_600_000;
      const M = BASE - ({ UTC: 0, 'Asia/Vladivostok': 10 * h, 'America/New_York': -4 * h } as Record<string, number>)[zone]!;
      const cases: Array<[number, number, number, number]> = [
        [M, M + 3 * DAY, M, M + 3 * DAY], // aligned: all of it
        [M - 1, M + DAY + 1, M, M + DAY],
        [M + 10 * h, M + 2 * DAY + 5 * h, M + DAY, M + 2 * DAY],
        [M + 10 * h, M + DAY + 5 * h, M + 10 * h, M + 10 * h], // no whole day
        [M + 2 * h, M + 20 * h, M + 2 * h, M + 2 * h],
      ];
      for (const [from, to, start, end] of cases) {
        // Action
        const got = await t.db.transaction(async (tx) => {
          await setLocalSettings(tx, { TimeZone: 'America/Los_Angeles' });
          return (
            await t.db.withClient((_q, raw) =>
              raw.query(
                `SELECT (extract(epoch FROM first_start) * 1000)::float8 AS s, (extract(epoch FROM end_start) * 1000)::float8 AS e, current_setting('TimeZone') AS tz
                 FROM report_period_days($1, $2)`,
                [iso(from), iso(to)],
              ),
            )
          ).rows[0];
        });
        // Assertions
        expect({ from: iso(from), s: iso(got.s), e: iso(got.e), tz: got.tz }).toEqual({
          from: iso(from),
          s: iso(start),
          e: iso(end),
          tz: 'America/Los_Angeles',
        });
      }
    });

    it('give reports equal to aggregating the orders, for whole days, partial days and periods inside one day', async () => {
      // Setup: periods with edges at and off midnight UTC (whole or partial days in the rollup zone), within one day, across one midnight, and the whole span
      const h = 3_600_000;
      const periods: Array<[number, number]> = [
        [BASE - 7 * DAY, BASE + 9 * DAY],
        [BASE - 3 * DAY, BASE + 2 * DAY],
        [BASE - 3 * DAY + 5 * h + 17, BASE + 2 * DAY - 7 * h],
        [BASE + 2 * h, BASE + 20 * h],
        [BASE - 5 * h, BASE + 6 * h],
        [BASE - 1, BASE + DAY + 1],
        [BASE + 13 * h, BASE + DAY + 13 * h],
      ];

      for (const [from, to] of periods) {
        // Action
        const got = await reportsFor(iso(from), iso(to), masterIds);
        const want = await truthFor(iso(from), iso(to), masterIds);

        // Assertions
        expect({ period: [iso(from), iso(to)], ...got }).toEqual({ period: [iso(from), iso(to)], ...want });
      }
      // The data really has something in each kind of period.
      expect((await truthFor(iso(BASE + 2 * h), iso(BASE + 20 * h), masterIds)).created.length).toBeGreaterThan(0);
    });

    it('let connections in different slots write the same day and type at once, and count both', async () => {
      // Setup: three connections; two whose backends fall in different slots
      const insert = `INSERT INTO orders (equipment_type, description, client_name, client_address, client_phone, created_at)
                    VALUES ('oven', 'Rollup slots', 'Client', 'Street 1', '+79001112233', $1)`;
      const day = iso(BASE + 30 * DAY + 3_600_000); // a day no other order of this file is on
      const clients = [new pg.Client(t.url), new pg.Client(t.url), new pg.Client(t.url)];
      await Promise.all(clients.map((c) => c.connect()));
      try {
        const slots = await Promise.all(clients.map(async (c) => (await c.query<{ slot: number }>('SELECT report_rollup_slot() AS slot')).rows[0]!.slot));
        const first = clients[0]!;
        const second = clients[slots.findIndex((s) => s !== slots[0])]!;
        expect(second).toBeDefined();

        // Action: the first holds its new order of the day uncommitted while the second writes one of the same day and type
        await first.query('BEGIN');
        await first.query(insert, [day]);
        await second.query('BEGIN');
        await second.query(`SET LOCAL lock_timeout = '2s'`);
        await second.query(insert, [day]); // on one rollup row this would wait for the first and fail after 2 s
        await second.query('COMMIT');
        await first.query('COMMIT');

        // Assertions: two rows for the cell, and the report counts both
        const cell = await t.db.pool.query(
          `SELECT count(*)::int AS rows, sum(orders)::int AS orders FROM report_created_daily WHERE day = ($1::timestamptz AT TIME ZONE $2::text)::date`,
          [day, zone],
        );
        expect(cell.rows[0]).toEqual({ rows: 2, orders: 2 });
        const created = await countCreatedOrders(t.db, iso(BASE + 30 * DAY), iso(BASE + 31 * DAY));
        expect(created).toEqual([{ status: 'NEW', equipment_type: 'oven', orders: 2 }]);
      } finally {
        await Promise.all(clients.map((c) => c.end()));
      }
    });
  });
});
