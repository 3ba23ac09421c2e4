import type { Queryable } from '../db/database.ts';
import { defineQuery } from '../db/query.ts';

/** The pinned address and the master's check-in of an order (migration 0082). */

const savePlaceQuery = defineQuery({
  name: 'places.save_place',
  params: { orderId: 'int8', kind: 'text', latitude: 'float8', longitude: 'float8', live: 'bool', actorId: 'int8' },
  columns: { order_id: 'int8' },
  text: `
WITH saved AS (
  INSERT INTO order_places (order_id, kind, latitude, longitude, live, set_by)
  SELECT o.id, $2::text, $3::float8, $4::float8, $5::bool, $6::int8 FROM orders o WHERE o.id = $1::int8 AND o.deleted_at IS NULL
  ON CONFLICT (order_id, kind) DO UPDATE
    SET latitude = EXCLUDED.latitude, longitude = EXCLUDED.longitude, live = EXCLUDED.live, set_by = EXCLUDED.set_by, set_at = now()
  RETURNING order_id
),
audit AS (
  INSERT INTO audit_log (actor_id, action, entity_type, entity_id, details)
  SELECT $6::int8, 'order.place_' || $2::text, 'order', order_id, jsonb_build_object('live', $5::bool) FROM saved
)
SELECT order_id FROM saved`,
});

/** Sets the order's pin or check-in (a later one replaces it); null when the order is gone. */
export function savePlace(
  db: Queryable,
  p: { orderId: number; kind: 'pin' | 'check_in'; latitude: number; longitude: number; live: boolean; actorId: number },
) {
  return db.maybeOne(savePlaceQuery, p);
}

const listPlacesQuery = defineQuery({
  name: 'places.list_places',
  params: { orderId: 'int8' },
  columns: { kind: 'text', latitude: 'float8', longitude: 'float8', live: 'bool', set_at: 'timestamptz' },
  text: `SELECT kind, latitude, longitude, live, set_at FROM order_places WHERE order_id = $1::int8 ORDER BY kind DESC`,
});

export function listPlaces(db: Queryable, orderId: number) {
  return db.many(listPlacesQuery, { orderId });
}
