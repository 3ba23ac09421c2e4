import type { Queryable } from '../db/database.ts';
import { defineQuery } from '../db/query.ts';
import { statusArraySql, STATUS_SETS } from '../orders/order-statuses.ts';

const countActiveOrdersQuery = defineQuery({
  name: 'reports.count_active_orders',
  params: {},
  columns: { status: 'order_status', equipment_type: 'text', orders: 'int4' },
  // One backward probe per open status on orders_status_created_idx.
  text: `SELECT o.status, o.equipment_type, count(*)::int4 AS orders
FROM orders o
WHERE o.status = ANY (${statusArraySql(STATUS_SETS.open)}) AND o.deleted_at IS NULL
GROUP BY o.status, o.equipment_type`,
});

/** Orders not finished yet, by status and equipment type. */
export function countActiveOrders(db: Queryable) {
  return db.many(countActiveOrdersQuery, {});
}
