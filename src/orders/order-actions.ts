import { z } from 'zod';
import type { OrderStatus } from '../db/enums.ts';
import type { ParamDecls, ParamsOf } from '../db/types.ts';
import { ConflictError, UnprocessableError, ValidationError, type AppError } from '../errors.ts';
import { dateSchema, text, timestampSchema } from '../input.ts';
import type { CompletionTerms } from '../money/commission-service.ts';
import { fromKopecks, toKopecks } from './money.ts';
import { isAmount, MAX_AMOUNT, MoneyError, splitMoney, type CommissionRules, type Split } from './money.ts';
import { normalized, PATCH_DECLS, patchOrderSchema, patchParams, patchSetSql } from './order-fields.ts';
import { COMPLETION_PHOTO_RULE } from './completion-photo.sql.ts';
import { STATUS_SETS } from './order-statuses.ts';

/**
 * Everything that changes an existing order, declared once per action:
 * the statuses it starts from and the one it leads to (null: the status
 * stays), who may do it, its input schema, and its statement (the SET
 * fragment, extra WHERE, and how the input becomes parameters). The API's
 * routes and OpenAPI text, the bot's buttons, the workflow's checks and the
 * statements (order-actions.sql.ts) all read this table; the compiler checks
 * each action's input against its parameters and its SQL against their names.
 *
 * who: staff = an admin or a dispatcher; master = the assigned master, or an
 * admin acting for them; staff_or_master = staff, or the assigned master;
 * admin = admins only; client = a client of the order (someone who opened its
 * client link in the bot; no role needed, the statement checks the link).
 */
export type Who = 'staff' | 'master' | 'staff_or_master' | 'admin' | 'client';

/** Parameters every action statement binds first, in this order ($1..$6). */
export const ACTION_COMMON = { id: 'int8', actor_id: 'int8', expected_version: 'int4?', master_scope: 'int8?', note: 'text?', details: 'jsonb?' } as const;
type CommonDecls = typeof ACTION_COMMON;
type ActionBase = ParamsOf<CommonDecls>;

/** `$n::type` for each parameter name, to write an action's SQL with names the compiler checks. */
export type Placeholders<P> = { readonly [K in keyof P]: string };

/** The bare state of an order, deleted or not: used to explain a refused change. */
export interface OrderState {
  id: number;
  status: OrderStatus;
  master_id: number | null;
  version: number;
  deleted: boolean;
}

/** What a correction starts from: the order's money now (read at the version the caller named) and its recorded rule. */
interface CorrectionTerms extends CompletionTerms {
  current: { total_amount: string; materials_cost: string; has_review: boolean; out_of_city: boolean; company_profit: string; master_profit: string };
}

/** What actions may consult beyond their input. */
export interface ActionDeps {
  /** The commission rule a completion uses (read for that order just before it); null for other actions. */
  completion: CompletionTerms | null;
  /** The refusal-fee rule a refusal on site uses; null for other actions. */
  refusal: CompletionTerms | null;
  /** A correction: the rule recorded at completion and the money it corrects; null for other actions. */
  correction: CorrectionTerms | null;
  findMaster(id: number): Promise<{ is_approved: boolean; is_active: boolean } | null>;
  /** A setting asks for an "after" photo to complete, and the order has none. */
  afterPhotoMissing(id: number): Promise<boolean>;
  /** The prepayment taken at a long repair (null: none). */
  prepaymentOf(id: number): Promise<string | null>;
  /** The order's refusal fee was handed over in a settlement. */
  feeHandedOver(id: number): Promise<boolean>;
}

interface ActionSpec<B extends z.ZodType, P extends ParamDecls> {
  /** What it does, for people (OpenAPI summary). */
  title: string;
  from: readonly OrderStatus[];
  to: OrderStatus | null;
  who: Who;
  body: B;
  /** The caller must name the version it saw (edits never lose an update). */
  requiresVersion?: true;
  /** Acts on deleted orders only (restore); every other action never sees them. */
  onDeleted?: true;
  /** The audit row keeps each changed field's value before and after (edits). */
  recordsChanges?: true;
  /** The history note. */
  note?: (input: z.output<B>) => string | null;
  /** Extra audit details. */
  details?: (input: z.output<B>) => Record<string, unknown>;
  /** When the status allowed the action but nothing matched: an action-specific reason, if any. */
  explain?: (input: z.output<B>, state: OrderState, deps: ActionDeps) => Promise<AppError | null>;
  sql: {
    params: P;
    set: (p: Placeholders<CommonDecls & P>) => string;
    where?: (p: Placeholders<CommonDecls & P>) => string;
    bind: (input: z.output<B>, base: ActionBase, deps: ActionDeps) => ParamsOf<CommonDecls & P>;
    /** Further CTEs reading `moved` (the changed row), written in the same statement. */
    ctes?: (p: Placeholders<CommonDecls & P>) => string;
  };
}

function action<B extends z.ZodType, const P extends ParamDecls>(spec: ActionSpec<B, P>): ActionSpec<B, P> {
  return spec;
}

