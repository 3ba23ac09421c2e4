import type { Queryable } from '../db/database.ts';
import { defineQuery } from '../db/query.ts';
import { ORDER_VIEW_COLUMNS, ORDER_VIEW_JOINS, ORDER_VIEW_SELECT, type OrderView } from './order-view.ts';

/**
 * Orders by the number people quote: ours, or the legacy bot's number of an
 * imported order (legacy_orders: one per city it was imported from), newest
 * first. A primary-key lookup and the legacy id index: the candidate ids
 * are gathered first, as an array the primary key is probed with. Written
 * as "id = $1 OR id IN (legacy ids)" the OR kept the planner from either
 * index, and "#500000" read every order (1.2 s at 1,000,000 orders).
 */
const findOrdersByNumberQuery = defineQuery({
  name: 'orders.find_orders_by_number',
  params: { number: 'int8' },
  columns: ORDER_VIEW_COLUMNS,
  text: `
SELECT ${ORDER_VIEW_SELECT}
FROM orders o ${ORDER_VIEW_JOINS}
WHERE o.deleted_at IS NULL
  AND o.id = ANY (ARRAY(SELECT $1::int8 UNION SELECT l.order_id FROM legacy_orders l WHERE l.legacy_id = $1::int8))
ORDER BY o.created_at DESC, o.id DESC`,
});

export function findOrdersByNumber(db: Queryable, number: number): Promise<OrderView[]> {
  return db.many(findOrdersByNumberQuery, { number });
}
