import type { Queryable } from '../db/database.ts';
import { defineQuery } from '../db/query.ts';

/** Photos and documents of an order (migration 0082). */

export const ATTACHMENT_COLUMNS = {
  id: 'int8',
  order_id: 'int8',
  stage: 'text',
  media: 'text',
  file_id: 'text',
  file_name: 'text?',
  added_by_name: 'text',
  added_at: 'timestamptz',
} as const;

const insertAttachmentQuery = defineQuery({
  name: 'attachments.insert_attachment',
  params: { orderId: 'int8', stage: 'text', media: 'text', fileId: 'text', fileUniqueId: 'text', fileName: 'text?', actorId: 'int8' },
  columns: { id: 'int8', added: 'bool' },
  text: `
WITH added AS (
  INSERT INTO order_attachments (order_id, stage, media, file_id, file_unique_id, file_name, added_by)
  SELECT o.id, $2::text, $3::text, $4::text, $5::text, $6::text, $7::int8 FROM orders o WHERE o.id = $1::int8 AND o.deleted_at IS NULL
  ON CONFLICT (order_id, file_unique_id) DO NOTHING
  RETURNING id
),
audit AS (
  INSERT INTO audit_log (actor_id, action, entity_type, entity_id, details)
  SELECT $7::int8, 'order.attach', 'order', $1::int8, jsonb_build_object('attachment_id', id, 'stage', $2::text, 'media', $3::text) FROM added
)
SELECT id, true AS added FROM added
UNION ALL
SELECT a.id, false FROM order_attachments a WHERE a.order_id = $1::int8 AND a.file_unique_id = $5::text AND NOT EXISTS (SELECT 1 FROM added)`,
});

/** Keeps a file on the order (once per file); null when the order is gone. */
export function insertAttachment(
  db: Queryable,
  p: { orderId: number; stage: string; media: string; fileId: string; fileUniqueId: string; fileName: string | null; actorId: number },
) {
  return db.maybeOne(insertAttachmentQuery, p);
}

const listAttachmentsQuery = defineQuery({
  name: 'attachments.list_attachments',
  params: { orderId: 'int8' },
  columns: ATTACHMENT_COLUMNS,
  text: `
SELECT a.id, a.order_id, a.stage, a.media, a.file_id, a.file_name, u.name AS added_by_name, a.added_at
FROM order_attachments a JOIN users u ON u.id = a.added_by
WHERE a.order_id = $1::int8
ORDER BY a.id
LIMIT 100`,
});

/** An order's files in the order they came (at most 100). */
export function listAttachments(db: Queryable, orderId: number) {
  return db.many(listAttachmentsQuery, { orderId });
}

const countAttachmentsQuery = defineQuery({
  name: 'attachments.count_attachments',
  params: { orderId: 'int8' },
  columns: { photos: 'int4', documents: 'int4' },
  text: `
SELECT count(*) FILTER (WHERE media = 'photo')::int4 AS photos, count(*) FILTER (WHERE media = 'document')::int4 AS documents
FROM order_attachments WHERE order_id = $1::int8`,
});

/** How many photos and documents an order has (the card's line; the album is asked for separately). */
export function countAttachments(db: Queryable, orderId: number) {
  return db.one(countAttachmentsQuery, { orderId });
}
