import { z } from 'zod';
import { ORDER_STATUSES, type OrderStatus } from '../db/enums.ts';
import { expectedVersion, setVersionTag } from '../http/etag.ts';
import { defineRoute, type AnyRoute } from '../http/route-kit.ts';
import { itemsSchema, pageSchema } from '../http/schemas.ts';
import { cursorQuery, idQuery, limitQuery, parseInput, textQuery } from '../http/validate.ts';
import type { Services } from '../services.ts';
import { ACTIONS } from './order-actions.ts';
import { ROLES_OF } from './order-access.ts';
import { historyEntrySchema, orderIdParams, orderSchema, toApiOrder, VERSION_HEADER } from './order-api.ts';
import { describeStatuses } from './order-statuses.ts';
import { createOrderSchema } from './order-fields.ts';
import { orderWorkRoutes } from './order-work-routes.ts';

const statusList = z
  .string()
  .meta({ description: `comma-separated statuses (${ORDER_STATUSES.join(', ')}); all when absent`, examples: ['NEW,ASSIGNED'] })
  .transform((s, ctx) => {
    const parts = s.split(',').map((p) => p.trim().toUpperCase());
    const bad = parts.find((p) => !(ORDER_STATUSES as readonly string[]).includes(p));
    if (bad !== undefined || parts.length > ORDER_STATUSES.length) {
      ctx.addIssue({ code: 'custom', message: `must be a comma-separated list of ${ORDER_STATUSES.join(', ')}` });
      return z.NEVER;
    }
    return parts as OrderStatus[];
  });

const listQuery = z.strictObject({
  status: statusList.optional(),
  master_id: idQuery.optional(),
  limit: limitQuery.optional(),
  cursor: cursorQuery.optional(),
});

const searchQuery = z.strictObject({
  q: textQuery(
    1,
    200,
    'a phone number or part of one (any formatting; 8 and +7 alike): the numbers ending with it, else those holding it; or part of an address or of a client name; at least 3 characters',
  ),
  limit: limitQuery.optional(),
});

const idempotencyKey = z
  .string()
  .min(1)
  .max(200, 'must be at most 200 characters')
  .regex(/^[\x21-\x7E]+$/, 'must be printable ASCII without spaces');

const ETAG = { ETag: 'The order version, e.g. "7"' };
const STAFF = ['ADMIN', 'DISPATCHER'] as const;
const READERS = ['ADMIN', 'DISPATCHER', 'MASTER'] as const;
const MASTER_NOTE = 'A master sees only orders assigned to them (others answer 404), and the client phone only from IN_PROGRESS on.';

