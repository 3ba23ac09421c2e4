import type { Queryable } from '../db/database.ts';
import { defineQuery } from '../db/query.ts';
import { ORDER_VIEW_COLUMNS, ORDER_VIEW_JOINS, ORDER_VIEW_SELECT, type OrderView } from './order-view.ts';

/**
 * Orders by the number people quote: ours, or the legacy bot's number of an
 * imported order (legacy_orders: one per city it was imported from), newest
 * first. A primary-key lookup and the legacy id index.
 */
const findOrdersByNumberQuery = defineQuery({
  name: 'orders.find_orders_by_number',
  params: { number: 'int8' },
  columns: ORDER_VIEW_COLUMNS,
  text: `
SELECT ${ORDER_VIEW_SELECT}
FROM orders o ${ORDER_VIEW_JOINS}
WHERE o.deleted_at IS NULL
  AND (o.id = $1::int8 OR o.id IN (SELECT l.order_id FROM legacy_orders l WHERE l.legacy_id = $1::int8))
ORDER BY o.created_at DESC, o.id DESC`,
});

export function findOrdersByNumber(db: Queryable, number: number): Promise<OrderView[]> {
  return db.many(findOrdersByNumberQuery, { number });
}
