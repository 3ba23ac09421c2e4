import { z } from 'zod';
import { docSchemas } from '../http/openapi.ts';
import { decodeIdCursor, idPage } from '../http/id-cursor.ts';
import { defineRoute, type AnyRoute } from '../http/route-kit.ts';
import { pageSchema, rowSchema } from '../http/schemas.ts';
import { cursorQuery, idParam, limitQuery } from '../http/validate.ts';
import { phoneSchema, refuseUncleanText } from '../input.ts';
import { STATUS_SETS } from '../orders/order-statuses.ts';
import type { Services } from '../services.ts';
import { MASTER_VIEW_COLUMNS } from './master-view.ts';

export const masterSchema = rowSchema(MASTER_VIEW_COLUMNS);
docSchemas.add(masterSchema, { id: 'Master', description: 'A master; `id` is what orders point at (master_id)' });

/** How a master's work was received (MasterQuality): in a master's card over all time, in reports over the period. */
export const masterQualityFields = {
  rating_average: z
    .string()
    .regex(/^[1-5]\.\d{2}$/)
    .nullable()
    .meta({ description: 'Average client rating (1.00-5.00); null when nobody rated' }),
  rating_count: z.int().min(0).meta({ description: 'Ratings given by clients' }),
  visits: z.int().min(0).meta({ description: 'Visits with a scheduled time where the master checked in (on site)' }),
  visits_on_time: z.int().min(0).meta({ description: 'Of those, check-ins by the end of the visit window (or by the scheduled time)' }),
};
export const masterCardSchema = masterSchema.extend(masterQualityFields);

/** How many of a deactivated master's open orders the answer names (as the bot lists them). */
const OPEN_NAMED = 50;
const deactivatedSchema = masterSchema.extend({
  open_order_ids: z.array(z.number().int()).meta({
    description: `Orders still with the master (assigned, accepted, in progress, long repair, completed and not closed), the newest ${OPEN_NAMED} at most, by id: they wait until reassigned`,
  }),
});
docSchemas.add(deactivatedSchema, { id: 'DeactivatedMaster', description: 'A deactivated master and the open orders left with them' });
docSchemas.add(masterCardSchema, { id: 'MasterCard', description: "A master with the clients' ratings and on-time arrival over all time" });

const personText = (max: number) =>
  z
    .string()
    .trim()
    .min(1, 'must not be empty')
    .max(max, `must be at most ${max} characters`)
    .refine((s) => !/[\u0000-\u001F]/.test(s), 'must not contain control characters')
    .superRefine(refuseUncleanText);

const createMasterBody = z.strictObject({
  telegram_id: z.int().positive().meta({ description: 'Telegram user id of the master' }),
  phone: phoneSchema,
  specialization: personText(200),
  work_chat_id: z
    .int()
    .refine((n) => n !== 0, 'must be a Telegram chat id')
    .nullable()
    .optional(),
  name: personText(200).optional().meta({ description: 'display name until the person writes to the bot' }),
});

const listQuery = z.strictObject({
  assignable: z
    .enum(['true', 'false'])
    .transform((v) => v === 'true')
    .optional()
    .meta({ description: 'true: only approved and active masters' }),
  limit: limitQuery.optional(),
  cursor: cursorQuery.optional(),
});

const masterIdParams = z.strictObject({ id: idParam });
const ADMIN = ['ADMIN'] as const;

/** Masters: list and read (staff), register, approve, activate, deactivate (admins). */
export function masterRoutes(services: Services): AnyRoute[] {
  const { masters } = services;
  const flagRoute = (action: 'approve' | 'activate', summary: string) =>
    defineRoute({
      method: 'post',
      path: `/api/v1/masters/{id}/${action}`,
      operationId: `${action}Master`,
      summary,
      tag: 'masters',
      roles: ADMIN,
      params: masterIdParams,
      responses: { 200: { description: 'The master', schema: masterSchema } },
      errors: [404],
      async handle({ principal, params, res, invalidateAuth }) {
        const master = await masters[action](principal, params.id);
        invalidateAuth();
        res.json(master);
      },
    });
  return [
    defineRoute({
      method: 'get',
      path: '/api/v1/masters',
      operationId: 'listMasters',
      summary: 'List masters by id (keyset pages)',
      tag: 'masters',
      roles: ['ADMIN', 'DISPATCHER'],
      query: listQuery,
      responses: { 200: { description: 'A page of masters', schema: pageSchema(masterSchema) } },
      async handle({ principal, query, res }) {
        const limit = query.limit ?? 20;
        const rows = await masters.list(principal, { onlyAssignable: query.assignable, afterId: decodeIdCursor(query.cursor), limit: limit + 1 });
        res.json(idPage(rows, limit));
      },
    }),
    defineRoute({
      method: 'get',
      path: '/api/v1/masters/{id}',
      operationId: 'getMaster',
      summary: "Read one master, with the clients' ratings and on-time arrival",
      tag: 'masters',
      roles: ['ADMIN', 'DISPATCHER'],
      params: masterIdParams,
      responses: { 200: { description: 'The master', schema: masterCardSchema } },
      errors: [404],
      async handle({ principal, params, res }) {
        res.json(await masters.card(principal, params.id));
      },
    }),
    defineRoute({
      method: 'post',
      path: '/api/v1/masters',
      operationId: 'createMaster',
      summary: 'Register a master (the Telegram user gains the MASTER role; approve before assigning)',
      tag: 'masters',
      roles: ADMIN,
      body: createMasterBody,
      responses: { 201: { description: 'The new master', schema: masterSchema, headers: { Location: 'URL of the master' } } },
      errors: [409, 422],
      async handle({ principal, body, res, invalidateAuth }) {
        const master = await masters.create(principal, body);
        invalidateAuth();
        res.status(201).location(`/api/v1/masters/${master.id}`).json(master);
      },
    }),
    flagRoute('approve', 'Approve a master (assignable once active)'),
    flagRoute('activate', 'Activate a master'),
    defineRoute({
      method: 'post',
      path: '/api/v1/masters/{id}/deactivate',
      operationId: 'deactivateMaster',
      summary: 'Deactivate a master (no new assignments); the answer names the open orders left with them',
      tag: 'masters',
      roles: ADMIN,
      params: masterIdParams,
      responses: { 200: { description: 'The master, and the open orders to reassign', schema: deactivatedSchema } },
      errors: [404],
      async handle({ principal, params, res, invalidateAuth }) {
        const master = await masters.deactivate(principal, params.id);
        invalidateAuth();
        // Open orders would wait on someone who no longer works (the bot warns before; an API client is told after).
        const open = await services.orders.list(principal, { statuses: [...STATUS_SETS.masterWork], masterId: params.id, limit: OPEN_NAMED });
        res.json({ ...master, open_order_ids: open.items.map((o) => o.id).sort((a, b) => a - b) });
      },
    }),
  ];
}