/** Orders: create, list, read, edit, delete, history, search. The other actions: order-action-routes.ts. */
export function orderRoutes(services: Services): AnyRoute[] {
  const { orders, workflow } = services;
  return [
    defineRoute({
      method: 'post',
      path: '/api/v1/orders',
      operationId: 'createOrder',
      summary: 'Create an order (status NEW)',
      description:
        'A retry with the same Idempotency-Key and body returns the order the first call created (Idempotent-Replayed: true); the same key with another body is refused with 422.',
      tag: 'orders',
      roles: STAFF,
      body: createOrderSchema,
      headers: [{ name: 'Idempotency-Key', required: false, description: 'makes retries safe: 1-200 printable ASCII characters', schema: idempotencyKey }],
      responses: {
        201: {
          description: 'Created (or replayed)',
          schema: orderSchema,
          headers: { ...ETAG, Location: 'URL of the order', 'Idempotent-Replayed': 'true when this answers a retry' },
        },
      },
      errors: [409, 422],
      fieldNames: { idempotency_key: 'Idempotency-Key' },
      async handle({ principal, body, req, res }) {
        const rawKey = req.headers['idempotency-key'];
        const key = rawKey === undefined ? undefined : parseInput(idempotencyKey, rawKey, 'idempotency_key');
        const { order, replayed } = await orders.create(principal, body, key);
        setVersionTag(res, order.version);
        if (replayed) res.setHeader('Idempotent-Replayed', 'true');
        res.status(201).location(`/api/v1/orders/${order.id}`).json(toApiOrder(order));
      },
    }),
    defineRoute({
      method: 'get',
      path: '/api/v1/orders',
      operationId: 'listOrders',
      summary: 'List orders, newest first (keyset pages)',
      tag: 'orders',
      roles: READERS,
      rolesNote: `${MASTER_NOTE} A master may not filter by another master_id (403).`,
      query: listQuery,
      responses: { 200: { description: 'A page of orders', schema: pageSchema(orderSchema) } },
      async handle({ principal, query, res }) {
        const page = await orders.list(principal, { statuses: query.status, masterId: query.master_id, limit: query.limit, cursor: query.cursor });
        res.json({ items: page.items.map(toApiOrder), next_cursor: page.next_cursor });
      },
    }),
    defineRoute({
      method: 'get',
      path: '/api/v1/orders/{id}',
      operationId: 'getOrder',
      summary: 'Read one order',
      tag: 'orders',
      roles: READERS,
      rolesNote: MASTER_NOTE,
      params: orderIdParams,
      responses: { 200: { description: 'The order', schema: orderSchema, headers: ETAG } },
      errors: [404],
      async handle({ principal, params, res }) {
        const order = await orders.get(principal, params.id);
        setVersionTag(res, order.version);
        res.json(toApiOrder(order));
      },
    }),
    defineRoute({
      method: 'patch',
      path: '/api/v1/orders/{id}',
      operationId: 'editOrder',
      summary: 'Edit descriptive fields (optimistic concurrency)',
      description: `If-Match must carry the version (ETag) the edit is based on: 428 without it, 412 when it is stale. Allowed while ${describeStatuses(ACTIONS.edit.from)}; 409 otherwise.`,
      tag: 'orders',
      roles: ROLES_OF[ACTIONS.edit.who],
      params: orderIdParams,
      body: ACTIONS.edit.body,
      headers: [{ name: 'If-Match', required: true, description: 'the order version as an ETag, e.g. "7"', schema: z.string() }],
      fieldNames: VERSION_HEADER,
      responses: { 200: { description: 'The edited order', schema: orderSchema, headers: ETAG } },
      errors: [404, 409, 412, 422, 428],
      async handle({ principal, params, body, req, res }) {
        const order = await workflow.act(principal, params.id, 'edit', body, { expectedVersion: expectedVersion(req, true) });
        setVersionTag(res, order.version);
        res.json(toApiOrder(order));
      },
    }),
    defineRoute({
      method: 'delete',
      path: '/api/v1/orders/{id}',
      operationId: 'deleteOrder',
      summary: ACTIONS.delete.title,
      tag: 'orders',
      roles: ROLES_OF[ACTIONS.delete.who],
      params: orderIdParams,
      query: z.strictObject({ reason: textQuery(1, 1000, 'why it is deleted (kept in the audit, shown in the deleted list)').optional() }),
      responses: { 204: { description: 'Deleted' } },
      errors: [404],
      async handle({ principal, params, query, res }) {
        await workflow.act(principal, params.id, 'delete', { reason: query.reason });
        res.status(204).end();
      },
    }),
    defineRoute({
      method: 'get',
      path: '/api/v1/orders/{id}/history',
      operationId: 'getOrderHistory',
      summary: 'Status changes of an order, oldest first',
      tag: 'orders',
      roles: READERS,
      rolesNote: MASTER_NOTE,
      params: orderIdParams,
      responses: { 200: { description: 'The history', schema: itemsSchema(historyEntrySchema) } },
      errors: [404],
      async handle({ principal, params, res }) {
        res.json({ items: await orders.history(principal, params.id) });
      },
    }),
    ...orderWorkRoutes(services),
    defineRoute({
      method: 'get',
      path: '/api/v1/search',
      operationId: 'searchOrders',
      summary: 'Find orders by phone, address or client name (newest first)',
      tag: 'orders',
      roles: STAFF,
      query: searchQuery,
      responses: { 200: { description: 'Matching orders', schema: itemsSchema(orderSchema) } },
      async handle({ principal, query, res }) {
        res.json({ items: (await orders.search(principal, query.q, query.limit ?? 20)).map(toApiOrder) });
      },
    }),
  ];
}
