import { z } from 'zod';
import { ORDER_STATUSES } from '../db/enums.ts';
import { UnavailableError } from '../errors.ts';
import { docSchemas } from '../http/openapi.ts';
import { defineRoute, type AnyRoute } from '../http/route-kit.ts';
import { itemsSchema } from '../http/schemas.ts';
import { idParam, idQuery, intQuery, textQuery } from '../http/validate.ts';
import { dateSchema } from '../input.ts';
import { orderSchema } from '../orders/order-api.ts';
import { equipmentCodeSchema } from '../orders/order-fields.ts';
import type { Services } from '../services.ts';
import type { BoardView } from './board-service.ts';
import type { LiveHub } from './live/hub.ts';

/** The console's reads, declared like every API operation: the board, masters' load, masters' day, cards, search, live events. */
const STAFF = ['ADMIN', 'DISPATCHER'] as const;

const boardOrderSchema = orderSchema.extend({
  waiting_since: z.iso.datetime({ offset: true }).meta({ description: 'when its SLA clock started: entering the status, or the visit time if later' }),
  sla_due_at: z.iso.datetime({ offset: true }).nullable().meta({ description: 'past this it breaches its status SLA (red); null: no SLA' }),
  sla_warn_at: z.iso.datetime({ offset: true }).nullable().meta({ description: 'past this it nears its SLA (amber)' }),
  actions: z.array(z.enum(['assign', 'unassign', 'refuse', 'close', 'reopen', 'reschedule', 'edit'])).meta({ description: 'what staff may do with it now' }),
});
docSchemas.add(boardOrderSchema, { id: 'BoardOrder', description: 'An order with its SLA clock and the actions staff may take' });

const dateQuery = dateSchema.meta({ description: 'a day in the business time zone, YYYY-MM-DD; today when absent' });
const viewQuery = z.strictObject({
  date: dateQuery.optional(),
  master_id: idQuery.optional(),
  equipment_type: equipmentCodeSchema.optional(),
});

const boardSchema = z.strictObject({
  date: z.iso.date(),
  today: z.iso.date(),
  time_zone: z.string(),
  now: z.iso.datetime({ offset: true }),
  columns: z.array(z.strictObject({ status: z.enum(ORDER_STATUSES), total: z.int(), items: z.array(boardOrderSchema) })),
});

const masterLoadSchema = z.strictObject({
  id: z.int(),
  name: z.string(),
  specialization: z.string(),
  phone: z.string(),
  assigned: z.int(),
  accepted: z.int(),
  in_progress: z.int(),
  long_repair: z.int(),
  total: z.int().meta({ description: 'open orders due that day (on today: carried over too)' }),
  next_visit_at: z.iso.datetime({ offset: true }).nullable(),
});

const laneSchema = z.strictObject({
  id: z.int(),
  name: z.string(),
  specialization: z.string(),
  orders: z.array(boardOrderSchema),
  untimed: z.array(boardOrderSchema),
});

function viewOf(services: Services, q: { date?: string; master_id?: number; equipment_type?: string }): BoardView {
  return { date: q.date ?? services.console.board.today(), masterId: q.master_id ?? null, equipmentType: q.equipment_type ?? null };
}

