import type { Queryable } from '../db/database.ts';
import { defineQuery } from '../db/query.ts';

/** "The client is waiting" nudges (order_nudges, 0050): one per order a minute, on record with its audit row. */

const lockOrderNudgesQuery = defineQuery({
  name: 'bot.lock_order_nudges',
  params: { orderId: 'int8' },
  columns: { locked: 'text' },
  // Taps on one order take turns until their transactions end; the next statement (read committed) then sees the other's row.
  text: `SELECT pg_advisory_xact_lock(hashtext('repair-bot:nudge'), ($1::int8 % 2147483647)::int4)::text AS locked`,
});

export async function lockOrderNudges(db: Queryable, orderId: number): Promise<void> {
  await db.one(lockOrderNudgesQuery, { orderId });
}

const insertOrderNudgeQuery = defineQuery({
  name: 'bot.insert_order_nudge',
  params: { orderId: 'int8', masterId: 'int8', actorId: 'int8', withinSeconds: 'int4' },
  columns: { id: 'int8' },
  text: `
WITH nudge AS (
  INSERT INTO order_nudges (order_id, master_id, actor_id)
  SELECT $1::int8, $2::int8, $3::int8
  WHERE NOT EXISTS (
    SELECT 1 FROM order_nudges n
    WHERE n.order_id = $1::int8 AND n.created_at > now() - make_interval(secs => $4::int4)
  )
  RETURNING id, order_id, master_id
),
audit AS (
  INSERT INTO audit_log (actor_id, action, entity_type, entity_id, details)
  SELECT $3::int8, 'order.nudge', 'order', order_id, jsonb_build_object('master_id', master_id)
  FROM nudge
)
SELECT id FROM nudge`,
});

/** Records a nudge unless the order had one within `withinSeconds`; false when it had (nothing is written). */
export async function insertOrderNudge(db: Queryable, n: { orderId: number; masterId: number; actorId: number; withinSeconds: number }): Promise<boolean> {
  return (await db.maybeOne(insertOrderNudgeQuery, n)) !== null;
}
