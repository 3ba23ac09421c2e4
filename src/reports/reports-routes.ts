import type { Response } from 'express';
import { z } from 'zod';
import { ORDER_STATUSES } from '../db/enums.ts';
import { docSchemas } from '../http/openapi.ts';
import { defineRoute, type AnyRoute } from '../http/route-kit.ts';
import { idQuery } from '../http/validate.ts';
import { dateSchema, timestampSchema } from '../input.ts';
import type { Services } from '../services.ts';
import { writeCsv } from './export-csv.ts';
import { writeXlsx } from './export-xlsx.ts';
import type { ClosedOrderRow } from './reports-service.ts';
import { WORKBOOK_KINDS } from './workbooks-service.ts';
import { ValidationError } from '../errors.ts';
import { masterQualityFields } from '../masters/masters-routes.ts';
import { localMidnight, localRfc3339 } from '../scheduler/periods.ts';

/**
 * A period bound: an RFC 3339 timestamp, or a date meaning the moment it
 * begins in the business's time zone (REPORT_TIMEZONE), as the bot and the
 * business count days; whole local days are what the report rollups hold.
 */
export function periodBound(timeZone: string) {
  return z
    .string()
    .refine((s) => timestampSchema.safeParse(s).success || dateSchema.safeParse(s).success, 'must be an RFC 3339 timestamp or a date YYYY-MM-DD (1900-9999)')
    .meta({ description: `RFC 3339 timestamp, or YYYY-MM-DD (its midnight in ${timeZone}); periods are [from, to), at most 366 days` })
    .transform((s) => (dateSchema.safeParse(s).success ? localRfc3339(localMidnight(s, timeZone), timeZone) : s));
}

const decimal = z.string().regex(/^-?\d+\.\d{2}$/);
const moneyTotals = {
  orders: z.int(),
  revenue: decimal,
  materials: decimal,
  net: decimal,
  master_share: decimal,
  company_share: decimal,
  average_check: decimal,
};

export const summarySchema = z.strictObject({
  from: z.string(),
  to: z.string(),
  created: z.strictObject({
    total: z.int(),
    by_status: z.strictObject(Object.fromEntries(ORDER_STATUSES.map((s) => [s, z.int()]))),
    by_equipment: z.record(z.string(), z.int()),
  }),
  closed: z.strictObject({ ...moneyTotals, by_equipment: z.array(z.strictObject({ equipment_type: z.string(), ...moneyTotals })) }),
  refusal_fees: z
    .strictObject({ orders: z.int(), fee: decimal, master_share: decimal, company_share: decimal })
    .meta({ description: 'refusals on site with a fee (e.g. diagnostics) in the period, by when they refused' }),
});
docSchemas.add(summarySchema, { id: 'ReportSummary', description: 'Orders created in the period by status and equipment; money of orders closed in it' });

export const masterFiguresSchema = z.strictObject({
  master_id: z.int(),
  master_name: z.string(),
  completed: z.int(),
  ...moneyTotals,
  ...masterQualityFields,
  refusal_fees: z
    .strictObject({ orders: z.int(), fee: decimal, master_share: decimal, company_share: decimal })
    .meta({ description: "the master's refusals on site with a fee in the period, outside the closed orders' figures" }),
});
docSchemas.add(masterFiguresSchema, {
  id: 'MasterFigures',
  description:
    "Per master: completed and closed orders of the period, the settled money, the clients' ratings and on-time arrival in it, and the refusal fees taken",
});

