import type { Queryable } from '../db/database.ts';
import { defineQuery } from '../db/query.ts';
import type { PageKey } from './list-orders.sql.ts';
import { ORDER_VIEW_COLUMNS, ORDER_VIEW_JOINS, ORDER_VIEW_SELECT } from './order-view.ts';

/**
 * Deleted orders, the most recently deleted first (keyset on deleted_at,
 * id; orders_deleted_idx), each with who deleted it and why, from its
 * latest delete audit row.
 */
const listDeletedOrdersQuery = defineQuery({
  name: 'orders.list_deleted_orders',
  params: { afterDeletedAt: 'timestamptz', afterId: 'int8', limit: 'int4' },
  columns: { ...ORDER_VIEW_COLUMNS, deleted_at: 'timestamptz?', delete_reason: 'text?', deleted_by: 'text?' },
  text: `
SELECT ${ORDER_VIEW_SELECT}, o.deleted_at, del.reason AS delete_reason, del.actor_name AS deleted_by
FROM (
  SELECT * FROM orders o
  WHERE o.deleted_at IS NOT NULL AND (o.deleted_at, o.id) < ($1::timestamptz, $2::int8)
  ORDER BY o.deleted_at DESC, o.id DESC
  LIMIT $3::int4
) o ${ORDER_VIEW_JOINS}
LEFT JOIN LATERAL (
  SELECT a.details ->> 'note' AS reason, u.name AS actor_name
  FROM audit_log a LEFT JOIN users u ON u.id = a.actor_id
  WHERE a.entity_type = 'order' AND a.entity_id = o.id AND a.action = 'order.delete'
  ORDER BY a.created_at DESC, a.id DESC
  LIMIT 1
) del ON true
ORDER BY o.deleted_at DESC, o.id DESC`,
});

export type DeletedOrder = Awaited<ReturnType<typeof listDeletedOrders>>[number];

export function listDeletedOrders(db: Queryable, after: PageKey, limit: number) {
  return db.many(listDeletedOrdersQuery, { afterDeletedAt: after.createdAt, afterId: after.id, limit });
}
