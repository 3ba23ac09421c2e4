import type { Queryable } from '../db/database.ts';
import { defineQuery } from '../db/query.ts';

/** Client links, the clients of an order and their ratings (migration 0081). */

const saveClientLinkQuery = defineQuery({
  name: 'clients.save_client_link',
  params: { orderId: 'int8', tokenHash: 'bytea', actorId: 'int8', ttlDays: 'int4' },
  columns: { order_id: 'int8', expires_at: 'timestamptz' },
  text: `
WITH saved AS (
  INSERT INTO order_client_links (order_id, token_hash, created_by, expires_at)
  SELECT o.id, $2::bytea, $3::int8, now() + make_interval(days => $4::int4)
  FROM orders o WHERE o.id = $1::int8 AND o.deleted_at IS NULL
  ON CONFLICT (order_id) DO UPDATE
    SET token_hash = EXCLUDED.token_hash, created_by = EXCLUDED.created_by, created_at = now(), expires_at = EXCLUDED.expires_at
  RETURNING order_id, expires_at
),
audit AS (
  INSERT INTO audit_log (actor_id, action, entity_type, entity_id, details)
  SELECT $3::int8, 'order.client_link', 'order', order_id, jsonb_build_object('expires_at', expires_at) FROM saved
)
SELECT order_id, expires_at FROM saved`,
});

/** A new link for the order, replacing any earlier one; null when there is no such order. */
export function saveClientLink(db: Queryable, p: { orderId: number; tokenHash: Buffer; actorId: number; ttlDays: number }) {
  return db.maybeOne(saveClientLinkQuery, p);
}

const redeemClientLinkQuery = defineQuery({
  name: 'clients.redeem_client_link',
  params: { tokenHash: 'bytea', userId: 'int8', chatId: 'int8' },
  columns: { order_id: 'int8', first_time: 'bool' },
  text: `
WITH link AS (
  SELECT l.order_id FROM order_client_links l JOIN orders o ON o.id = l.order_id
  WHERE l.token_hash = $1::bytea AND l.expires_at > now() AND o.deleted_at IS NULL
),
linked AS (
  INSERT INTO order_clients (order_id, user_id, chat_id)
  SELECT order_id, $2::int8, $3::int8 FROM link
  ON CONFLICT (order_id, user_id) DO UPDATE SET chat_id = EXCLUDED.chat_id
  RETURNING order_id, (xmax = 0) AS first_time
),
audit AS (
  INSERT INTO audit_log (actor_id, action, entity_type, entity_id, details)
  SELECT $2::int8, 'order.client_joined', 'order', order_id, '{}'::jsonb FROM linked WHERE first_time
)
SELECT order_id, first_time FROM linked`,
});

/** Makes the user a client of the link's order; null for an unknown, replaced or expired link. */
export function redeemClientLink(db: Queryable, p: { tokenHash: Buffer; userId: number; chatId: number }) {
  return db.maybeOne(redeemClientLinkQuery, p);
}

/** What a client may see of their order: no address book, no master's phone, no money but what they pay. */
export const CLIENT_ORDER_COLUMNS = {
  id: 'int8',
  status: 'order_status',
  equipment_type: 'text',
  scheduled_at: 'timestamptz?',
  scheduled_note: 'text?',
  reschedule_count: 'int4',
  master_first_name: 'text?',
  total_amount: 'numeric?',
  prepayment_amount: 'numeric?',
  rating: 'int2?',
} as const;

const CLIENT_ORDER_SELECT = `
  o.id, o.status, o.equipment_type, o.scheduled_at, o.scheduled_note, o.reschedule_count,
  split_part(mu.name, ' ', 1) AS master_first_name, o.total_amount, o.prepayment_amount, r.score AS rating
FROM order_clients c
JOIN orders o ON o.id = c.order_id AND o.deleted_at IS NULL
LEFT JOIN masters m ON m.id = o.master_id
LEFT JOIN users mu ON mu.id = m.user_id
LEFT JOIN order_ratings r ON r.order_id = o.id`;

