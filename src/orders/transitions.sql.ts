import type { Queryable } from '../db/database.ts';
import { defineQuery } from '../db/query.ts';
import type { OrderStatus } from '../db/enums.ts';
import type { ParamDecls, ParamsOf } from '../db/types.ts';
import { orderEventCtes } from './order-events.ts';
import { ORDER_VIEW_COLUMNS, ORDER_VIEW_JOINS, ORDER_VIEW_SELECT, type OrderView } from './order-view.ts';
import { RESCHEDULABLE, TRANSITIONS, type TransitionName } from './transitions.ts';

/**
 * Each transition is ONE conditional UPDATE (expected status set, optional
 * expected version, optional "must be this master") that also writes its
 * history and audit rows in the same statement. Of N concurrent conflicting
 * calls exactly one matches; the rest update nothing and get null back.
 *
 * Shared parameters: $1 order id, $2 actor user id, $3 expected version or
 * null, $4 master scope (masters.id the order must be assigned to) or null,
 * $5 history note, $6 extra audit details (jsonb); specific ones from $7.
 */
/** The order after the move, plus what it was before. */
const TRANSITION_COLUMNS = { ...ORDER_VIEW_COLUMNS, previous_status: 'order_status', previous_master_id: 'int8?' } as const;
export type TransitionResult = OrderView & { previous_status: OrderStatus; previous_master_id: number | null };

const COMMON = { id: 'int8', actorId: 'int8', expectedVersion: 'int4?', masterScope: 'int8?', note: 'text?', details: 'jsonb?' } as const;

function transitionQuery<const P extends ParamDecls>(name: TransitionName, extra: P, set: string, extraWhere = '') {
  const rule = TRANSITIONS[name];
  const from = `'{${rule.from.join(',')}}'::order_status[]`;
  return defineQuery({
    name: `orders.transition_${name}`,
    params: { ...COMMON, ...extra },
    columns: TRANSITION_COLUMNS,
    text: `
WITH moved AS (
  UPDATE orders o SET
    status = '${rule.to}',
    ${set}
    version = o.version + 1,
    updated_at = now(),
    status_changed_at = now()
  WHERE o.id = $1::int8
    AND o.deleted_at IS NULL
    AND o.status = ANY (${from})
    AND ($3::int4 IS NULL OR o.version = $3::int4)
    AND ($4::int8 IS NULL OR o.master_id = $4::int8)
    ${extraWhere}
  RETURNING new.*, old.status AS old_status, old.master_id AS old_master_id
),
${orderEventCtes({ source: 'moved', action: `order.${name}`, actor: 2, note: 5, details: 6 })}
SELECT ${ORDER_VIEW_SELECT}, o.old_status AS previous_status, o.old_master_id AS previous_master_id
FROM moved o ${ORDER_VIEW_JOINS}`,
  });
}

// A master can be given an order only while approved and active; reassigning
// to the same master is not a change, so it conflicts like any lost race.
const assign = transitionQuery(
  'assign',
  { masterId: 'int8' },
  `master_id = $7::int8,`,
  `AND (o.status = 'NEW' OR o.master_id <> $7::int8)
    AND EXISTS (SELECT 1 FROM masters ms WHERE ms.id = $7::int8
                AND ms.is_active AND ms.is_approved AND ms.deleted_at IS NULL)`,
);
const unassign = transitionQuery('unassign', {}, `master_id = NULL,`);
const decline = transitionQuery('decline', {}, `master_id = NULL,`);
const accept = transitionQuery('accept', {}, ``);
const arrive = transitionQuery('arrive', {}, ``);
const resume = transitionQuery('resume', {}, ``);
const longRepair = transitionQuery(
  'long_repair',
  { estimatedCompletionDate: 'date', prepaymentAmount: 'numeric?' },
  `estimated_completion_date = $7::date,
    prepayment_amount = COALESCE($8::numeric, o.prepayment_amount),`,
);
const complete = transitionQuery(
  'complete',
  { totalAmount: 'numeric', materialsCost: 'numeric', masterProfit: 'numeric', companyProfit: 'numeric', hasReview: 'bool', outOfCity: 'bool' },
  `total_amount = $7::numeric, materials_cost = $8::numeric,
    master_profit = $9::numeric, company_profit = $10::numeric,
    has_review = $11::bool, out_of_city = $12::bool,
    completed_at = now(),`,
);
const close = transitionQuery('close', {}, `closed_at = now(),`);
const refuse = transitionQuery('refuse', { reason: 'text' }, `refuse_reason = $7::text,`);
const reopen = transitionQuery('reopen', {}, `master_id = NULL, refuse_reason = NULL,`);

type Common = ParamsOf<typeof COMMON>;

/** Arguments each transition needs beyond the common ones. */
export interface TransitionArgs {
  assign: { masterId: number };
  unassign: Record<string, never>;
  decline: Record<string, never>;
  accept: Record<string, never>;
  arrive: Record<string, never>;
  resume: Record<string, never>;
  long_repair: { estimatedCompletionDate: string; prepaymentAmount: string | null };
  complete: { totalAmount: string; materialsCost: string; masterProfit: string; companyProfit: string; hasReview: boolean; outOfCity: boolean };
  close: Record<string, never>;
  refuse: { reason: string };
  reopen: Record<string, never>;
}

const QUERIES = {
  assign,
  unassign,
  decline,
  accept,
  arrive,
  resume,
  long_repair: longRepair,
  complete,
  close,
  refuse,
  reopen,
};

/** Applies a transition; null when the order did not match (status, version, master, or gone). */
export function applyTransition<N extends TransitionName>(db: Queryable, name: N, common: Common, args: TransitionArgs[N]): Promise<TransitionResult | null> {
  const query = QUERIES[name] as unknown as typeof accept;
  return db.maybeOne(query, { ...common, ...args } as ParamsOf<typeof accept.params>);
}

const rescheduleQuery = defineQuery({
  name: 'orders.reschedule_order',
  params: { ...COMMON, scheduledAt: 'timestamptz', reason: 'text' },
  columns: ORDER_VIEW_COLUMNS,
  text: `
WITH moved AS (
  UPDATE orders o SET
    scheduled_at = $7::timestamptz,
    scheduled_note = NULL,
    reschedule_count = o.reschedule_count + 1,
    reschedule_reason = $8::text,
    last_rescheduled_at = now(),
    version = o.version + 1,
    updated_at = now()
  WHERE o.id = $1::int8
    AND o.deleted_at IS NULL
    AND o.status = ANY ('{${RESCHEDULABLE.join(',')}}'::order_status[])
    AND ($3::int4 IS NULL OR o.version = $3::int4)
    AND ($4::int8 IS NULL OR o.master_id = $4::int8)
  RETURNING new.*, old.status AS old_status
),
${orderEventCtes({ source: 'moved', action: 'order.reschedule', actor: 2, note: 5, details: 6 })}
SELECT ${ORDER_VIEW_SELECT}
FROM moved o ${ORDER_VIEW_JOINS}`,
});

/** Moves the visit to another time (no status change); null when the order did not match. */
export function rescheduleOrder(db: Queryable, common: Common, scheduledAt: string, reason: string): Promise<OrderView | null> {
  return db.maybeOne(rescheduleQuery, { ...common, scheduledAt, reason });
}
