import { beforeAll, describe, expect, it } from 'vitest';
import { sumMasterArrivals } from '../../src/masters/master-quality.sql.ts';
import { OrderChangeFeed } from '../../src/orders/order-changes.ts';
import { OrderWorkflow } from '../../src/orders/order-workflow.ts';
import { OrdersService } from '../../src/orders/orders-service.ts';
import { setLocalSettings } from '../../src/seed/settings.sql.ts';
import { ARRIVALS_BEFORE_ROLLUP, ARRIVALS_DIFFERENCES } from '../support/arrival-truth.ts';
import { forEachRollupZone } from '../support/rollup-zones.ts';
import { seededRandom } from '../support/random.ts';
import { makeMaster, makeUser, orderInput } from '../support/fixtures.ts';

/**
 * On-time arrivals (migration 0159): orders.arrived_at must stay each
 * order's first check-in, and report_arrivals_daily what the report's old
 * query (test/support/arrival-truth.ts) counts per day in the rollup zone, after any mix
 * of writes; sumMasterArrivals must give what the old query gives for any
 * period, open ones included.
 */
forEachRollupZone((t, zone) => {
  const DAY = 86_400_000;
  const H = 3_600_000;
  const BASE = Date.UTC(2026, 2, 10);
  const iso = (ms: number) => new Date(ms).toISOString();

  const differences = async () => (await t.db.pool.query(ARRIVALS_DIFFERENCES, [zone])).rows[0] as { cells: number; arrived_at: number; visits: number };

  let masterIds: number[];

  beforeAll(async () => {
    // Setup: 300 orders over 12 days, most with a visit time and a master, with 0-3 check-ins each
    const masters = await Promise.all([1, 2, 3].map((n) => makeMaster(t.db, { name: `Master ${n}` })));
    masterIds = masters.map((m) => m.masterId).sort((a, b) => a - b);
    const rnd = seededRandom(20260311);
    const rows = Array.from({ length: 300 }, () => {
      const scheduled = BASE - 6 * DAY + Math.floor(rnd() * 12 * DAY);
      const master = rnd() < 0.1 ? null : masterIds[Math.floor(rnd() * 3)]!;
      const visit = rnd() >= 0.15;
      return {
        master,
        scheduled: visit ? iso(scheduled) : null,
        until: visit && rnd() < 0.3 ? iso(scheduled + 2 * H) : null,
        checkIns: master === null ? [] : Array.from({ length: Math.floor(rnd() * 4) }, () => iso(scheduled - 3 * H + Math.floor(rnd() * 30 * H))),
      };
    });
    const inserted = await t.db.pool.query<{ id: string }>(
      `INSERT INTO orders (status, master_id, equipment_type, description, client_name, client_address, client_phone, scheduled_at, scheduled_until)
     SELECT CASE WHEN m IS NULL THEN 'NEW' ELSE 'IN_PROGRESS' END::order_status, m, 'oven', 'Arrivals test', 'Client', 'Street 1', '+79001112233', s, u
     FROM unnest($1::int8[], $2::timestamptz[], $3::timestamptz[]) WITH ORDINALITY AS x(m, s, u, n) ORDER BY n RETURNING id`,
      [rows.map((r) => r.master), rows.map((r) => r.scheduled), rows.map((r) => r.until)],
    );
    const ids = inserted.rows.map((r) => Number(r.id));
    // Check-ins in two statements, the later ones first: an order's first check-in often arrives after a later one.
    const sorted = rows.map((r, i) => ({ id: ids[i]!, times: [...r.checkIns].sort() }));
    const insertCheckIns = (pairs: Array<[number, string]>) =>
      t.db.pool.query(
        `INSERT INTO order_status_history (order_id, old_status, new_status, changed_at)
       SELECT o, 'ACCEPTED', 'IN_PROGRESS', c FROM unnest($1::int8[], $2::timestamptz[]) AS x(o, c)`,
        [pairs.map((p) => p[0]), pairs.map((p) => p[1])],
      );
    await insertCheckIns(sorted.flatMap((o) => o.times.slice(1).map((c) => [o.id, c] as [number, string])));
    await insertCheckIns(sorted.flatMap((o) => o.times.slice(0, 1).map((c) => [o.id, c] as [number, string])));
  });

  describe('arrivals rollup', () => {
    it('equals the first check-ins after service transitions, multi-row updates, deletes and history out of order', async () => {
      // Setup: the service, a dispatcher, an admin and a master of its own
      const feed = new OrderChangeFeed();
      const orders = new OrdersService(t.db, feed);
      const workflow = new OrderWorkflow(t.db, feed);
      const dispatcher = await makeUser(t.db, ['DISPATCHER']);
      const admin = await makeUser(t.db, ['ADMIN']);
      const worker = await makeMaster(t.db);
      const soon = iso(Date.now() + H);
      const late = iso(Date.now() - 2 * H);

      // Action: the order's life through the service, in several shapes
      for (let i = 0; i < 6; i++) {
        const { order } = await orders.create(dispatcher, orderInput({ scheduled_at: i % 2 ? late : soon }));
        await workflow.act(dispatcher, order.id, 'assign', { master_id: worker.masterId });
        await workflow.act(worker, order.id, 'accept', {});
        if (i === 5) {
          await workflow.act(dispatcher, order.id, 'refuse', { reason: 'Client changed mind' }); // never arrived
          continue;
        }
        await workflow.act(worker, order.id, 'arrive', {});
        if (i <= 1) {
          await workflow.act(worker, order.id, 'long_repair', { estimated_completion_date: '2030-01-01' });
          // Moved after the arrival: the visit was late, or on time, by the new time.
          await workflow.act(dispatcher, order.id, 'reschedule', { scheduled_at: i === 0 ? late : soon, reason: 'Parts' });
          await workflow.act(worker, order.id, i === 0 ? 'resume' : 'arrive', {}); // a second IN_PROGRESS: not an arrival
        }
        if (i === 2) await workflow.act(dispatcher, order.id, 'refuse', { reason: 'Too expensive' });
        else {
          await workflow.act(worker, order.id, 'complete', { total_amount: '1000', materials_cost: '100', has_review: false, out_of_city: false });
          if (i !== 3) await workflow.act(dispatcher, order.id, 'close', {});
        }
        if (i === 3) {
          await workflow.act(admin, order.id, 'delete', {});
          await workflow.act(admin, order.id, 'restore', {});
        }
        if (i === 4) await workflow.act(admin, order.id, 'delete', {});
      }
      // Action: multi-row writes after the arrivals: another master, moved visits, windows, deletes
      const [m1, m2] = masterIds;
      await t.db.pool.query(`UPDATE orders SET master_id = $1 WHERE arrived_at IS NOT NULL AND master_id <> $1 AND id % 5 = 0`, [m2]);
      await t.db.pool.query(`UPDATE orders SET scheduled_at = scheduled_at - interval '2 days' WHERE arrived_at IS NOT NULL AND id % 4 = 1`);
      await t.db.pool.query(`UPDATE orders SET scheduled_until = scheduled_at + interval '3 days' WHERE id % 4 = 2 AND scheduled_at IS NOT NULL`);
      await t.db.pool.query(`UPDATE orders SET scheduled_at = NULL, scheduled_until = NULL WHERE id % 13 = 0 AND status = 'IN_PROGRESS'`);
      await t.db.pool.query(`UPDATE orders SET master_id = $1 WHERE id % 17 = 0 AND status = 'IN_PROGRESS'`, [m1]);
      await t.db.pool.query(`UPDATE orders SET deleted_at = now() WHERE id % 9 = 4`);
      await t.db.pool.query(`UPDATE orders SET deleted_at = NULL WHERE id % 18 = 4`);
      await t.db.pool.query(`DELETE FROM orders WHERE id % 11 = 3`);
      // Action: an earlier check-in inserted after the first one known, and history rows changed or removed
      await t.db.pool.query(
        `INSERT INTO order_status_history (order_id, old_status, new_status, changed_at)
       SELECT id, 'ACCEPTED', 'IN_PROGRESS', arrived_at - interval '30 hours' FROM orders WHERE arrived_at IS NOT NULL AND id % 7 = 0`,
      );
      await t.db.pool.query(
        `DELETE FROM order_status_history h WHERE h.new_status = 'IN_PROGRESS' AND h.order_id % 10 = 6
         AND h.changed_at = (SELECT arrived_at FROM orders o WHERE o.id = h.order_id)`,
      );
      await t.db.pool.query(
        `UPDATE order_status_history SET changed_at = changed_at + interval '2 days' WHERE new_status = 'IN_PROGRESS' AND order_id % 8 = 3`,
      );

      // Assertions: every rollup cell and every arrived_at as the history says, and there was something to count
      const got = await differences();
      expect(got.cells).toBe(0);
      expect(got.arrived_at).toBe(0);
      expect(got.visits).toBeGreaterThan(100);
    });

    it('gives the old query figures for periods at and off midnight UTC, inside one day, open-ended and all time', async () => {
      // Setup: periods (null: open), in a session time zone far from UTC, for all masters and for some
      const periods: Array<[number | null, number | null]> = [
        [null, null],
        [BASE - 2 * DAY, null],
        [null, BASE + DAY + 5 * H],
        [BASE - 7 * DAY, BASE + 9 * DAY],
        [BASE - 3 * DAY, BASE + 2 * DAY],
        [BASE - 3 * DAY + 5 * H + 17, BASE + 2 * DAY - 7 * H],
        [BASE + 2 * H, BASE + 20 * H],
        [BASE - 5 * H, BASE + 6 * H],
        [BASE - 1, BASE + DAY + 1],
      ];
      const sort = (rows: Array<{ master_id: unknown; visits: number; on_time: number }>) =>
        rows.map((r) => ({ master_id: Number(r.master_id), visits: r.visits, on_time: r.on_time })).sort((a, b) => a.master_id - b.master_id);
      let seen = 0;
      for (const [from, to] of periods) {
        for (const ids of [null, masterIds.slice(0, 2)]) {
          const p = { masterIds: ids, from: from === null ? null : iso(from), to: to === null ? null : iso(to) };
          // Action
          const got = await t.db.transaction(async (tx) => {
            await setLocalSettings(tx, { TimeZone: 'Asia/Vladivostok' });
            return sumMasterArrivals(tx, p);
          });
          const want = await t.db.pool.query(ARRIVALS_BEFORE_ROLLUP, [p.masterIds, p.from, p.to]);
          // Assertions
          expect({ ...p, rows: sort(got) }).toEqual({ ...p, rows: sort(want.rows) });
          seen += want.rows.length;
        }
      }
      expect(seen).toBeGreaterThan(20);
      // A period inside one day really has visits.
      expect((await t.db.pool.query(ARRIVALS_BEFORE_ROLLUP, [null, iso(BASE + 2 * H), iso(BASE + 20 * H)])).rows.length).toBeGreaterThan(0);
    });

    it('is rebuilt as the triggers keep it', async () => {
      // Setup: the rollup as the writes above left it
      const before = (await t.db.pool.query(`SELECT * FROM report_arrivals_daily WHERE visits <> 0 OR on_time <> 0 ORDER BY day, master_id`)).rows;
      // Action
      await t.db.pool.query('SELECT report_rollups_rebuild()');
      // Assertions
      const after = (await t.db.pool.query(`SELECT * FROM report_arrivals_daily ORDER BY day, master_id`)).rows;
      expect(after).toEqual(before);
      expect(after.length).toBeGreaterThan(10);
    });
  });
});
