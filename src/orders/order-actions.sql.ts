import type { Queryable } from '../db/database.ts';
import type { OrderStatus } from '../db/enums.ts';
import { defineQuery, type Query } from '../db/query.ts';
import type { ParamDecls, ParamsOf } from '../db/types.ts';
import { ACTION_COMMON, ACTIONS, type ActionDecls, type ActionName, type Placeholders } from './order-actions.ts';
import { statusArraySql } from './order-statuses.ts';
import { orderTrailCtes } from './order-trail.sql.ts';
import { ORDER_VIEW_COLUMNS, ORDER_VIEW_JOINS, ORDER_VIEW_SELECT, type OrderView } from './order-view.ts';

/**
 * Each action is ONE conditional UPDATE (expected status set, optional
 * expected version, optional "must be this master") that also writes its
 * history and audit rows in the same statement. Of N concurrent conflicting
 * calls exactly one matches; the rest update nothing and get null back.
 * The statements are composed at module load from the declarations in
 * order-actions.ts (constant text, $n parameters).
 */
const ACTION_COLUMNS = { ...ORDER_VIEW_COLUMNS, previous_status: 'order_status', previous_master_id: 'int8?' } as const;

/** The order after the action, plus its status and master before. */
export type ActionResult = OrderView & { previous_status: OrderStatus; previous_master_id: number | null };

/** A first check-in's history row carries the arrived_at its UPDATE set (see checkIn in order-actions.ts). */
const FIRST_CHECK_IN_STAMP = 'CASE WHEN old_arrived_at IS NULL AND arrived_at IS NOT NULL THEN arrived_at ELSE clock_timestamp() END';

type Common = typeof ACTION_COMMON;
type ActionQuery<N extends ActionName> = Query<Common & ActionDecls<N>, typeof ACTION_COLUMNS>;

function placeholders<P extends ParamDecls>(decls: P): Placeholders<P> {
  // Object.fromEntries cannot be typed per key; the keys are exactly those of `decls`.
  return Object.fromEntries(Object.keys(decls).map((k, i) => [k, `$${i + 1}::${decls[k]!.replace(/\?$/, '')}`])) as Placeholders<P>;
}

function compile<N extends ActionName>(name: N): ActionQuery<N> {
  const def = ACTIONS[name];
  const params = { ...ACTION_COMMON, ...def.sql.params };
  const p = placeholders(params);
  const move = def.to === null ? '' : `status = '${def.to}', status_changed_at = now(),`;
  return defineQuery({
    name: def.to === null ? `orders.${name}_order` : `orders.transition_${name}`,
    params,
    columns: ACTION_COLUMNS,
    text: `
WITH moved AS (
  UPDATE orders o SET
    ${move}
    ${def.sql.set(p)}
    version = o.version + 1,
    updated_at = now()
  WHERE o.id = ${p.id}
    AND o.deleted_at ${def.onDeleted ? 'IS NOT NULL' : 'IS NULL'}
    AND o.status = ANY (${statusArraySql(def.from)})
    AND (${p.expected_version} IS NULL OR o.version = ${p.expected_version})
    AND (${p.master_scope} IS NULL OR o.master_id = ${p.master_scope})
    ${def.sql.where?.(p) ?? ''}
  RETURNING new.*, old.status AS old_status, old.master_id AS old_master_id, old.arrived_at AS old_arrived_at${def.recordsChanges ? ', to_jsonb(old) AS old_row, to_jsonb(new) AS new_row' : ''}
),${def.sql.ctes ? `\n${def.sql.ctes(p)},` : ''}
${orderTrailCtes({ source: 'moved', action: `order.${name}`, history: def.to !== null, actor: 2, note: 5, details: 6, diff: def.recordsChanges, changedAt: FIRST_CHECK_IN_STAMP })}
SELECT ${ORDER_VIEW_SELECT}, o.old_status AS previous_status, o.old_master_id AS previous_master_id
FROM moved o ${ORDER_VIEW_JOINS}`,
  });
}

// One entry per action: the compiler asks for a new action here.
const QUERIES: { [N in ActionName]: ActionQuery<N> } = {
  assign: compile('assign'),
  unassign: compile('unassign'),
  decline: compile('decline'),
  accept: compile('accept'),
  arrive: compile('arrive'),
  resume: compile('resume'),
  long_repair: compile('long_repair'),
  complete: compile('complete'),
  close: compile('close'),
  refuse: compile('refuse'),
  client_cancel: compile('client_cancel'),
  reopen: compile('reopen'),
  reschedule: compile('reschedule'),
  edit: compile('edit'),
  delete: compile('delete'),
  restore: compile('restore'),
  cancel_accepted: compile('cancel_accepted'),
  client_refused: compile('client_refused'),
  correct: compile('correct'),
};

/** Applies an action; null when the order did not match (status, version, master, or gone). */
export function applyAction<N extends ActionName>(db: Queryable, name: N, params: ParamsOf<Common & ActionDecls<N>>): Promise<ActionResult | null> {
  return db.maybeOne(QUERIES[name], params);
}