const FORMATS = {
  csv: { type: 'text/csv; charset=utf-8', write: writeCsv },
  xlsx: { type: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet', write: writeXlsx },
} as const;

/** The first batch is read before any header goes out, so a bad period or a database error is still a problem+json. */
async function streamExport(res: Response, batches: AsyncGenerator<ClosedOrderRow[]>, format: keyof typeof FORMATS, name: string): Promise<void> {
  const first = await batches.next();
  async function* all(): AsyncGenerator<ClosedOrderRow[]> {
    if (first.done) return;
    yield first.value;
    yield* batches;
  }
  res.status(200).type(FORMATS[format].type).attachment(`${name}.${format}`).setHeader('Cache-Control', 'no-store');
  await FORMATS[format].write(all(), res);
}

/** Reports for a period: summary and export (admins), per-master figures (admins; a master their own). */
export function reportRoutes(services: Services): AnyRoute[] {
  const { reports } = services;
  const instant = periodBound(services.timeZone);
  const period = { from: instant, to: instant };
  return [
    defineRoute({
      method: 'get',
      path: '/api/v1/reports/summary',
      operationId: 'reportSummary',
      summary: 'Counts by status and equipment type, revenue, materials, net, shares, average check',
      tag: 'reports',
      roles: ['ADMIN', 'DISPATCHER'],
      rolesNote: 'Dispatchers while the reports.dispatchers_allowed setting is on.',
      query: z.strictObject(period),
      responses: { 200: { description: 'The summary', schema: summarySchema } },
      async handle({ principal, query, res }) {
        res.json(await reports.summary(principal, query));
      },
    }),
    defineRoute({
      method: 'get',
      path: '/api/v1/reports/masters',
      operationId: 'reportMasters',
      summary: 'Per-master figures for a period',
      tag: 'reports',
      roles: ['ADMIN', 'DISPATCHER', 'MASTER'],
      rolesNote: 'A master gets only their own figures (403 for another master_id); dispatchers while reports.dispatchers_allowed is on.',
      query: z.strictObject({ ...period, master_id: idQuery.optional() }),
      responses: { 200: { description: 'One entry per master with activity', schema: z.strictObject({ items: z.array(masterFiguresSchema) }) } },
      async handle({ principal, query, res }) {
        res.json({ items: await reports.masters(principal, { from: query.from, to: query.to }, query.master_id) });
      },
    }),
    defineRoute({
      method: 'get',
      path: '/api/v1/reports/export',
      operationId: 'reportExport',
      summary: 'Closed orders of a period as a CSV or XLSX download (streamed)',
      tag: 'reports',
      roles: ['ADMIN', 'DISPATCHER'],
      rolesNote: 'Dispatchers while the reports.dispatchers_allowed setting is on.',
      query: z.strictObject({ ...period, format: z.enum(['csv', 'xlsx']).meta({ description: 'file format' }) }),
      responses: {
        200: {
          description: 'The file',
          contentTypes: [FORMATS.csv.type, FORMATS.xlsx.type],
          headers: { 'Content-Disposition': 'attachment; filename=closed-orders-....' },
        },
      },
      async handle({ principal, query, res }) {
        const batches = reports.closedOrders(principal, { from: query.from, to: query.to });
        const name = `closed-orders-${query.from.slice(0, 10)}-${query.to.slice(0, 10)}`;
        await streamExport(res, batches, query.format, name);
      },
    }),
    defineRoute({
      method: 'get',
      path: '/api/v1/reports/workbooks/{kind}',
      operationId: 'reportWorkbook',
      summary: "A workbook: settlement (summary + a sheet per master), active orders, masters' statistics, or a master's own",
      tag: 'reports',
      roles: ['ADMIN', 'DISPATCHER', 'MASTER'],
      rolesNote: "mine: a master's own; the others: admins, and dispatchers while reports.dispatchers_allowed is on.",
      params: z.strictObject({ kind: z.enum(WORKBOOK_KINDS) }),
      query: z.strictObject({
        from: instant.optional(),
        to: instant.optional(),
        lang: z.enum(['ru', 'en']).optional().meta({ description: "headers' language (default: the caller's)" }),
      }),
      responses: { 200: { description: 'The workbook', contentTypes: [FORMATS.xlsx.type] } },
      async handle({ principal, params, query, res }) {
        if ((query.from === undefined) !== (query.to === undefined))
          throw new ValidationError('from and to go together', { field: query.from ? 'to' : 'from' });
        const period = query.from && query.to ? { from: query.from, to: query.to } : null;
        const file = await services.workbooks.build(principal, params.kind, period, query.lang);
        const name = `${params.kind}${period ? `-${period.from.slice(0, 10)}-${period.to.slice(0, 10)}` : ''}.xlsx`;
        res.status(200).type(FORMATS.xlsx.type).attachment(name).setHeader('Cache-Control', 'no-store').send(file);
      },
    }),
  ];
}
