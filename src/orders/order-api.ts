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

/**
 * Copies every column but the bot's, in the row's order (lists such as the
 * deleted orders' carry columns of their own). A rest pattern leaving the
 * two out took V8's generic path, several times slower than this loop in a
 * micro-benchmark, and a list answers 20 orders a request.
 */
export function toApiOrder(order: VisibleOrder): ApiOrder {
  const api: Record<string, unknown> = {};
  for (const key in order) if (key !== 'dispatcher_telegram_id' && key !== 'master_telegram_id') api[key] = order[key as keyof VisibleOrder];
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
