import { z } from 'zod';
import { docSchemas } from '../http/openapi.ts';
import { columnSchema, rowSchema } from '../http/schemas.ts';
import { idParam } from '../http/validate.ts';
import type { VisibleOrder } from './order-access.ts';
import { ORDER_FIELDS } from './order-fields.ts';
import { BOT_ONLY_COLUMNS, ORDER_VIEW_COLUMNS } from './order-view.ts';
import { ORDER_HISTORY_COLUMNS } from './orders.sql.ts';

const { dispatcher_telegram_id: _d, master_telegram_id: _m, ...API_ORDER_COLUMNS } = ORDER_VIEW_COLUMNS;

/**
 * The HTTP API's order: the view as a reader may see it, less what only the
 * bot needs (whom to message). Mapped explicitly, so the API answers exactly
 * what its OpenAPI schema promises.
 */
type BotOnly = (typeof BOT_ONLY_COLUMNS)[number];
export type ApiOrder = Omit<VisibleOrder, BotOnly>;

const API_ORDER_KEYS = Object.keys(API_ORDER_COLUMNS) as Array<keyof ApiOrder>;

/**
 * Copies the API's columns by name, in the view's order. A rest pattern
 * leaving out the bot's columns took V8's generic path, 10-15 µs an order
 * (a list of 20: about 0.2 ms of CPU a request under the mix of #18); the
 * same keys assigned in the same order each time take about 2 µs.
 */
export function toApiOrder(order: VisibleOrder): ApiOrder {
  const api: Partial<Record<keyof ApiOrder, unknown>> = {};
  for (const key of API_ORDER_KEYS) api[key] = order[key];
  return api as ApiOrder;
}

const fieldDocs = Object.fromEntries(
  Object.entries(ORDER_FIELDS)
    .filter(([, f]) => f.doc !== undefined)
    .map(([k, f]) => [k, columnSchema(f.pg).meta({ description: f.doc })]),
);

export const orderSchema = rowSchema(API_ORDER_COLUMNS, {
  ...fieldDocs,
  client_phone: z.string().nullable().meta({ description: 'normalized digits; null for a master before IN_PROGRESS' }),
});
docSchemas.add(orderSchema, { id: 'Order', description: 'An order with the dispatcher and master names; `version` is also the ETag' });

export const historyEntrySchema = rowSchema(ORDER_HISTORY_COLUMNS);
docSchemas.add(historyEntrySchema, { id: 'OrderHistoryEntry' });

export const orderIdParams = z.strictObject({ id: idParam });

/** The version the services call expected_version travels in If-Match. */
export const VERSION_HEADER = { expected_version: 'If-Match' };
