import type { Queryable } from './db/database.ts';
import { defineQuery } from './db/query.ts';

/**
 * The statements around the write warm-up (warm-up-writes.ts): a
 * transaction that is always rolled back, and in it the order numbers'
 * sequence restarted far above any real number. ALTER SEQUENCE ... RESTART
 * gives the sequence new storage in this transaction (PostgreSQL 10 and
 * later), so the number the warm-up draws vanishes with the rollback and
 * the next real order gets the number it would have got: no gap in what
 * people quote ("#123"). A plain rollback would keep it drawn. The restart
 * holds the sequence against other instances' order inserts until the
 * rollback (tens of ms), so it waits at most lock_timeout for them. The
 * history and audit rows' ids, which nobody reads as a count, are left to
 * skip a value, as after any rolled-back write: restarting their sequences
 * too would hold up every audited write of the other instances instead.
 */
export const WARM_WRITES_BEGIN = 'BEGIN ISOLATION LEVEL READ COMMITTED';
export const WARM_WRITES_SEQUENCES = `
SET LOCAL lock_timeout = '50ms';
ALTER SEQUENCE orders_id_seq RESTART WITH 9000000000000000000`;
export const WARM_WRITES_ROLLBACK = 'ROLLBACK';

const findWarmUpActorQuery = defineQuery({
  name: 'warm_up.find_actor',
  params: {},
  columns: { user_id: 'int8?', equipment_type: 'text?' },
  // Any user and equipment type will do: the order they make is rolled back.
  text: `
SELECT (SELECT u.id FROM users u ORDER BY u.id LIMIT 1) AS user_id,
       (SELECT e.code FROM equipment_types e ORDER BY e.code LIMIT 1) AS equipment_type`,
});

/** A user to create the warm-up's order as, and an equipment type for it; null on an empty database. */
export async function findWarmUpActor(db: Queryable): Promise<{ userId: number; equipmentType: string } | null> {
  const row = await db.one(findWarmUpActorQuery, {});
  return row.user_id === null || row.equipment_type === null ? null : { userId: row.user_id, equipmentType: row.equipment_type };
}
