import type { Queryable } from '../db/database.ts';
import type { OrderStatus } from '../db/enums.ts';
import { defineQuery } from '../db/query.ts';

/**
 * Orders per status for the staff's filter buttons ("Новый (3)"). One
 * index-only count per status on orders_status_created_idx, so the cost
 * follows the orders in those statuses. Closed and refused orders pile up
 * for years: their buttons are drawn without a count (see order-lists.ts).
 */
const countOrdersByStatusQuery = defineQuery({
  name: 'bot.count_orders_by_status',
  params: { statuses: 'order_status[]' },
  columns: { status: 'order_status', orders: 'int8' },
  text: `
SELECT s.status, (SELECT count(*) FROM orders o WHERE o.status = s.status AND o.deleted_at IS NULL) AS orders
FROM unnest($1::order_status[]) AS s(status)`,
});

export function countOrdersByStatus(db: Queryable, statuses: readonly OrderStatus[]): Promise<Array<{ status: OrderStatus; orders: number }>> {
  return db.many(countOrdersByStatusQuery, { statuses: [...statuses] });
}
