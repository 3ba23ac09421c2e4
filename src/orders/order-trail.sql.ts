import { ORDER_FIELD_NAMES } from './order-fields.ts';

/**
 * The trail every order change leaves in the same statement as the change:
 * an order_status_history row when the change is a status move, and an
 * audit_log row always. Composed into each writing query at module load
 * (constant text).
 *
 * The source CTE must return the new order row plus `old_status` (and,
 * with `diff`, the rows before and after as jsonb `old_row`/`new_row`); the
 * statement must bind actor user id, note and audit details at the given
 * parameter positions. A status move writes history even when the status
 * stays (a reassignment: ASSIGNED -> ASSIGNED); other changes never do.
 *
 * History is stamped with clock_timestamp(), the moment the row lock was
 * won, not now() (when the statement began, possibly before it waited for a
 * concurrent change): so history sorted by time is the order things happened.
 */
/**
 * Each changed column's value before and after, from the source's old_row
 * and new_row (jsonb): what the order's history shows and what a stale
 * edit is told. Only the fields people give (field names are identifiers:
 * constant SQL); derived columns such as the search text stay out.
 */
const DIFF = `
             || jsonb_build_object('changes', COALESCE((
                  SELECT jsonb_object_agg(k, jsonb_build_object('from', old_row -> k, 'to', new_row -> k))
                  FROM unnest('{${ORDER_FIELD_NAMES.join(',')}}'::text[]) AS k
                  WHERE old_row -> k IS DISTINCT FROM new_row -> k), '{}'::jsonb))`;

export function orderTrailCtes(opts: {
  source: string;
  action: string;
  history: boolean;
  actor: number;
  note: number;
  details: number;
  diff?: boolean;
  /** The history row's time (a constant expression over the source's columns); clock_timestamp() by default. */
  changedAt?: string;
}): string {
  if (!/^[a-z_]+$/.test(opts.source) || !/^order\.[a-z_]+$/.test(opts.action)) throw new Error('bad trail CTE spec');
  // A change without history still names the note parameter, so every statement binds the same ones.
  return `
  history AS (
    INSERT INTO order_status_history (order_id, old_status, new_status, actor_id, note, changed_at)
    SELECT id, old_status, status, $${opts.actor}::int8, $${opts.note}::text, ${opts.changedAt ?? 'clock_timestamp()'}
    FROM ${opts.source}
    WHERE ${opts.history ? 'true' : 'false'}
  ),
  audit AS (
    INSERT INTO audit_log (actor_id, action, entity_type, entity_id, details)
    SELECT $${opts.actor}::int8, '${opts.action}', 'order', id,
           jsonb_build_object('from', old_status, 'to', status, 'version', version)
             || jsonb_strip_nulls(jsonb_build_object('note', $${opts.note}::text))
             || COALESCE($${opts.details}::jsonb, '{}'::jsonb)${opts.diff ? DIFF : ''}
    FROM ${opts.source}
  )`;
}
