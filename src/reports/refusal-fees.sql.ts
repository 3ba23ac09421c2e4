import type { Queryable } from '../db/database.ts';
import { defineQuery } from '../db/query.ts';

const sumRefusalFeesQuery = defineQuery({
  name: 'reports.sum_refusal_fees',
  params: { from: 'timestamptz', to: 'timestamptz' },
  columns: { orders: 'int4', fee: 'numeric', master_share: 'numeric', company_share: 'numeric' },
  // Fees clients paid on refusing on site, by when they refused, on orders_refusal_fee_period_idx.
  text: `SELECT count(*)::int4 AS orders, COALESCE(sum(o.refusal_fee), 0)::numeric AS fee,
  COALESCE(sum(o.refusal_master_share), 0)::numeric AS master_share, COALESCE(sum(o.refusal_company_share), 0)::numeric AS company_share
FROM orders o
WHERE o.refused_at >= $1::timestamptz AND o.refused_at < $2::timestamptz AND o.refusal_fee IS NOT NULL AND o.deleted_at IS NULL`,
});

/** Refusals on site with a fee in [from, to): how many, the fees and their split. */
export function sumRefusalFees(db: Queryable, from: string, to: string) {
  return db.one(sumRefusalFeesQuery, { from, to });
}
