/**
 * The trail every order change leaves in the same statement as the change:
 * an order_status_history row when the status moved, and an audit_log row.
 * Composed into each writing query at module load (constant text).
 *
 * The source CTE must return the new order row plus `old_status`; the
 * statement must bind actor user id, note and audit details at the given
 * parameter positions.
 *
 * History is stamped with clock_timestamp(), the moment the row lock was
 * won, not now() (when the statement began, possibly before it waited for a
 * concurrent change): so history sorted by time is the order things happened.
 */
export function orderEventCtes(opts: { source: string; action: string; actor: number; note: number; details: number }): string {
  if (!/^[a-z_]+$/.test(opts.source) || !/^order\.[a-z_]+$/.test(opts.action)) throw new Error('bad event CTE spec');
  return `
  history AS (
    INSERT INTO order_status_history (order_id, old_status, new_status, actor_id, note, changed_at)
    SELECT id, old_status, status, $${opts.actor}::int8, $${opts.note}::text, clock_timestamp()
    FROM ${opts.source}
    WHERE old_status IS DISTINCT FROM status OR '${opts.action}' = 'order.assign'
  ),
  audit AS (
    INSERT INTO audit_log (actor_id, action, entity_type, entity_id, details)
    SELECT $${opts.actor}::int8, '${opts.action}', 'order', id,
           jsonb_build_object('from', old_status, 'to', status, 'version', version)
             || COALESCE($${opts.details}::jsonb, '{}'::jsonb)
    FROM ${opts.source}
  )`;
}
