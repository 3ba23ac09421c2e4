import type { Queryable } from '../db/database.ts';
import { defineQuery } from '../db/query.ts';

/** The pinned address and the master's check-in of an order (migrations 0082, 0100). */

const savePlaceQuery = defineQuery({
  name: 'places.save_place',
  params: {
    orderId: 'int8',
    kind: 'text',
    latitude: 'float8',
    longitude: 'float8',
    live: 'bool',
    actorId: 'int8',
    liveChatId: 'int8?',
    liveMessageId: 'int8?',
    liveUntil: 'timestamptz?',
  },
  columns: { order_id: 'int8' },
  text: `
WITH saved AS (
  INSERT INTO order_places (order_id, kind, latitude, longitude, live, set_by, live_chat_id, live_message_id, live_until)
  SELECT o.id, $2::text, $3::float8, $4::float8, $5::bool, $6::int8, $7::int8, $8::int8, $9::timestamptz
  FROM orders o WHERE o.id = $1::int8 AND o.deleted_at IS NULL
  ON CONFLICT (order_id, kind) DO UPDATE
    SET latitude = EXCLUDED.latitude, longitude = EXCLUDED.longitude, live = EXCLUDED.live, set_by = EXCLUDED.set_by, set_at = now(),
        live_chat_id = EXCLUDED.live_chat_id, live_message_id = EXCLUDED.live_message_id, live_until = EXCLUDED.live_until
  RETURNING order_id
),
audit AS (
  INSERT INTO audit_log (actor_id, action, entity_type, entity_id, details)
  SELECT $6::int8, 'order.place_' || $2::text, 'order', order_id, jsonb_build_object('live', $5::bool, 'live_until', $9::timestamptz) FROM saved
)
SELECT order_id FROM saved`,
});

/** Sets the order's pin or check-in (a later one replaces it); null when the order is gone. */
export function savePlace(
  db: Queryable,
  p: {
    orderId: number;
    kind: 'pin' | 'check_in';
    latitude: number;
    longitude: number;
    live: boolean;
    actorId: number;
    liveChatId: number | null;
    liveMessageId: number | null;
    liveUntil: string | null;
  },
) {
  return db.maybeOne(savePlaceQuery, p);
}

const followLiveQuery = defineQuery({
  name: 'places.follow_live',
  params: { chatId: 'int8', messageId: 'int8', latitude: 'float8?', longitude: 'float8?', actorId: 'int8' },
  columns: { order_id: 'int8', stopped: 'bool' },
  text: `
WITH followed AS (
  UPDATE order_places p
  SET latitude = COALESCE($3::float8, p.latitude), longitude = COALESCE($4::float8, p.longitude), set_at = now(),
      live_until = CASE WHEN $3::float8 IS NULL THEN now() ELSE p.live_until END
  FROM orders o
  WHERE p.live_chat_id = $1::int8 AND p.live_message_id = $2::int8 AND p.kind = 'check_in' AND p.set_by = $5::int8
    AND p.live_until > now() AND o.id = p.order_id AND o.status = 'IN_PROGRESS' AND o.deleted_at IS NULL
  RETURNING p.order_id, $3::float8 IS NULL AS stopped
),
audit AS (
  INSERT INTO audit_log (actor_id, action, entity_type, entity_id, details)
  SELECT $5::int8, 'order.place_live', 'order', order_id, jsonb_build_object('stopped', stopped) FROM followed
)
SELECT order_id, stopped FROM followed`,
});

/**
 * Moves a live check-in to where its shared message now points (no point:
 * the sharing stopped, and so does the following). Only the master who
 * shared it, while the order is on site and the sharing lasts; null otherwise.
 */
export function followLive(db: Queryable, p: { chatId: number; messageId: number; latitude: number | null; longitude: number | null; actorId: number }) {
  return db.maybeOne(followLiveQuery, p);
}

const listPlacesQuery = defineQuery({
  name: 'places.list_places',
  params: { orderId: 'int8' },
  columns: { kind: 'text', latitude: 'float8', longitude: 'float8', live: 'bool', set_at: 'timestamptz', live_until: 'timestamptz?' },
  text: `SELECT kind, latitude, longitude, live, set_at, live_until FROM order_places WHERE order_id = $1::int8 ORDER BY kind DESC`,
});

export function listPlaces(db: Queryable, orderId: number) {
  return db.many(listPlacesQuery, { orderId });
}
