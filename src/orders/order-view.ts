import type { RowOf } from '../db/types.ts';

/**
 * The one place that knows how an order is read: its columns plus the
 * dispatcher's and master's names, joined live (never stored copies).
 * Every order-returning query selects ORDER_VIEW_SELECT from `orders o`
 * (or a CTE aliased `o`) followed by ORDER_VIEW_JOINS.
 */
export const ORDER_VIEW_SELECT = `
  o.id, o.status, o.equipment_type, o.description, o.client_name, o.client_address,
  o.client_phone, o.notes, o.scheduled_at, o.scheduled_note,
  o.dispatcher_id, d.name AS dispatcher_name, d.telegram_id AS dispatcher_telegram_id,
  o.master_id, mu.name AS master_name, mu.telegram_id AS master_telegram_id,
  o.total_amount, o.materials_cost, o.master_profit, o.company_profit, o.prepayment_amount,
  o.has_review, o.out_of_city, o.estimated_completion_date,
  o.reschedule_count, o.reschedule_reason, o.last_rescheduled_at, o.refuse_reason,
  o.created_at, o.updated_at, o.status_changed_at, o.completed_at, o.closed_at, o.version`;

export const ORDER_VIEW_JOINS = `
  LEFT JOIN users d ON d.id = o.dispatcher_id
  LEFT JOIN masters m ON m.id = o.master_id
  LEFT JOIN users mu ON mu.id = m.user_id`;

/** Column types of ORDER_VIEW_SELECT, checked against the schema by test. */
export const ORDER_VIEW_COLUMNS = {
  /** Order number shown to people. */
  id: 'int8',
  status: 'order_status',
  /** equipment_types.code */
  equipment_type: 'text',
  description: 'text',
  client_name: 'text',
  client_address: 'text',
  /** Normalized digits with optional leading +; hidden from masters before IN_PROGRESS. */
  client_phone: 'text',
  notes: 'text?',
  /** Agreed visit time, when known. */
  scheduled_at: 'timestamptz?',
  /** Visit time as typed by a person when it could not be parsed. */
  scheduled_note: 'text?',
  dispatcher_id: 'int8?',
  dispatcher_name: 'text?',
  dispatcher_telegram_id: 'int8?',
  /** masters.id of the assigned master. */
  master_id: 'int8?',
  master_name: 'text?',
  master_telegram_id: 'int8?',
  total_amount: 'numeric?',
  materials_cost: 'numeric?',
  master_profit: 'numeric?',
  company_profit: 'numeric?',
  prepayment_amount: 'numeric?',
  has_review: 'bool',
  out_of_city: 'bool',
  /** Expected end of a long repair. */
  estimated_completion_date: 'date?',
  reschedule_count: 'int4',
  reschedule_reason: 'text?',
  last_rescheduled_at: 'timestamptz?',
  refuse_reason: 'text?',
  created_at: 'timestamptz',
  updated_at: 'timestamptz',
  /** When the order entered its current status (SLA clock). */
  status_changed_at: 'timestamptz',
  completed_at: 'timestamptz?',
  closed_at: 'timestamptz?',
  /** Optimistic-concurrency version; bumped by every change. */
  version: 'int4',
} as const;

export type OrderView = RowOf<typeof ORDER_VIEW_COLUMNS>;
