import { pick, uniform } from './random.sql.ts';

/**
 * The trail each planned step leaves, exactly as the live write path does
 * (src/orders/order-events.ts): an order_status_history row when the status
 * moved (assign also when reassigning), and an audit_log row for every step
 * with details {from, to, version}. Version n is the order's version after
 * the step: 1 at creation, +1 per change, so it ends at orders.version.
 */
interface Step {
  /** Column of `plan` holding the step's time (NULL when it did not happen). */
  at: string;
  action: string;
  from: string;
  to: string;
  /** User who did it: the dispatcher, a master, an admin. */
  actor: string;
  note: string;
  /** Written to order_status_history (a status change or an assign). */
  history: boolean;
  /** More key, value pairs for the audit details. */
  details?: string;
}

const reason = (list: string, n: number) => `(${list})[1 + ${pick('p.k', n, '$2', `cardinality(${list})`)}]`;
export const REFUSE_REASON = reason('$29::text[]', 50);
const CLOSER = `CASE WHEN ${uniform('p.k', 49, '$2')} < 0.4 THEN p.admin ELSE p.disp END`;

const STEPS: Step[] = [
  { at: 't_created', action: 'create', from: 'NULL', to: 'NEW', actor: 'p.disp', note: 'NULL', history: true },
  { at: 't_refuse0', action: 'refuse', from: `'NEW'`, to: 'REFUSED', actor: 'p.disp', note: reason('$29::text[]', 54), history: true },
  { at: 't_reopen', action: 'reopen', from: `'REFUSED'`, to: 'NEW', actor: 'p.disp', note: 'NULL', history: true },
  { at: 't_assign', action: 'assign', from: `'NEW'`, to: 'ASSIGNED', actor: 'p.disp', note: 'NULL', history: true },
  { at: 't_decline', action: 'decline', from: `'ASSIGNED'`, to: 'NEW', actor: 'p.a1u', note: reason('$30::text[]', 51), history: true },
  {
    at: 't_assign2',
    action: 'assign',
    from: `CASE WHEN p.t_decline IS NULL THEN 'ASSIGNED' ELSE 'NEW' END`,
    to: 'ASSIGNED',
    actor: 'p.disp',
    note: 'NULL',
    history: true,
  },
  { at: 't_accept', action: 'accept', from: `'ASSIGNED'`, to: 'ACCEPTED', actor: 'p.mu', note: 'NULL', history: true },
  {
    at: 't_resched',
    action: 'reschedule',
    from: `'ACCEPTED'`,
    to: 'ACCEPTED',
    actor: 'p.mu',
    note: 'NULL',
    history: false,
    details: `'scheduled_at', p.scheduled_at`,
  },
  { at: 't_arrive', action: 'arrive', from: `'ACCEPTED'`, to: 'IN_PROGRESS', actor: 'p.mu', note: 'NULL', history: true },
  { at: 't_long', action: 'long_repair', from: `'IN_PROGRESS'`, to: 'LONG_REPAIR', actor: 'p.mu', note: 'NULL', history: true },
  { at: 't_resume', action: 'resume', from: `'LONG_REPAIR'`, to: 'IN_PROGRESS', actor: 'p.mu', note: 'NULL', history: true },
  {
    at: 't_complete',
    action: 'complete',
    from: `CASE WHEN p.t_long IS NOT NULL AND p.t_resume IS NULL THEN 'LONG_REPAIR' ELSE 'IN_PROGRESS' END`,
    to: 'COMPLETED',
    actor: 'p.mu',
    note: 'NULL',
    history: true,
  },
  { at: 't_close', action: 'close', from: `'COMPLETED'`, to: 'CLOSED', actor: CLOSER, note: 'NULL', history: true },
  { at: 't_refuse', action: 'refuse', from: 'p.pre_status', to: 'REFUSED', actor: 'p.disp', note: REFUSE_REASON, history: true },
  { at: 't_delete', action: 'delete', from: `'REFUSED'`, to: 'REFUSED', actor: 'p.admin', note: 'NULL', history: false },
];

/**
 * The steps of an order as three parallel arrays (time, status before,
 * version after), built once per order in the plan; `q` is the plan row.
 */
