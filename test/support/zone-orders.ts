import type { Database } from '../../src/db/database.ts';

/**
 * Orders created every 37 minutes over [from, to), for the rollup zone
 * tests: of each five, one NEW, one REFUSED with a fee (3 h after creation),
 * two CLOSED (5 h after), one IN_PROGRESS; all but the new ones with a visit
 * time and a first check-in (arrived_at) up to 80 minutes from creation, and
 * one of the two masters. The triggers keep the rollups.
 */
export async function insertOrdersEvery37Minutes(db: Database, from: string, to: string, masters: [number, number]): Promise<void> {
  await db.pool.query(
    `INSERT INTO orders (status, equipment_type, master_id, description, client_name, client_address, client_phone, refuse_reason, created_at,
                         completed_at, closed_at, total_amount, materials_cost, master_profit, company_profit,
                         refused_at, refusal_fee, refusal_master_share, refusal_company_share, scheduled_at, arrived_at)
     SELECT s, CASE WHEN i % 2 = 0 THEN 'oven' ELSE 'tv' END, CASE WHEN s = 'NEW' THEN NULL WHEN i % 4 < 2 THEN $3::int8 ELSE $4::int8 END,
            'Zone test', 'Client', 'Street 1', '+79001112233', CASE WHEN s = 'REFUSED' THEN 'Дорого' END, c,
            CASE WHEN s = 'CLOSED' THEN c + interval '2 hours' END, CASE WHEN s = 'CLOSED' THEN c + interval '5 hours' END,
            CASE WHEN s = 'CLOSED' THEN 1000.00 END, CASE WHEN s = 'CLOSED' THEN 100.00 END,
            CASE WHEN s = 'CLOSED' THEN 360.00 END, CASE WHEN s = 'CLOSED' THEN 540.00 END,
            CASE WHEN s = 'REFUSED' THEN c + interval '3 hours' END, CASE WHEN s = 'REFUSED' THEN 500.00 END,
            CASE WHEN s = 'REFUSED' THEN 200.00 END, CASE WHEN s = 'REFUSED' THEN 300.00 END,
            CASE WHEN s <> 'NEW' THEN c + interval '1 hour' END, CASE WHEN s <> 'NEW' THEN c + (i % 5) * interval '20 minutes' END
     FROM (SELECT i, $1::timestamptz + i * interval '37 minutes' AS c,
                  (CASE i % 5 WHEN 0 THEN 'NEW' WHEN 1 THEN 'REFUSED' WHEN 4 THEN 'IN_PROGRESS' ELSE 'CLOSED' END)::order_status AS s
           FROM generate_series(0, (extract(epoch FROM $2::timestamptz - $1::timestamptz) / 2220)::int) AS i) x
     WHERE c < $2::timestamptz`,
    [from, to, masters[0], masters[1]],
  );
}
