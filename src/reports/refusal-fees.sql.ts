import type { Queryable } from '../db/database.ts';
import { defineQuery } from '../db/query.ts';
import { EDGES, WHOLE_DAYS } from './reports.sql.ts';

/**
 * Refusals on site with a fee, by when the client refused: whole days of
 * the stored rollup zone from report_refusal_fees_daily (migrations 0131,
 * 0160), the rest of the period from orders on orders_refusal_fee_period_idx,
 * as the other period reports (reports.sql.ts). master_id 0 in the rollup:
 * no master.
 */
const FEES_BY_MASTER = `
SELECT master_id, sum(orders) AS orders, sum(fee) AS fee, sum(master_share) AS master_share, sum(company_share) AS company_share
FROM (
  SELECT master_id, orders, fee, master_share, company_share FROM report_refusal_fees_daily WHERE ${WHOLE_DAYS}
  UNION ALL
  SELECT e.* FROM ${EDGES} CROSS JOIN LATERAL (
    SELECT COALESCE(master_id, 0), count(*), sum(refusal_fee), sum(refusal_master_share), sum(refusal_company_share)
    FROM orders
    WHERE refusal_fee IS NOT NULL AND deleted_at IS NULL AND refused_at >= edge.lo AND refused_at < edge.hi
    GROUP BY 1
  ) e
) parts
GROUP BY master_id
HAVING sum(orders) > 0`;

const sumRefusalFeesQuery = defineQuery({
  name: 'reports.sum_refusal_fees',
  params: { from: 'timestamptz', to: 'timestamptz' },
  columns: { orders: 'int4', fee: 'numeric', master_share: 'numeric', company_share: 'numeric' },
  text: `SELECT COALESCE(sum(f.orders), 0)::int4 AS orders, COALESCE(sum(f.fee), 0)::numeric AS fee,
  COALESCE(sum(f.master_share), 0)::numeric AS master_share, COALESCE(sum(f.company_share), 0)::numeric AS company_share
FROM (${FEES_BY_MASTER}) f`,
});

/** Refusals on site with a fee in [from, to): how many, the fees and their split. */
export function sumRefusalFees(db: Queryable, from: string, to: string) {
  return db.one(sumRefusalFeesQuery, { from, to });
}

const listRefusalFeesByMasterQuery = defineQuery({
  name: 'reports.list_refusal_fees_by_master',
  params: { from: 'timestamptz', to: 'timestamptz' },
  columns: { master_id: 'int8', master_name: 'text', orders: 'int4', fee: 'numeric', master_share: 'numeric', company_share: 'numeric' },
  // Names joined per master after aggregation; fees without a master are in the sum above only.
  text: `SELECT m.id AS master_id, u.name AS master_name, f.orders::int4 AS orders, f.fee::numeric AS fee,
  f.master_share::numeric AS master_share, f.company_share::numeric AS company_share
FROM (${FEES_BY_MASTER}) f
JOIN masters m ON m.id = f.master_id
JOIN users u ON u.id = m.user_id
ORDER BY m.id`,
});

/** Per master: refusal fees taken in [from, to) and their split. */
export function listRefusalFeesByMaster(db: Queryable, from: string, to: string) {
  return db.many(listRefusalFeesByMasterQuery, { from, to });
}