export const reasonSchema = text(1000);
const noteSchema = text(1000).optional();
const amountSchema = z.string().refine(isAmount, `must be a decimal string like "1234.50", from 0 to ${MAX_AMOUNT}`);
const empty = z.strictObject({});
const noParams = { params: {}, set: () => '', bind: (_input: unknown, base: ActionBase) => base };

/** The split a completion records; a money rule broken by the input names its field. */
export function completionSplit(
  input: { total_amount: string; materials_cost: string; has_review: boolean; out_of_city: boolean },
  rules: CommissionRules,
): Split {
  try {
    return splitMoney({ total: input.total_amount, materials: input.materials_cost, hasReview: input.has_review, outOfCity: input.out_of_city }, rules);
  } catch (err) {
    if (err instanceof MoneyError) throw new ValidationError(err.message, { field: err.field });
    throw err;
  }
}

/** A refusal fee split by the refusal-fee rule: no materials, no bonuses (the legacy bot's split of a refusal's amount). */
function refusalSplit(fee: string, terms: CompletionTerms): Split {
  return completionSplit({ total_amount: fee, materials_cost: '0', has_review: false, out_of_city: false }, terms.rules);
}

type CorrectionInput = { total_amount?: string; materials_cost?: string; has_review?: boolean; out_of_city?: boolean; reason: string };

