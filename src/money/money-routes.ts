import { z } from 'zod';
import { equipmentCodeSchema } from '../equipment/equipment-service.ts';
import { docSchemas } from '../http/openapi.ts';
import { defineRoute, type AnyRoute } from '../http/route-kit.ts';
import { idParam } from '../http/validate.ts';
import { periodBound } from '../reports/reports-routes.ts';
import type { Services } from '../services.ts';

const percent = z.int().min(0).max(100);
const decimal = z.string().regex(/^-?\d+\.\d{2}$/);

const ruleBody = z.strictObject({
  threshold: z.string().meta({ description: 'net amount (total - materials) from which rate_above applies, e.g. "7000.00"' }),
  rate_below: percent.meta({ description: "master's percent of net under the threshold" }),
  rate_above: percent.meta({ description: "master's percent of net from the threshold" }),
  review_bonus: percent,
  review_bonus_enabled: z.boolean(),
  out_of_city_bonus: percent,
  out_of_city_bonus_enabled: z.boolean(),
  senior_floor: percent.meta({ description: "a senior master's base rate never falls below this" }),
});

const kindSchema = z
  .enum(['completion', 'refusal_fee'])
  .meta({ description: 'completion (default), or refusal_fee: a fee the client pays when refusing on site' });

const ruleSchema = ruleBody.extend({
  id: z.int(),
  kind: kindSchema,
  equipment_type: z.string().nullable().meta({ description: 'null: the default rule' }),
  version: z.int(),
  threshold: decimal,
  valid_from: z.string(),
  valid_to: z.string().nullable().meta({ description: 'null while in force' }),
  created_by: z.int().nullable(),
});
docSchemas.add(ruleSchema, { id: 'CommissionRule', description: "A version of a commission rule: how a completed order's net is split" });

const balanceSchema = z.object({ master_id: z.int(), master_name: z.string(), senior: z.boolean(), orders: z.int(), owed: z.string() });
docSchemas.add(balanceSchema, { id: 'MasterBalance', description: 'What a master owes the company: completed orders not yet handed over' });

const ledgerSchema = z.object({
  master_id: z.int(),
  from: z.string(),
  to: z.string(),
  opening: decimal,
  closing: decimal,
  entries: z.array(
    z.object({
      kind: z.enum(['completed', 'refusal_fee', 'correction', 'handed_over']),
      at: z.string(),
      order_id: z.int().nullable().meta({ description: 'the order; null for a settlement' }),
      settlement_id: z.int().nullable(),
      orders: z.int(),
      amount: decimal.meta({ description: 'positive: owed more; negative: handed over' }),
      balance: decimal,
    }),
  ),
});
docSchemas.add(ledgerSchema, { id: 'MasterLedger' });

const settlementSchema = z.object({
  id: z.int(),
  master_id: z.int(),
  orders: z.int(),
  corrections: z.int().meta({ description: 'differences of corrections made after closing, handed over with it' }),
  amount: decimal,
  settled_at: z.string(),
});
docSchemas.add(settlementSchema, { id: 'Settlement', description: 'One hand-over of money from a master for several orders' });

const typeParams = z.strictObject({ code: equipmentCodeSchema });
const masterParams = z.strictObject({ id: idParam });
const STAFF = ['ADMIN', 'DISPATCHER'] as const;

/** Which rule a PUT starts a new version of: the refusal-fee rule, the default completion rule, or a type's own. */
type RuleTarget = 'refusal_fee' | 'default' | 'type';

const CHANGE_ROUTES = {
  refusal_fee: {
    path: '/api/v1/commission-rules/refusal-fee',
    operationId: 'changeRefusalFeeRule',
    summary: 'Start a new version of the rule splitting refusal fees (fees already taken keep their split)',
  },
  default: {
    path: '/api/v1/commission-rules/default',
    operationId: 'changeDefaultCommissionRule',
    summary: 'Start a new version of the default rule (orders already completed keep their split)',
  },
  type: {
    path: '/api/v1/commission-rules/types/{code}',
    operationId: 'changeTypeCommissionRule',
    summary: "Start a new version of an equipment type's own rule",
  },
} as const;

