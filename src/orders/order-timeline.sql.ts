import type { Queryable } from '../db/database.ts';
import { defineQuery } from '../db/query.ts';

/**
 * An order's whole story from its audit rows: every change (creation,
 * status moves, edits with values before and after, reschedules, deletes)
 * writes one in the same statement, with the version it produced. Read on
 * audit_log_entity_idx; the actor's name is joined live.
 */
const listOrderTimelineQuery = defineQuery({
  name: 'orders.list_order_timeline',
  params: { orderId: 'int8', sinceVersion: 'int4?', limit: 'int4' },
  columns: { id: 'int8', action: 'text', actor_id: 'int8?', actor_name: 'text?', at: 'timestamptz', details: 'jsonb' },
  text: `
SELECT a.id, a.action, a.actor_id, u.name AS actor_name, a.created_at AS at, a.details
FROM audit_log a
LEFT JOIN users u ON u.id = a.actor_id
WHERE a.entity_type = 'order' AND a.entity_id = $1::int8
  AND ($2::int4 IS NULL OR (a.details ->> 'version')::int4 > $2::int4)
ORDER BY a.created_at DESC, a.id DESC
LIMIT $3::int4`,
});

export type TimelineRow = Awaited<ReturnType<typeof listOrderTimeline>>[number];

/** The newest `limit` changes (after `sinceVersion`, when given), newest first. */
export function listOrderTimeline(db: Queryable, orderId: number, sinceVersion: number | null, limit: number) {
  return db.many(listOrderTimelineQuery, { orderId, sinceVersion, limit });
}
