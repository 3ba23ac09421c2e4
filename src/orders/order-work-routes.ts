import { z } from 'zod';
import { docSchemas } from '../http/openapi.ts';
import { defineRoute, type AnyRoute } from '../http/route-kit.ts';
import { pageSchema, itemsSchema } from '../http/schemas.ts';
import { cursorQuery, limitQuery } from '../http/validate.ts';
import type { Services } from '../services.ts';
import { orderIdParams, orderSchema, toApiOrder } from './order-api.ts';

/** The deleted orders' list (restore is POST /orders/{id}/restore) and an order's whole timeline. */
const deletedOrderSchema = orderSchema.extend({
  deleted_at: z.string().nullable().meta({ description: 'when it was deleted' }),
  delete_reason: z.string().nullable(),
  deleted_by: z.string().nullable(),
});
docSchemas.add(deletedOrderSchema, { id: 'DeletedOrder', description: 'A deleted order, with who deleted it, when and why' });

const change = z.strictObject({ from: z.unknown(), to: z.unknown() });
const timelineEntrySchema = z.strictObject({
  at: z.string(),
  action: z.string().meta({ description: 'create, or the action: assign, edit, reschedule, delete, ...' }),
  actor_name: z.string().nullable(),
  from: z.string().nullable(),
  to: z.string().nullable(),
  version: z.int().nullable(),
  note: z.string().nullable(),
  changes: z.record(z.string(), change).meta({ description: 'edited fields, each with its value before and after' }),
  scheduled_at: z.string().nullable(),
  scheduled_until: z.string().nullable(),
  for_master: z.string().nullable().meta({ description: "set when an admin did a master's action for this master" }),
});
docSchemas.add(timelineEntrySchema, { id: 'OrderTimelineEntry' });

const READERS = ['ADMIN', 'DISPATCHER', 'MASTER'] as const;

export function orderWorkRoutes(services: Services): AnyRoute[] {
  const { orders } = services;
  return [
    defineRoute({
      method: 'get',
      path: '/api/v1/deleted-orders',
      operationId: 'listDeletedOrders',
      summary: 'Deleted orders, the latest deleted first (keyset pages)',
      tag: 'orders',
      roles: ['ADMIN'],
      query: z.strictObject({ limit: limitQuery.optional(), cursor: cursorQuery.optional() }),
      responses: { 200: { description: 'A page of deleted orders', schema: pageSchema(deletedOrderSchema) } },
      async handle({ principal, query, res }) {
        const page = await orders.listDeleted(principal, { limit: query.limit, cursor: query.cursor });
        res.json({ items: page.items.map(toApiOrder), next_cursor: page.next_cursor });
      },
    }),
    defineRoute({
      method: 'get',
      path: '/api/v1/orders/{id}/timeline',
      operationId: 'getOrderTimeline',
      summary: 'Every change of an order (status moves, edits with values before and after, reschedules), oldest first',
      tag: 'orders',
      roles: READERS,
      rolesNote: 'A master sees only orders assigned to them (others answer 404); a phone they may not see yet is blanked.',
      params: orderIdParams,
      responses: { 200: { description: 'The newest 50 changes, oldest first', schema: itemsSchema(timelineEntrySchema) } },
      errors: [404],
      async handle({ principal, params, res }) {
        res.json({ items: await orders.timeline(principal, params.id) });
      },
    }),
  ];
}