/** One PUT per kind of rule: the same body, the same validation and audit (CommissionService.change). */
function changeRuleRoute(commission: Services['commission'], target: RuleTarget): AnyRoute {
  const kind = target === 'refusal_fee' ? 'refusal_fee' : 'completion';
  return defineRoute({
    method: 'put',
    ...CHANGE_ROUTES[target],
    tag: 'money',
    roles: ['ADMIN'],
    params: target === 'type' ? typeParams : undefined,
    body: ruleBody,
    responses: { 200: { description: 'The new version', schema: ruleSchema } },
    // Only a type can be missing from the catalog.
    errors: target === 'type' ? [409, 422] : [409],
    async handle({ principal, params, body, res }) {
      res.json(await commission.change(principal, params?.code ?? null, body, kind));
    },
  });
}

/** Commission rules (staff read, admins change) and what masters owe (ledger, balances, settlements). */
export function moneyRoutes(services: Services): AnyRoute[] {
  const { commission, ledger } = services;
  const instant = periodBound(services.timeZone);
  return [
    defineRoute({
      method: 'get',
      path: '/api/v1/commission-rules',
      operationId: 'listCommissionRules',
      summary: 'The commission rules of a kind in force: the default (equipment_type null) and each type with its own',
      tag: 'money',
      roles: STAFF,
      query: z.strictObject({ kind: kindSchema.optional() }),
      responses: { 200: { description: 'Rules in force', schema: z.object({ items: z.array(ruleSchema) }) } },
      async handle({ principal, query, res }) {
        res.json({ items: await commission.current(principal, query.kind) });
      },
    }),
    defineRoute({
      method: 'get',
      path: '/api/v1/commission-rules/versions',
      operationId: 'listCommissionRuleVersions',
      summary: "Every version of one type's rule (without equipment_type: the default rule), newest first",
      tag: 'money',
      roles: STAFF,
      query: z.strictObject({ equipment_type: equipmentCodeSchema.optional(), kind: kindSchema.optional() }),
      responses: { 200: { description: 'Versions', schema: z.object({ items: z.array(ruleSchema) }) } },
      async handle({ principal, query, res }) {
        res.json({ items: await commission.versions(principal, query.equipment_type ?? null, query.kind) });
      },
    }),
    changeRuleRoute(commission, 'refusal_fee'),
    changeRuleRoute(commission, 'default'),
    changeRuleRoute(commission, 'type'),
    defineRoute({
      method: 'delete',
      path: '/api/v1/commission-rules/types/{code}',
      operationId: 'removeTypeCommissionRule',
      summary: "End an equipment type's own rule: its orders use the default rule from now on",
      tag: 'money',
      roles: ['ADMIN'],
      params: typeParams,
      responses: { 200: { description: 'The ended version', schema: ruleSchema } },
      errors: [404],
      async handle({ principal, params, res }) {
        res.json(await commission.remove(principal, params.code));
      },
    }),
    defineRoute({
      method: 'get',
      path: '/api/v1/balances',
      operationId: 'listMasterBalances',
      summary: 'What each master owes the company, now or as a given moment began',
      tag: 'money',
      roles: STAFF,
      query: z.strictObject({ at: instant.optional() }),
      responses: { 200: { description: 'Masters with money to hand over', schema: z.object({ items: z.array(balanceSchema) }) } },
      async handle({ principal, query, res }) {
        res.json({ items: await ledger.balances(principal, query.at) });
      },
    }),
    defineRoute({
      method: 'get',
      path: '/api/v1/masters/{id}/ledger',
      operationId: 'getMasterLedger',
      summary: "A master's ledger over [from, to): completions and hand-overs with the running balance",
      tag: 'money',
      roles: ['ADMIN', 'DISPATCHER', 'MASTER'],
      rolesNote: 'A master reads only their own.',
      params: masterParams,
      query: z.strictObject({ from: instant, to: instant }),
      responses: { 200: { description: 'The ledger', schema: ledgerSchema } },
      async handle({ principal, params, query, res }) {
        res.json(await ledger.ledger(principal, params.id, query));
      },
    }),
    defineRoute({
      method: 'post',
      path: '/api/v1/masters/{id}/settlements',
      operationId: 'settleMasterOrders',
      summary: 'Hand over several orders of a master at once (one settlement, one audit entry)',
      description:
        'Completed orders are closed; refused orders with a fee have the fee handed over. The differences of corrections made after ' +
        'orders were closed go into every settlement of their master; an empty order_ids settles only those.',
      tag: 'money',
      roles: STAFF,
      params: masterParams,
      body: z.strictObject({ order_ids: z.array(z.int().positive()).max(500) }),
      responses: { 201: { description: 'The settlement', schema: settlementSchema } },
      errors: [422],
      async handle({ principal, params, body, res }) {
        res.status(201).json(await ledger.settle(principal, params.id, body.order_ids));
      },
    }),
  ];
}
