import { beforeAll, describe, expect, it } from 'vitest';
import { listRefusalFeesByMaster, sumRefusalFees } from '../../src/reports/refusal-fees.sql.ts';
import { setLocalSettings } from '../../src/seed/settings.sql.ts';
import { forEachRollupZone } from '../support/rollup-zones.ts';
import { makeMaster, makeUser } from '../support/fixtures.ts';
import { orderDriver } from '../support/money.ts';

/**
 * The refusal-fee rollup (migration 0131) must stay equal to the orders after
 * any mix of writes, and the period sums that combine it with the raw partial
 * days must equal a plain aggregate over orders for any period.
 */
forEachRollupZone((t, zone) => {
  const DAY = 86_400_000;
  const BASE = Date.UTC(2026, 10, 10);
  const iso = (ms: number) => new Date(ms).toISOString();

  const ROLLUP = `SELECT day, master_id, orders, fee, master_share, company_share FROM report_refusal_fees_daily WHERE orders <> 0`;
  const TRUTH = `SELECT (refused_at AT TIME ZONE $1::text)::date, COALESCE(master_id, 0), count(*), sum(refusal_fee), sum(refusal_master_share), sum(refusal_company_share)
  FROM orders WHERE refusal_fee IS NOT NULL AND deleted_at IS NULL GROUP BY 1, 2`;
  const differences = async () =>
    (await t.db.pool.query(`SELECT count(*)::int AS n FROM ((${ROLLUP} EXCEPT ALL ${TRUTH}) UNION ALL (${TRUTH} EXCEPT ALL ${ROLLUP})) d`, [zone])).rows[0]
      .n as number;

  const RAW_SUM = `SELECT count(*)::int AS orders, COALESCE(sum(refusal_fee), 0)::text AS fee, COALESCE(sum(refusal_master_share), 0)::text AS master_share,
  COALESCE(sum(refusal_company_share), 0)::text AS company_share
  FROM orders WHERE refusal_fee IS NOT NULL AND deleted_at IS NULL AND refused_at >= $1 AND refused_at < $2`;
  const RAW_BY_MASTER = `SELECT master_id::int8 AS master_id, count(*)::int AS orders, sum(refusal_fee)::text AS fee, sum(refusal_master_share)::text AS master_share,
  sum(refusal_company_share)::text AS company_share
  FROM orders WHERE refusal_fee IS NOT NULL AND deleted_at IS NULL AND master_id IS NOT NULL AND refused_at >= $1 AND refused_at < $2
  GROUP BY 1 ORDER BY 1`;

  let masterIds: number[];

  beforeAll(async () => {
    // Setup: 60 refusals over 10 days, most with a fee, some without a master
    const masters = await Promise.all([1, 2].map((n) => makeMaster(t.db, { name: `Master ${n}` })));
    masterIds = masters.map((m) => m.masterId);
    const rows = Array.from({ length: 60 }, (_, i) => {
      const fee = i % 5 === 0 ? null : 500 + i * 37;
      const master = fee === null ? null : Math.floor(fee * (i % 4 === 0 ? 0.4 : 0.5));
      return {
        master: i % 7 === 3 ? null : masterIds[i % 2]!,
        // Every 4 h 3 min from four days before BASE: crosses midnights at odd hours.
        refused: iso(BASE - 4 * DAY + i * 243 * 60_000),
        fee: fee?.toFixed(2) ?? null,
        masterShare: master?.toFixed(2) ?? null,
        companyShare: fee === null ? null : (fee - master!).toFixed(2),
      };
    });
    await t.db.pool.query(
      `INSERT INTO orders (status, equipment_type, master_id, description, client_name, client_address, client_phone, refuse_reason,
                         created_at, refused_at, refusal_fee, refusal_master_share, refusal_company_share)
     SELECT 'REFUSED', 'washing_machine', m, 'Rollup test', 'Client', 'Street 1', '+79001112233', 'Дорого',
            r - interval '2 hours', r, f, ms, cs
     FROM unnest($1::int8[], $2::timestamptz[], $3::numeric[], $4::numeric[], $5::numeric[]) AS x(m, r, f, ms, cs)`,
      [rows.map((r) => r.master), rows.map((r) => r.refused), rows.map((r) => r.fee), rows.map((r) => r.masterShare), rows.map((r) => r.companyShare)],
    );
  });

  describe('refusal-fee rollups', () => {
    it('equal the orders after inserts, updates, reopening, soft and hard deletes, a refusal through the workflow and a rebuild', async () => {
      // Action: writes of every kind, several touching many rows and days at once
      await t.db.pool.query(`UPDATE orders SET refused_at = refused_at + interval '19 hours' WHERE id % 6 = 1 AND refusal_fee IS NOT NULL`);
      await t.db.pool.query(`UPDATE orders SET master_id = $1 WHERE id % 5 = 2 AND refusal_fee IS NOT NULL`, [masterIds[1]]);
      await t.db.pool.query(
        `UPDATE orders SET refusal_master_share = refusal_master_share + 10, refusal_company_share = refusal_company_share - 10 WHERE id % 3 = 0 AND refusal_fee IS NOT NULL`,
      );
      // Reopened: the fee goes with the refusal.
      await t.db.pool.query(
        `UPDATE orders SET status = 'NEW', master_id = NULL, refuse_reason = NULL, refusal_fee = NULL, refusal_master_share = NULL, refusal_company_share = NULL, fee_handed_over_at = NULL
       WHERE id % 8 = 5`,
      );
      await t.db.pool.query(`UPDATE orders SET deleted_at = now() WHERE id % 9 = 4`);
      await t.db.pool.query(`UPDATE orders SET deleted_at = NULL WHERE id % 18 = 4`);
      await t.db.pool.query(`UPDATE orders SET fee_handed_over_at = now() WHERE id % 2 = 0 AND refusal_fee IS NOT NULL`); // touches no cell
      await t.db.pool.query(`DELETE FROM orders WHERE id % 11 = 3`);
      const admin = await makeUser(t.db, ['ADMIN']);
      const drive = orderDriver(t.db, admin);
      const worker = await makeMaster(t.db);
      const onSite = await drive.started(worker, 'washing_machine');
      await drive.workflow.act(worker, onSite, 'client_refused', { reason: 'Дорого', fee: '1500.00' });
      const live = await differences();
      await t.db.pool.query(`SELECT report_rollups_rebuild()`);
      const rebuilt = await differences();
      const workflowRow = await t.db.pool.query(
        `SELECT orders::int, fee::text, master_share::text, company_share::text FROM report_refusal_fees_daily WHERE master_id = $1`,
        [worker.masterId],
      );

      // Assertions
      expect(live).toBe(0);
      expect(rebuilt).toBe(0);
      // The default refusal-fee rule: 40% of a fee under 7 000 to the master.
      expect(workflowRow.rows).toEqual([{ orders: 1, fee: '1500.00', master_share: '600.00', company_share: '900.00' }]);
    });

    it('sum a period from whole days and raw partial days exactly as the orders do, whatever the session time zone', async () => {
      // Setup: aligned, unaligned, within one day, spanning all data
      const h = 3_600_000;
      const periods: Array<[number, number]> = [
        [BASE - 2 * DAY, BASE + DAY],
        [BASE - 3 * DAY + 5 * h, BASE + 2 * DAY + 7 * h],
        [BASE + 2 * h, BASE + 20 * h],
        [BASE - 10 * DAY, BASE + 10 * DAY],
      ];
      for (const [from, to] of periods) {
        // Action
        const got = await t.db.transaction(async (tx) => {
          await setLocalSettings(tx, { TimeZone: 'Asia/Vladivostok' });
          return { sum: await sumRefusalFees(tx, iso(from), iso(to)), byMaster: await listRefusalFeesByMaster(tx, iso(from), iso(to)) };
        });
        const sum = (await t.db.pool.query(RAW_SUM, [iso(from), iso(to)])).rows[0];
        const byMaster = (await t.db.pool.query(RAW_BY_MASTER, [iso(from), iso(to)])).rows;
        // Assertions
        const amount = (s: string) => Number(s).toFixed(2);
        expect(
          { ...got.sum, fee: amount(got.sum.fee), master_share: amount(got.sum.master_share), company_share: amount(got.sum.company_share) },
          `${iso(from)}..${iso(to)}`,
        ).toEqual({
          orders: sum.orders,
          fee: amount(sum.fee),
          master_share: amount(sum.master_share),
          company_share: amount(sum.company_share),
        });
        expect(
          got.byMaster.map((r) => ({
            master_id: r.master_id,
            orders: r.orders,
            fee: amount(r.fee),
            master_share: amount(r.master_share),
            company_share: amount(r.company_share),
          })),
        ).toEqual(
          byMaster.map((r) => ({
            master_id: Number(r.master_id),
            orders: r.orders,
            fee: amount(r.fee),
            master_share: amount(r.master_share),
            company_share: amount(r.company_share),
          })),
        );
        expect(sum.orders).toBeGreaterThan(0);
      }
    });
  });
});
