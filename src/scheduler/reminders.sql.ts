import type { Queryable } from '../db/database.ts';
import { defineQuery } from '../db/query.ts';
import { STATUS_SETS, statusListSql } from '../orders/order-statuses.ts';
import { ORDER_VIEW_COLUMNS, ORDER_VIEW_JOINS, ORDER_VIEW_SELECT, type OrderView } from '../orders/order-view.ts';

/**
 * Reminder claims: INSERT ... ON CONFLICT DO NOTHING RETURNING into
 * order_reminders, keyed by the order, what the reminder is about and the
 * repeat interval, so each reminder goes out once per interval whichever
 * instance runs the job. Time is a parameter ($1 now), never now(): the
 * scheduler's clock decides, and tests control it.
 *
 * During quiet hours $holdUntil is their end and only urgent reminders are
 * claimed: those about a visit that is still ahead and falls before the quiet
 * hours end. The rest stay unclaimed and go out when the quiet hours are over.
 */
const REMINDER_COLUMNS = {
  ...ORDER_VIEW_COLUMNS,
  master_work_chat_id: 'int8?',
  /** Waiting so far (unassigned, accept) or left until the visit (visit), in whole minutes. */
  minutes: 'int4',
} as const;

export type ReminderOrder = OrderView & { master_work_chat_id: number | null; minutes: number };

const URGENT_DURING_QUIET = `($4::timestamptz IS NULL OR (o.scheduled_at > $1::timestamptz AND o.scheduled_at < $4::timestamptz))`;

/** Orders waiting in one status (NEW: to be assigned; ASSIGNED: to be accepted). */
function waitingQuery(name: string, kind: 'unassigned' | 'accept', status: 'NEW' | 'ASSIGNED') {
  return defineQuery({
    name,
    params: { now: 'timestamptz', slot: 'timestamptz', afterSeconds: 'int4', holdUntil: 'timestamptz?', limit: 'int4' },
    columns: REMINDER_COLUMNS,
    text: `
WITH due AS (
  SELECT o.id, o.status_changed_at FROM orders o
  WHERE o.status = '${status}' AND o.deleted_at IS NULL
    AND o.status_changed_at <= $2::timestamptz - make_interval(secs => $3::int4)
    AND ${URGENT_DURING_QUIET}
    AND NOT EXISTS (
      SELECT 1 FROM order_reminders r
      WHERE r.order_id = o.id AND r.kind = '${kind}' AND r.subject_at = o.status_changed_at AND r.slot_at = $2::timestamptz)
  ORDER BY o.status_changed_at
  LIMIT $5::int4
),
claimed AS (
  INSERT INTO order_reminders (order_id, kind, subject_at, slot_at, sent_at)
  SELECT id, '${kind}', status_changed_at, $2::timestamptz, $1::timestamptz FROM due
  ON CONFLICT DO NOTHING
  RETURNING order_id
)
SELECT ${ORDER_VIEW_SELECT}, m.work_chat_id AS master_work_chat_id,
  floor(extract(epoch FROM $1::timestamptz - o.status_changed_at) / 60)::int4 AS minutes
FROM claimed c JOIN orders o ON o.id = c.order_id ${ORDER_VIEW_JOINS}
ORDER BY o.status_changed_at, o.id`,
  });
}

const claimUnassignedRemindersQuery = waitingQuery('reminders.claim_unassigned_reminders', 'unassigned', 'NEW');
const claimAcceptRemindersQuery = waitingQuery('reminders.claim_accept_reminders', 'accept', 'ASSIGNED');

export interface WaitingClaim {
  now: Date;
  /** Start of the current repeat interval. */
  slot: Date;
  afterMinutes: number;
  /** End of the quiet hours when now is inside them, else null. */
  holdUntil: Date | null;
  limit: number;
}