export const STEP_ARRAYS = `
  ARRAY[${STEPS.map((s) => `q.${s.at}`).join(', ')}] AS step_at,
  ARRAY[${STEPS.map((s) => `(${s.from.replaceAll('p.', 'q.')})::order_status`).join(', ')}] AS step_from,
  ARRAY[${STEPS.map(
    (_s, i) =>
      `num_nonnulls(${STEPS.slice(0, i + 1)
        .map((x) => `q.${x.at}`)
        .join(', ')})`,
  ).join(', ')}] AS step_version`;

/**
 * One row per step that happened: the arrays unnested in step (s.n) order,
 * then only the other columns of kept rows computed, by step number.
 */
const steps = (keep: (s: Step) => boolean) => `(
    SELECT p.id, p.k, p.disp, p.mu, p.a1u, p.admin, p.scheduled_at,
           unnest(p.step_at) AS at, unnest(p.step_from) AS old_status, unnest(p.step_version) AS version,
           generate_series(1, ${STEPS.length}) AS n
    FROM plan p
  ) AS p
  WHERE p.at IS NOT NULL AND p.n IN (${STEPS.map((s, i) => (keep(s) ? i + 1 : null))
    .filter(Boolean)
    .join(', ')})`;
const byStep = (keep: (s: Step) => boolean, value: (s: Step) => string) =>
  `CASE p.n ${STEPS.map((s, i) => (keep(s) && value(s) !== 'NULL' ? `WHEN ${i + 1} THEN ${value(s)}` : ''))
    .filter(Boolean)
    .join(' ')} END`;
const all = () => true;
const inHistory = (s: Step) => s.history;

/** INSERT of every plan step that changed the status. */
export const INSERT_HISTORY = `
  INSERT INTO order_status_history (order_id, old_status, new_status, actor_id, changed_at, note)
  SELECT p.id, p.old_status, ${byStep(inHistory, (s) => `'${s.to}'::order_status`)}, ${byStep(inHistory, (s) => s.actor)},
         p.at, (${byStep(inHistory, (s) => s.note)})::text
  FROM ${steps(inHistory)}`;

/**
 * Audit details {from, to, version} repeat: one jsonb per (step, status
 * before, version), built once and looked up, instead of one per row.
 */
export const AUDIT_DETAILS_CTE = `
audit_details AS MATERIALIZED (
  SELECT s.n, f.old_status, v.version,
         jsonb_build_object('from', CASE WHEN s.n = 1 THEN NULL ELSE f.old_status END, 'to', s.new_status, 'version', v.version) AS details
  FROM (VALUES ${STEPS.map((s, i) => `(${i + 1}, '${s.to}'::order_status)`).join(', ')}) AS s(n, new_status)
  CROSS JOIN unnest(enum_range(NULL::order_status)) AS f(old_status)
  CROSS JOIN generate_series(1, ${STEPS.length}) AS v(version)
)`;

/** INSERT of one audit row per plan step, the order's version counted along. */
export const INSERT_AUDIT = `
  INSERT INTO audit_log (actor_id, action, entity_type, entity_id, details, created_at)
  SELECT ${byStep(all, (s) => s.actor)}, ${byStep(all, (s) => `'order.${s.action}'`)}, 'order', p.id,
         CASE p.n ${STEPS.map((s, i) => (s.details ? `WHEN ${i + 1} THEN d.details || jsonb_build_object(${s.details}) ` : '')).join('')}ELSE d.details END,
         p.at
  FROM audit_details d, ${steps(all)}
    AND d.n = p.n AND d.old_status = COALESCE(p.old_status, 'NEW') AND d.version = p.version`;

/** The order's version: one per step taken. */
export const VERSION = `num_nonnulls(${STEPS.map((s) => `p.${s.at}`).join(', ')})`;
/** When the status last moved (reschedules and deletes do not move it). */
export const STATUS_CHANGED_AT = `greatest(${STEPS.filter((s) => s.history)
  .map((s) => `p.${s.at}`)
  .join(', ')})`;
/** The last change of any kind. */
export const UPDATED_AT = `greatest(${STEPS.map((s) => `p.${s.at}`).join(', ')})`;
/** How many history rows an order's plan writes. */
export const HISTORY_ROWS = `num_nonnulls(${STEPS.filter((s) => s.history)
  .map((s) => `p.${s.at}`)
  .join(', ')})`;
