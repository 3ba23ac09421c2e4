import type { RowOf } from '../db/types.ts';
import { FIELD_DECLS } from './order-fields.ts';

/**
 * The one place that knows how an order is read: its columns (the declared
 * fields among them) plus the dispatcher's and master's names, joined live
 * (never stored copies). Every order-returning query selects
 * ORDER_VIEW_SELECT from `orders o` (or a CTE aliased `o`) followed by
 * ORDER_VIEW_JOINS.
 */
export const ORDER_VIEW_COLUMNS = {
  /** Order number shown to people. */
  id: 'int8',
  status: 'order_status',
  ...FIELD_DECLS,
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
  /** The master's percent of net the split used (null before completion, and for imported money). */
  master_rate: 'int4?',
  has_review: 'bool',
  out_of_city: 'bool',
  /** Expected end of a long repair. */
  estimated_completion_date: 'date?',
  /** What a long repair waits for, and the cost the client was told to expect. */
  parts_needed: 'text?',
  estimated_cost: 'numeric?',
  reschedule_count: 'int4',
  reschedule_reason: 'text?',
  last_rescheduled_at: 'timestamptz?',
  refuse_reason: 'text?',
  /** What the client paid on refusing on site (e.g. diagnostics), and its split by the refusal-fee rule. */
  refusal_fee: 'numeric?',
  refusal_master_share: 'numeric?',
  refusal_company_share: 'numeric?',
  created_at: 'timestamptz',
  updated_at: 'timestamptz',
  /** When the order entered its current status (SLA clock). */
  status_changed_at: 'timestamptz',
  completed_at: 'timestamptz?',
  closed_at: 'timestamptz?',
  /** Optimistic-concurrency version; bumped by every change. */
  version: 'int4',
  /** The order's number in the legacy bot it was imported from ("было № 45"), and that bot's source (e.g. msk). */
  legacy_number: 'int8?',
  legacy_source: 'text?',
} as const;

export type OrderView = RowOf<typeof ORDER_VIEW_COLUMNS>;

/** Columns that come from the joined people rather than from `orders`. */
const JOINED: Record<string, string> = {
  dispatcher_name: 'd.name',
  dispatcher_telegram_id: 'd.telegram_id',
  master_name: 'mu.name',
  master_telegram_id: 'mu.telegram_id',
  legacy_number: 'lo.legacy_id',
  legacy_source: 'lo.source',
};

/** Whom the bot writes to; the HTTP API does not hand these out (see order-api.ts). */
export const BOT_ONLY_COLUMNS = ['dispatcher_telegram_id', 'master_telegram_id'] as const;

// Column names are the keys above (identifiers), so this is constant SQL built at module load.
export const ORDER_VIEW_SELECT = Object.keys(ORDER_VIEW_COLUMNS)
  .map((c) => (JOINED[c] ? `${JOINED[c]} AS ${c}` : `o.${c}`))
  .join(', ');

export const ORDER_VIEW_JOINS = `
  LEFT JOIN users d ON d.id = o.dispatcher_id
  LEFT JOIN masters m ON m.id = o.master_id
  LEFT JOIN users mu ON mu.id = m.user_id
  LEFT JOIN legacy_orders lo ON lo.order_id = o.id`;