function waitingParams(c: WaitingClaim) {
  return {
    now: c.now.toISOString(),
    slot: c.slot.toISOString(),
    afterSeconds: c.afterMinutes * 60,
    holdUntil: c.holdUntil?.toISOString() ?? null,
    limit: c.limit,
  };
}

/** NEW orders unassigned for `afterMinutes` by the start of this interval, not yet reminded in it. */
export function claimUnassignedReminders(db: Queryable, claim: WaitingClaim): Promise<ReminderOrder[]> {
  return db.many(claimUnassignedRemindersQuery, waitingParams(claim));
}

/** ASSIGNED orders not accepted for `afterMinutes` by the start of this interval, not yet reminded in it. */
export function claimAcceptReminders(db: Queryable, claim: WaitingClaim): Promise<ReminderOrder[]> {
  return db.many(claimAcceptRemindersQuery, waitingParams(claim));
}

/**
 * Orders whose visit is reminded (STATUS_SETS.visitReminder), as a literal:
 * it must match the predicate of the partial index orders_upcoming_visit_idx
 * for the planner to use that index in a generic plan
 * (test/db/partial-indexes.test.ts fails when the two differ).
 */
const VISIT_REMINDED = `o.status IN ${statusListSql(STATUS_SETS.visitReminder)}`;

const claimVisitRemindersQuery = defineQuery({
  name: 'reminders.claim_visit_reminders',
  params: { now: 'timestamptz', beforeSeconds: 'int4', limit: 'int4', holdUntil: 'timestamptz?' },
  columns: REMINDER_COLUMNS,
  text: `
WITH due AS (
  SELECT o.id, o.scheduled_at FROM orders o
  WHERE ${VISIT_REMINDED} AND o.deleted_at IS NULL
    AND o.scheduled_at > $1::timestamptz
    AND o.scheduled_at <= $1::timestamptz + make_interval(secs => $2::int4)
    AND ${URGENT_DURING_QUIET}
    AND NOT EXISTS (
      SELECT 1 FROM order_reminders r
      WHERE r.order_id = o.id AND r.kind = 'visit' AND r.subject_at = o.scheduled_at AND r.slot_at = o.scheduled_at)
  ORDER BY o.scheduled_at
  LIMIT $3::int4
),
claimed AS (
  INSERT INTO order_reminders (order_id, kind, subject_at, slot_at, sent_at)
  SELECT id, 'visit', scheduled_at, scheduled_at, $1::timestamptz FROM due
  ON CONFLICT DO NOTHING
  RETURNING order_id
)
SELECT ${ORDER_VIEW_SELECT}, m.work_chat_id AS master_work_chat_id,
  ceil(extract(epoch FROM o.scheduled_at - $1::timestamptz) / 60)::int4 AS minutes
FROM claimed c JOIN orders o ON o.id = c.order_id ${ORDER_VIEW_JOINS}
ORDER BY o.scheduled_at, o.id`,
});

/** Visits within `beforeMinutes` from now for orders a master holds; each visit time reminded once. */
export function claimVisitReminders(
  db: Queryable,
  claim: { now: Date; beforeMinutes: number; holdUntil: Date | null; limit: number },
): Promise<ReminderOrder[]> {
  return db.many(claimVisitRemindersQuery, {
    now: claim.now.toISOString(),
    beforeSeconds: claim.beforeMinutes * 60,
    limit: claim.limit,
    holdUntil: claim.holdUntil?.toISOString() ?? null,
  });
}

const deleteOldRemindersQuery = defineQuery({
  name: 'reminders.delete_old_reminders',
  params: { before: 'timestamptz' },
  columns: {},
  text: `DELETE FROM order_reminders WHERE sent_at < $1::timestamptz`,
});

/** Only the current interval's rows matter; older ones are kept a while for questions like "was he reminded?". */
export function deleteOldReminders(db: Queryable, before: Date): Promise<number> {
  return db.run(deleteOldRemindersQuery, { before: before.toISOString() });
}
