/**
 * Ground truth for the daily report rollups (migrations 0009, 0131, 0158,
 * 0160): each rollup's live cells, and the same figures aggregated straight
 * from orders by the local date in the zone $1. ROLLUP_DIFFERENCES gives one
 * row per rollup with the number of cells that differ either way (0 when
 * exact), and money left in cells whose orders cancelled out.
 */
const MONEY = 'count(*), sum(total_amount), sum(materials_cost), sum(master_profit), sum(company_profit)';
const CLOSED = `FROM orders WHERE status = 'CLOSED' AND deleted_at IS NULL GROUP BY 1, 2`;
const ROLLUP_TRUTH: Record<string, [string, string]> = {
  created: [
    // A cell is the sum of its slots (migration 0158).
    'SELECT day, status, equipment_type, sum(orders)::int8 FROM report_created_daily GROUP BY 1, 2, 3 HAVING sum(orders) <> 0',
    `SELECT (created_at AT TIME ZONE $1::text)::date, status, equipment_type, count(*) FROM orders WHERE deleted_at IS NULL GROUP BY 1, 2, 3`,
  ],
  'closed by master': [
    'SELECT day, master_id, orders, revenue, materials, master_share, company_share FROM report_closed_daily_master WHERE orders <> 0',
    `SELECT (closed_at AT TIME ZONE $1::text)::date, master_id, ${MONEY} ${CLOSED}`,
  ],
  'closed by equipment': [
    `SELECT day, equipment_type, sum(orders)::int8, sum(revenue), sum(materials), sum(master_share), sum(company_share)
     FROM report_closed_daily_equipment GROUP BY 1, 2 HAVING sum(orders) <> 0`,
    `SELECT (closed_at AT TIME ZONE $1::text)::date, equipment_type, ${MONEY} ${CLOSED}`,
  ],
  'completed by master': [
    'SELECT day, master_id, orders FROM report_completed_daily_master WHERE orders <> 0',
    `SELECT (completed_at AT TIME ZONE $1::text)::date, master_id, count(*) FROM orders WHERE completed_at IS NOT NULL AND deleted_at IS NULL GROUP BY 1, 2`,
  ],
  'refusal fees': [
    'SELECT day, master_id, orders, fee, master_share, company_share FROM report_refusal_fees_daily WHERE orders <> 0',
    `SELECT (refused_at AT TIME ZONE $1::text)::date, COALESCE(master_id, 0), count(*), sum(refusal_fee), sum(refusal_master_share), sum(refusal_company_share)
     FROM orders WHERE refusal_fee IS NOT NULL AND deleted_at IS NULL GROUP BY 1, 2`,
  ],
};

export const ROLLUP_DIFFERENCES = [
  ...Object.entries(ROLLUP_TRUTH).map(
    ([name, [rollup, truth]]) =>
      `SELECT '${name}' AS rollup, count(*)::int AS n FROM ((${rollup} EXCEPT ALL ${truth}) UNION ALL (${truth} EXCEPT ALL ${rollup})) d`,
  ),
  `SELECT 'leftover money', count(*)::int FROM (SELECT FROM report_closed_daily_equipment GROUP BY day, equipment_type
     HAVING sum(orders) = 0 AND (sum(revenue) <> 0 OR sum(materials) <> 0)) c`,
].join(' UNION ALL ');

/** What ROLLUP_DIFFERENCES gives for exact rollups. */
export const NO_DIFFERENCES = [...Object.keys(ROLLUP_TRUTH), 'leftover money'].map((rollup) => ({ rollup, n: 0 }));
