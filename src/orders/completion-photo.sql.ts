import type { Queryable } from '../db/database.ts';
import { defineQuery } from '../db/query.ts';

/**
 * The "after photo" rule for completing an order: the same condition the
 * complete statement applies (COMPLETION_PHOTO_RULE), asked on its own to
 * explain a refused completion.
 */
export const COMPLETION_PHOTO_RULE = (order: string) => `(
      NOT COALESCE((SELECT s.value = 'true'::jsonb FROM app_settings s WHERE s.key = 'orders.completion_needs_after_photo'), false)
      OR EXISTS (SELECT 1 FROM order_attachments a WHERE a.order_id = ${order} AND a.stage = 'after'))`;

const afterPhotoMissingQuery = defineQuery({
  name: 'orders.after_photo_missing',
  params: { id: 'int8' },
  columns: { missing: 'bool' },
  text: `SELECT NOT ${COMPLETION_PHOTO_RULE('$1::int8')} AS missing`,
});

/** True when a setting asks for an "after" photo and the order has none. */
export async function afterPhotoMissing(db: Queryable, id: number): Promise<boolean> {
  return (await db.one(afterPhotoMissingQuery, { id })).missing;
}