/** The corrected money, its split by the recorded rule, the before and after kept, and what the master owes more (or less). */
function correctionParams(input: CorrectionInput, base: ActionBase, deps: ActionDeps) {
  if (!deps.correction) throw new Error('a correction needs the recorded terms of its order');
  const { current, rules } = deps.correction;
  const next = {
    total_amount: input.total_amount ?? current.total_amount,
    materials_cost: input.materials_cost ?? current.materials_cost,
    has_review: input.has_review ?? current.has_review,
    out_of_city: input.out_of_city ?? current.out_of_city,
  };
  const s = completionSplit(next, rules);
  const before = { ...current, total_amount: fromKopecks(toKopecks(current.total_amount)), materials_cost: fromKopecks(toKopecks(current.materials_cost)) };
  const after = {
    total_amount: s.total,
    materials_cost: s.materials,
    has_review: next.has_review,
    out_of_city: next.out_of_city,
    master_profit: s.masterShare,
    company_profit: s.companyShare,
  };
  if (
    after.total_amount === before.total_amount &&
    after.materials_cost === before.materials_cost &&
    after.has_review === before.has_review &&
    after.out_of_city === before.out_of_city
  ) {
    throw new ValidationError('changes nothing: give a new total_amount, materials_cost, has_review or out_of_city', { field: 'total_amount' });
  }
  const delta = fromKopecks(toKopecks(s.companyShare) - toKopecks(current.company_profit));
  // `changes` as an edit writes them, so the order's history shows each amount before and after.
  const changes = Object.fromEntries(
    (Object.keys(after) as Array<keyof typeof after>).filter((k) => after[k] !== before[k]).map((k) => [k, { from: before[k], to: after[k] }]),
  );
  const trail = {
    ...(base.details === null ? {} : (JSON.parse(base.details) as object)),
    before,
    after,
    changes,
    owed_delta: delta,
    rule_id: deps.correction.ruleId,
  };
  return {
    ...after,
    master_rate: s.ratePercent,
    reason: input.reason,
    before: JSON.stringify(before),
    after: JSON.stringify(after),
    owed_delta: delta,
    details: JSON.stringify(trail),
  };
}

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
  arrive: action({ title: 'Arrive on site', from: ['ACCEPTED', 'LONG_REPAIR'], to: 'IN_PROGRESS', who: 'master', body: empty, sql: noParams }),
  resume: action({ title: 'Resume after a long repair', from: ['LONG_REPAIR'], to: 'IN_PROGRESS', who: 'master', body: empty, sql: noParams }),
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
  complete: action({
    title: 'Complete with the money taken (the split is computed)',
    from: ['IN_PROGRESS', 'LONG_REPAIR'],
    to: 'COMPLETED',
    who: 'master',
    body: z.strictObject({ total_amount: amountSchema, materials_cost: amountSchema, has_review: z.boolean(), out_of_city: z.boolean() }),
    explain: async (input, state, deps) => {
      // The company took the prepayment at the long repair: a total below it would leave the client owed money.
      const prepaid = await deps.prepaymentOf(state.id);
      if (prepaid !== null && toKopecks(prepaid) > toKopecks(input.total_amount)) {
        return new UnprocessableError(`must not be below the prepayment of ${prepaid} the client already paid`, { field: 'total_amount' });
      }
      return (await deps.afterPhotoMissing(state.id))
        ? new ConflictError('an "after" photo of the work is needed to complete this order: attach one first', { field: 'photo' })
        : null;
    },
    sql: {
      params: {
        total_amount: 'numeric',
        materials_cost: 'numeric',
        master_profit: 'numeric',
        company_profit: 'numeric',
        has_review: 'bool',
        out_of_city: 'bool',
        commission_rule_id: 'int8',
        master_rate: 'int4',
        rule_equipment_type: 'text',
      },
      set: (p) => `total_amount = ${p.total_amount}, materials_cost = ${p.materials_cost},
    master_profit = ${p.master_profit}, company_profit = ${p.company_profit},
    has_review = ${p.has_review}, out_of_city = ${p.out_of_city},
    commission_rule_id = ${p.commission_rule_id}, master_rate = ${p.master_rate},
    completed_at = now(),`,
      // The rule was chosen by the order's type: a type changed meanwhile misses (a conflict), never a wrong split.
      where: (p) => `AND o.equipment_type = ${p.rule_equipment_type} AND ${COMPLETION_PHOTO_RULE('o.id')}
    AND COALESCE(o.prepayment_amount, 0) <= ${p.total_amount}`,
      bind: (input, base, deps) => {
        if (!deps.completion) throw new Error('a completion needs the commission terms of its order');
        const s = completionSplit(input, deps.completion.rules);
        const money = { total_amount: s.total, materials_cost: s.materials, master_profit: s.masterShare, company_profit: s.companyShare };
        const rule = { commission_rule_id: deps.completion.ruleId, master_rate: s.ratePercent, rule_equipment_type: deps.completion.equipmentType };
        return { ...base, ...money, ...rule, has_review: input.has_review, out_of_city: input.out_of_city };
      },
    },
  }),
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
  // The spec's "client refused on site": a fee (e.g. diagnostics) is revenue with its own split.
  client_refused: action({
    title: 'Client refused on site: a reason and an optional fee (e.g. diagnostics), split by the refusal-fee rule',
    from: ['IN_PROGRESS', 'LONG_REPAIR'],
    to: 'REFUSED',
    who: 'master',
    body: z.strictObject({
      reason: reasonSchema,
      fee: amountSchema.nullable().optional().meta({ description: 'what the client paid, e.g. "500.00"; none or "0": no fee' }),
    }),
    note: (input) => input.reason,
    details: (input) => ({ by: 'master_on_site', fee: input.fee ?? null }),
    sql: {
      params: { reason: 'text', fee: 'numeric?', fee_master: 'numeric?', fee_company: 'numeric?', fee_rule_id: 'int8?', rule_equipment_type: 'text' },
      set: (p) => `refuse_reason = ${p.reason}, refused_at = now(),
    refusal_fee = ${p.fee}, refusal_master_share = ${p.fee_master}, refusal_company_share = ${p.fee_company}, refusal_rule_id = ${p.fee_rule_id},`,
      // The rule was chosen by the order's type: a type changed meanwhile misses (a conflict), never a wrong split.
      where: (p) => `AND o.equipment_type = ${p.rule_equipment_type}`,
      bind: (input, base, deps) => {
        if (!deps.refusal) throw new Error('a refusal on site needs the refusal-fee terms of its order');
        const fee = input.fee !== undefined && input.fee !== null && toKopecks(input.fee) > 0n ? refusalSplit(input.fee, deps.refusal) : null;
        return {
          ...base,
          reason: input.reason,
          fee: fee?.total ?? null,
          fee_master: fee?.masterShare ?? null,
          fee_company: fee?.companyShare ?? null,
          fee_rule_id: fee ? deps.refusal.ruleId : null,
          rule_equipment_type: deps.refusal.equipmentType,
        };
      },
    },
  }),
  // Money after the fact: re-split by the rule recorded at completion; the master's ledger gets the difference.
  correct: action({
    title: 'Correct the money of a completed or closed order (re-split by the rule recorded at completion)',
    from: ['COMPLETED', 'CLOSED'],
    to: null,
    who: 'admin',
    body: z.strictObject({
      total_amount: amountSchema.optional(),
      materials_cost: amountSchema.optional(),
      has_review: z.boolean().optional(),
      out_of_city: z.boolean().optional(),
      reason: reasonSchema,
    }),
    requiresVersion: true,
    note: (input) => input.reason,
    sql: {
      params: {
        total_amount: 'numeric',
        materials_cost: 'numeric',
        master_profit: 'numeric',
        company_profit: 'numeric',
        has_review: 'bool',
        out_of_city: 'bool',
        master_rate: 'int4',
        reason: 'text',
        before: 'jsonb',
        after: 'jsonb',
        owed_delta: 'numeric',
      },
      set: (p) => `total_amount = ${p.total_amount}, materials_cost = ${p.materials_cost},
    master_profit = ${p.master_profit}, company_profit = ${p.company_profit},
    has_review = ${p.has_review}, out_of_city = ${p.out_of_city}, master_rate = ${p.master_rate},`,
      // On a CLOSED order the share was handed over already: the difference stands on its own in the ledger.
      ctes: (p) => `correction AS (
    INSERT INTO order_corrections (order_id, master_id, corrected_by, reason, before, after, owed_delta, after_close)
    SELECT m.id, m.master_id, ${p.actor_id}, ${p.reason}, ${p.before}, ${p.after}, ${p.owed_delta}, m.status = 'CLOSED'
    FROM moved m
  )`,
      bind: (input, base, deps) => ({ ...base, ...correctionParams(input, base, deps) }),
    },
  }),
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
