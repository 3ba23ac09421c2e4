import { z } from 'zod';
import type { OrderStatus } from '../db/enums.ts';
import type { ParamDecls } from '../db/types.ts';
import { ConflictError, UnprocessableError } from '../errors.ts';
import { dateSchema, text, timestampSchema } from '../input.ts';
import { action, amountSchema, empty, noParams, noteSchema, reasonSchema, type ActionSpec } from './order-action-spec.ts';
import { normalized, PATCH_DECLS, patchOrderSchema, patchParams, patchSetSql } from './order-fields.ts';
import { MONEY_ACTIONS } from './order-money-actions.ts';
import { STATUS_SETS } from './order-statuses.ts';

export { ACTION_COMMON, reasonSchema, type ActionDeps, type OrderState, type Placeholders, type Who } from './order-action-spec.ts';
export { completionSplit } from './order-money-actions.ts';

/**
 * Moving to IN_PROGRESS is a check-in: the first one is the order's
 * arrived_at (migration 0159), set here in the transition's own row
 * version. The statement stamps its history row with the same instant
 * (order-actions.sql.ts), so the history trigger that keeps arrived_at
 * finds nothing to change and writes no second version of the row.
 */
const checkIn = { ...noParams, set: () => `arrived_at = COALESCE(o.arrived_at, clock_timestamp()),` };

/**
 * Everything that changes an existing order, declared once per action:
 * the statuses it starts from and the one it leads to (null: the status
 * stays), who may do it, its input schema, and its statement (the SET
 * fragment, extra WHERE, and how the input becomes parameters). The API's
 * routes and OpenAPI text, the bot's buttons, the workflow's checks and the
 * statements (order-actions.sql.ts) all read this table; the compiler checks
 * each action's input against its parameters and its SQL against their names.
 * The shape of an action and who may do it: order-action-spec.ts; the
 * actions that record money: order-money-actions.ts.
 */