const findClientOrderQuery = defineQuery({
  name: 'clients.find_client_order',
  params: { orderId: 'int8', userId: 'int8' },
  columns: CLIENT_ORDER_COLUMNS,
  text: `SELECT ${CLIENT_ORDER_SELECT} WHERE c.order_id = $1::int8 AND c.user_id = $2::int8`,
});

/** The order as its client sees it; null when this user is not its client (or it is gone). */
export function findClientOrder(db: Queryable, orderId: number, userId: number) {
  return db.maybeOne(findClientOrderQuery, { orderId, userId });
}

const listClientOrdersQuery = defineQuery({
  name: 'clients.list_client_orders',
  params: { userId: 'int8' },
  columns: CLIENT_ORDER_COLUMNS,
  text: `SELECT ${CLIENT_ORDER_SELECT} WHERE c.user_id = $1::int8 ORDER BY c.linked_at DESC, o.id DESC LIMIT 10`,
});

/** A client's orders, the latest link first. */
export function listClientOrders(db: Queryable, userId: number) {
  return db.many(listClientOrdersQuery, { userId });
}

const listOrderClientsQuery = defineQuery({
  name: 'clients.list_order_clients',
  params: { orderId: 'int8' },
  columns: { user_id: 'int8', chat_id: 'int8', language: 'text' },
  text: `
SELECT c.user_id, c.chat_id, u.language
FROM order_clients c JOIN users u ON u.id = c.user_id AND u.deleted_at IS NULL
WHERE c.order_id = $1::int8
ORDER BY c.linked_at`,
});

/** The chats that hear of an order's progress. */
export function listOrderClients(db: Queryable, orderId: number) {
  return db.many(listOrderClientsQuery, { orderId });
}

const insertRatingQuery = defineQuery({
  name: 'clients.insert_rating',
  params: { orderId: 'int8', userId: 'int8', score: 'int2', comment: 'text?' },
  columns: { order_id: 'int8', master_id: 'int8', score: 'int2', comment: 'text?' },
  text: `
WITH rated AS (
  INSERT INTO order_ratings (order_id, user_id, master_id, score, comment)
  SELECT o.id, c.user_id, o.master_id, $3::int2, $4::text
  FROM order_clients c JOIN orders o ON o.id = c.order_id
  WHERE c.order_id = $1::int8 AND c.user_id = $2::int8
    AND o.deleted_at IS NULL AND o.master_id IS NOT NULL AND o.status IN ('COMPLETED', 'CLOSED')
  ON CONFLICT (order_id) DO NOTHING
  RETURNING order_id, master_id, score, comment
),
audit AS (
  INSERT INTO audit_log (actor_id, action, entity_type, entity_id, details)
  SELECT $2::int8, 'order.rated', 'order', order_id, jsonb_build_object('score', score, 'has_comment', comment IS NOT NULL) FROM rated
)
SELECT order_id, master_id, score, comment FROM rated`,
});

/** Records the client's rating; null when not theirs to rate now (not done, not their order, already rated). */
export function insertRating(db: Queryable, p: { orderId: number; userId: number; score: number; comment: string | null }) {
  return db.maybeOne(insertRatingQuery, p);
}

const addRatingCommentQuery = defineQuery({
  name: 'clients.add_rating_comment',
  params: { orderId: 'int8', userId: 'int8', comment: 'text' },
  columns: { order_id: 'int8', master_id: 'int8', score: 'int2', comment: 'text?' },
  text: `
UPDATE order_ratings SET comment = $3::text
WHERE order_id = $1::int8 AND user_id = $2::int8 AND comment IS NULL
RETURNING order_id, master_id, score, comment`,
});

/** The optional comment after the score, once. */
export function addRatingComment(db: Queryable, p: { orderId: number; userId: number; comment: string }) {
  return db.maybeOne(addRatingCommentQuery, p);
}