export function boardRoutes(services: Services, live: LiveHub | undefined): AnyRoute[] {
  const { board } = services.console;
  return [
    defineRoute({
      method: 'get',
      path: '/api/v1/console/board',
      operationId: 'consoleBoard',
      summary: "The day's board: open orders due that day as columns by status",
      description:
        "An order is due at its visit time, or at its creation when it has none. Today's board also holds every open order due earlier (still waiting). Each column lists up to 100, earliest due first, with its full count.",
      tag: 'console',
      roles: STAFF,
      query: viewQuery,
      responses: { 200: { description: 'The board', schema: boardSchema } },
      async handle({ principal, query, res }) {
        res.json(await board.board(principal, viewOf(services, query)));
      },
    }),
    defineRoute({
      method: 'get',
      path: '/api/v1/console/masters',
      operationId: 'consoleMastersLoad',
      summary: 'Assignable masters with their load: open orders due that day, least loaded first',
      tag: 'console',
      roles: STAFF,
      query: z.strictObject({ date: dateQuery.optional() }),
      responses: { 200: { description: 'Masters and their load', schema: z.strictObject({ date: z.iso.date(), masters: z.array(masterLoadSchema) }) } },
      async handle({ principal, query, res }) {
        res.json(await board.mastersLoad(principal, query.date ?? board.today()));
      },
    }),
    defineRoute({
      method: 'get',
      path: '/api/v1/console/timeline',
      operationId: 'consoleTimeline',
      summary: "Masters' day: each master's visits by time over one or more days (default today and tomorrow)",
      tag: 'console',
      roles: STAFF,
      query: z.strictObject({ date: dateQuery.optional(), days: intQuery(1, 7, 'how many days from date, 1..7 (default 2)').optional() }),
      responses: {
        200: {
          description: 'Lanes per master',
          schema: z.strictObject({
            date: z.iso.date(),
            dates: z.array(z.iso.date()),
            time_zone: z.string(),
            now: z.iso.datetime({ offset: true }),
            masters: z.array(laneSchema),
          }),
        },
      },
      async handle({ principal, query, res }) {
        res.json(await board.timeline(principal, query.date ?? board.today(), query.days ?? 2));
      },
    }),
    defineRoute({
      method: 'get',
      path: '/api/v1/console/orders/{id}',
      operationId: 'consoleOrder',
      summary: 'One order as the console shows it (SLA clock, actions)',
      tag: 'console',
      roles: STAFF,
      params: z.strictObject({ id: idParam }),
      responses: { 200: { description: 'The order', schema: boardOrderSchema, headers: { ETag: 'The order version' } } },
      errors: [404],
      async handle({ principal, params, res }) {
        const order = await board.order(principal, params.id);
        res.setHeader('ETag', `"${order.version}"`);
        res.json(order);
      },
    }),
    defineRoute({
      method: 'get',
      path: '/api/v1/console/search',
      operationId: 'consoleSearch',
      summary: 'Find orders by number (#123), phone, address or client name',
      tag: 'console',
      roles: STAFF,
      query: z.strictObject({ q: textQuery(1, 200, 'an order number (#123 or bare digits), a phone or part of one, part of an address or name') }),
      responses: { 200: { description: 'Matching orders, an exact number first', schema: itemsSchema(boardOrderSchema) } },
      async handle({ principal, query, res }) {
        res.json({ items: await board.search(principal, query.q) });
      },
    }),
    defineRoute({
      method: 'get',
      path: '/api/v1/console/events',
      operationId: 'consoleEvents',
      summary: 'Live changes as server-sent events (text/event-stream)',
      description:
        'Events: `hello`; `order` {order (null when deleted), id, on_board: whether it belongs on the board of the given date and filters}; `resync` (reload: something may have been missed); `ping` {now} every heartbeat; `bye` {reason} before the server ends the stream. Reconnect with Last-Event-ID to get what was missed on the same instance, else a resync.',
      tag: 'console',
      roles: STAFF,
      query: viewQuery,
      headers: [{ name: 'Last-Event-ID', required: false, description: 'the id of the last event received', schema: z.string().max(40) }],
      responses: { 200: { description: 'An event stream', contentTypes: ['text/event-stream'] } },
      async handle({ principal, query, req, res }) {
        if (!live) throw new UnavailableError('live updates are not running on this instance');
        const sessionId = (principal as { sessionId?: number }).sessionId ?? null;
        const last = req.header('Last-Event-ID');
        live.attach(res, viewOf(services, query), sessionId, last && last.length <= 40 ? last : undefined);
        await new Promise<void>((resolve) => res.once('close', () => resolve()));
      },
    }),
  ];
}