const DEFS = {
  assign: action({
    title: 'Assign (or reassign) a master',
    from: ['NEW', 'ASSIGNED'],
    to: 'ASSIGNED',
    who: 'staff',
    body: z.strictObject({ master_id: z.int().positive() }),
    // A master can be given an order only while approved and active; reassigning
    // to the same master is not a change, so it conflicts like any lost race.
    explain: async (input, state, deps) => {
      const master = await deps.findMaster(input.master_id);
      if (!master) return new UnprocessableError(`master ${input.master_id} does not exist`, { field: 'master_id' });
      if (!master.is_approved || !master.is_active)
        return new UnprocessableError(`master ${input.master_id} is not approved and active`, { field: 'master_id' });
      if (state.master_id === input.master_id)
        return new ConflictError(`the order is already assigned to master ${input.master_id}`, { details: { status: state.status } });
      return null;
    },
    sql: {
      params: { master_id: 'int8' },
      set: (p) => `master_id = ${p.master_id},`,
      where: (p) => `AND (o.status = 'NEW' OR o.master_id <> ${p.master_id})
    AND EXISTS (SELECT 1 FROM masters ms WHERE ms.id = ${p.master_id}
                AND ms.is_active AND ms.is_approved AND ms.deleted_at IS NULL)`,
      bind: (input, base) => ({ ...base, master_id: input.master_id }),
    },
  }),
  unassign: action({
    title: 'Take the order back from its master',
    from: ['ASSIGNED', 'ACCEPTED'],
    to: 'NEW',
    who: 'staff',
    body: z.strictObject({ note: noteSchema }),
    note: (input) => input.note ?? null,
    sql: { ...noParams, set: () => `master_id = NULL,` },
  }),
  decline: action({
    title: 'Decline the assignment (the master is removed)',
    from: ['ASSIGNED'],
    to: 'NEW',
    who: 'master',
    body: z.strictObject({ reason: reasonSchema }),
    note: (input) => input.reason,
    sql: { ...noParams, set: () => `master_id = NULL,` },
  }),
  accept: action({ title: 'Accept the assignment', from: ['ASSIGNED'], to: 'ACCEPTED', who: 'master', body: empty, sql: noParams }),
  // The spec's "arrive on site / resume": arriving works from a long repair too.
  arrive: action({ title: 'Arrive on site', from: ['ACCEPTED', 'LONG_REPAIR'], to: 'IN_PROGRESS', who: 'master', body: empty, sql: checkIn }),
  resume: action({ title: 'Resume after a long repair', from: ['LONG_REPAIR'], to: 'IN_PROGRESS', who: 'master', body: empty, sql: checkIn }),
  long_repair: action({
    title: 'Long repair (expected completion date, optional prepayment)',
    from: ['ACCEPTED', 'IN_PROGRESS'],
    to: 'LONG_REPAIR',
    who: 'master',
    body: z.strictObject({
      estimated_completion_date: dateSchema,
      prepayment_amount: amountSchema.nullable().optional(),
      parts_needed: text(1000).nullable().optional().meta({ description: 'what the repair waits for, e.g. "подшипник барабана"' }),
      estimated_cost: amountSchema.nullable().optional().meta({ description: 'the cost the client was told to expect' }),
    }),
    sql: {
      params: { estimated_completion_date: 'date', prepayment_amount: 'numeric?', parts_needed: 'text?', estimated_cost: 'numeric?' },
      set: (p) => `estimated_completion_date = ${p.estimated_completion_date},
    prepayment_amount = COALESCE(${p.prepayment_amount}, o.prepayment_amount),
    parts_needed = ${p.parts_needed}, estimated_cost = ${p.estimated_cost},`,
      bind: (input, base) => ({
        ...base,
        estimated_completion_date: input.estimated_completion_date,
        prepayment_amount: input.prepayment_amount ?? null,
        parts_needed: input.parts_needed ?? null,
        estimated_cost: input.estimated_cost ?? null,
      }),
    },
  }),
  complete: MONEY_ACTIONS.complete,
  close: action({
    title: 'Close: the master paid the company its share',
    from: ['COMPLETED'],
    to: 'CLOSED',
    who: 'staff',
    body: empty,
    sql: { ...noParams, set: () => `closed_at = now(),` },
  }),
  refuse: action({
    title: 'Refuse (cancel) with a reason',
    from: ['NEW', 'ASSIGNED', 'ACCEPTED', 'IN_PROGRESS', 'LONG_REPAIR'],
    to: 'REFUSED',
    who: 'staff',
    body: z.strictObject({ reason: reasonSchema }),
    note: (input) => input.reason,
    sql: {
      params: { reason: 'text' },
      set: (p) => `refuse_reason = ${p.reason}, refused_at = now(),`,
      bind: (input, base) => ({ ...base, reason: input.reason }),
    },
  }),
  client_cancel: action({
    title: 'Cancel by the client, before the master arrives',
    from: ['NEW', 'ASSIGNED', 'ACCEPTED'],
    to: 'REFUSED',
    who: 'client',
    body: z.strictObject({ reason: reasonSchema }),
    note: (input) => input.reason,
    details: () => ({ by: 'client' }),
    sql: {
      params: { reason: 'text' },
      set: (p) => `refuse_reason = ${p.reason}, refused_at = now(),`,
      // p.actor_id is the statement's own placeholder ($2::int8), as in every action's SQL.
      where: (p) => `AND EXISTS (SELECT 1 FROM order_clients c WHERE c.order_id = o.id AND c.user_id = ${p.actor_id})`,
      bind: (input, base) => ({ ...base, reason: input.reason }),
    },
  }),
  reopen: action({
    title: 'Reopen a refused order',
    from: ['REFUSED'],
    to: 'NEW',
    who: 'staff',
    body: z.strictObject({ note: noteSchema }),
    note: (input) => input.note ?? null,
    // A fee not yet handed over is dropped with the refusal; one handed over keeps the order refused.
    explain: async (_input, state, deps) =>
      (await deps.feeHandedOver(state.id))
        ? new ConflictError('the refusal fee of this order was already handed over; it stays refused', { field: 'id' })
        : null,
    sql: {
      ...noParams,
      set: () => `master_id = NULL, refuse_reason = NULL, refused_at = NULL,
    refusal_fee = NULL, refusal_master_share = NULL, refusal_company_share = NULL, refusal_rule_id = NULL,`,
      where: () => `AND o.fee_handed_over_at IS NULL`,
    },
  }),
  reschedule: action({
    title: 'Move the visit to another time (no status change)',
    from: STATUS_SETS.reschedulable,
    to: null,
    who: 'staff_or_master',
    body: z.strictObject({
      scheduled_at: timestampSchema,
      scheduled_until: timestampSchema.nullable().optional().meta({ description: 'end of the visit window, after scheduled_at; none: an exact time' }),
      reason: reasonSchema,
    }),
    note: (input) => input.reason,
    details: (input) => ({ scheduled_at: input.scheduled_at, scheduled_until: input.scheduled_until ?? null }),
    sql: {
      params: { scheduled_at: 'timestamptz', scheduled_until: 'timestamptz?', reason: 'text' },
      set: (p) => `scheduled_at = ${p.scheduled_at},
    scheduled_until = ${p.scheduled_until},
    scheduled_note = NULL,
    reschedule_count = o.reschedule_count + 1,
    reschedule_reason = ${p.reason},
    last_rescheduled_at = now(),`,
      bind: (input, base) => ({ ...base, scheduled_at: input.scheduled_at, scheduled_until: input.scheduled_until ?? null, reason: input.reason }),
    },
  }),
  edit: action({
    title: 'Edit descriptive fields',
    from: STATUS_SETS.editable,
    to: null,
    who: 'staff',
    body: patchOrderSchema,
    requiresVersion: true,
    recordsChanges: true,
    details: (input) => ({ fields: Object.keys(input) }),
    sql: { params: PATCH_DECLS, set: patchSetSql, bind: (input, base) => ({ ...base, ...patchParams(normalized(input)) }) },
  }),
  delete: action({
    title: 'Delete (soft: it disappears from every read)',
    from: STATUS_SETS.all,
    to: null,
    who: 'admin',
    body: z.strictObject({ reason: reasonSchema.optional() }),
    note: (input) => input.reason ?? null,
    sql: { ...noParams, set: () => `deleted_at = now(),` },
  }),
  restore: action({
    title: 'Restore a deleted order (as it was when deleted)',
    from: STATUS_SETS.all,
    to: null,
    who: 'admin',
    body: z.strictObject({ note: noteSchema }),
    onDeleted: true,
    note: (input) => input.note ?? null,
    sql: { ...noParams, set: () => `deleted_at = NULL,` },
  }),
  // The spec's "cancel after accepting": the master gives the order back with a reason and the dispatcher is told.
  cancel_accepted: action({
    title: 'Cancel after accepting (the master gives the order back)',
    from: ['ACCEPTED'],
    to: 'NEW',
    who: 'master',
    body: z.strictObject({ reason: reasonSchema }),
    note: (input) => input.reason,
    sql: { ...noParams, set: () => `master_id = NULL,` },
  }),
  client_refused: MONEY_ACTIONS.client_refused,
  correct: MONEY_ACTIONS.correct,
};

type Defs = typeof DEFS;
export type ActionName = keyof Defs;
export type ActionInput<N extends ActionName> = z.output<Defs[N]['body']>;
type DeclsOf<S> = S extends ActionSpec<z.ZodType, infer P extends ParamDecls> ? P : never;
export type ActionDecls<N extends ActionName> = DeclsOf<Defs[N]>;
export type ActionDef<N extends ActionName> = ActionSpec<Defs[N]['body'], ActionDecls<N>>;

/** Stated per name, so that indexing with a generic name keeps each action's own types (no casts downstream). */
export const ACTIONS: { [N in ActionName]: ActionDef<N> } = DEFS;
export const ACTION_NAMES = Object.keys(ACTIONS) as ActionName[];

/** Actions that move an order between statuses (the state machine proper). */
export const STATUS_MOVES = ACTION_NAMES.filter((n) => ACTIONS[n].to !== null);

/** Actions allowed from a status. */
export function actionsFrom(status: OrderStatus): ActionName[] {
  return ACTION_NAMES.filter((n) => ACTIONS[n].from.includes(status));
}

/** "long repair", for messages. */
export function verbOf(name: ActionName): string {
  return name.replace('_', ' ');
}