const findOrderClientInfoQuery = defineQuery({
  name: 'clients.find_order_client_info',
  params: { orderId: 'int8' },
  columns: { clients: 'int4', link_expires_at: 'timestamptz?', score: 'int2?', comment: 'text?', rated_at: 'timestamptz?' },
  text: `
SELECT (SELECT count(*)::int4 FROM order_clients c WHERE c.order_id = o.id) AS clients,
       l.expires_at AS link_expires_at, r.score, r.comment, r.created_at AS rated_at
FROM orders o
LEFT JOIN order_client_links l ON l.order_id = o.id
LEFT JOIN order_ratings r ON r.order_id = o.id
WHERE o.id = $1::int8 AND o.deleted_at IS NULL`,
});

/** Staff's view of an order's client side: how many clients follow it, its link's expiry, its rating. */
export function findOrderClientInfo(db: Queryable, orderId: number) {
  return db.maybeOne(findOrderClientInfoQuery, { orderId });
}

const masterRatingsQuery = defineQuery({
  name: 'clients.master_ratings',
  params: { masterIds: 'int8[]', from: 'timestamptz?', to: 'timestamptz?' },
  columns: { master_id: 'int8', ratings: 'int4', average: 'numeric', low: 'int4' },
  text: `
SELECT r.master_id, count(*)::int4 AS ratings, round(avg(r.score), 2) AS average, count(*) FILTER (WHERE r.score <= 2)::int4 AS low
FROM order_ratings r
WHERE r.master_id = ANY ($1::int8[])
  -- Open ends as infinities, so a generic plan still bounds order_ratings_master_idx by the period.
  AND r.created_at >= COALESCE($2::timestamptz, '-infinity') AND r.created_at < COALESCE($3::timestamptz, 'infinity')
GROUP BY r.master_id`,
});

/** Ratings per master, over [from, to) or all time. */
export function masterRatings(db: Queryable, p: { masterIds: number[]; from: string | null; to: string | null }) {
  return db.many(masterRatingsQuery, p);
}

const recordClientMessageQuery = defineQuery({
  name: 'clients.record_client_message',
  params: { orderId: 'int8', userId: 'int8', text: 'text' },
  columns: { id: 'int8', dispatcher_telegram_id: 'int8?', master_name: 'text?' },
  text: `
WITH target AS (
  SELECT o.id, d.telegram_id AS dispatcher_telegram_id, mu.name AS master_name
  FROM order_clients c
  JOIN orders o ON o.id = c.order_id AND o.deleted_at IS NULL
  LEFT JOIN users d ON d.id = o.dispatcher_id
  LEFT JOIN masters m ON m.id = o.master_id
  LEFT JOIN users mu ON mu.id = m.user_id
  WHERE c.order_id = $1::int8 AND c.user_id = $2::int8
),
audit AS (
  INSERT INTO audit_log (actor_id, action, entity_type, entity_id, details)
  SELECT $2::int8, 'order.client_message', 'order', id, jsonb_build_object('text', $3::text) FROM target
)
SELECT id, dispatcher_telegram_id, master_name FROM target`,
});

/** Keeps a client's message in the order's audit; where it goes (null: not this user's order). */
export function recordClientMessage(db: Queryable, p: { orderId: number; userId: number; text: string }) {
  return db.maybeOne(recordClientMessageQuery, p);
}

const findDispatchRouteQuery = defineQuery({
  name: 'clients.find_dispatch_route',
  params: { orderId: 'int8' },
  columns: { id: 'int8', dispatcher_telegram_id: 'int8?', master_name: 'text?' },
  text: `
SELECT o.id, d.telegram_id AS dispatcher_telegram_id, mu.name AS master_name
FROM orders o
LEFT JOIN users d ON d.id = o.dispatcher_id
LEFT JOIN masters m ON m.id = o.master_id
LEFT JOIN users mu ON mu.id = m.user_id
WHERE o.id = $1::int8`,
});

/** Who at the company hears about an order: its dispatcher (and its master's name for the text). */
export function findDispatchRoute(db: Queryable, orderId: number) {
  return db.one(findDispatchRouteQuery, { orderId });
}
