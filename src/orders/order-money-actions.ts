import { z } from 'zod';
import { ConflictError, UnprocessableError, ValidationError } from '../errors.ts';
import type { CompletionTerms } from '../money/commission-service.ts';
import { COMPLETION_PHOTO_RULE } from './completion-photo.sql.ts';
import { fromKopecks, MoneyError, splitMoney, toKopecks, type CommissionRules, type Split } from './money.ts';
import { action, amountSchema, reasonSchema, type ActionBase, type ActionDeps, type Placeholders } from './order-action-spec.ts';

/**
 * The actions that record money, which change together with the money rules
 * (money.ts, the commission and refusal-fee rules): a completion and its
 * split, a refusal on site with its fee, and a correction after the fact.
 * order-actions.ts places them in the one table of actions.
 */

/** The split a completion records; a money rule broken by the input names its field. */
export function completionSplit(
  input: { total_amount: string; materials_cost: string; has_review: boolean; out_of_city: boolean },
  rules: CommissionRules,
): Split {
  try {
    return splitMoney({ total: input.total_amount, materials: input.materials_cost, hasReview: input.has_review, outOfCity: input.out_of_city }, rules);
  } catch (err) {
    if (err instanceof MoneyError) throw new ValidationError(err.message, { field: err.field });
    throw err;
  }
}

/** A refusal fee split by the refusal-fee rule: no materials, no bonuses (the legacy bot's split of a refusal's amount). */
function refusalSplit(fee: string, terms: CompletionTerms): Split {
  return completionSplit({ total_amount: fee, materials_cost: '0', has_review: false, out_of_city: false }, terms.rules);
}

type CorrectionInput = { total_amount?: string; materials_cost?: string; has_review?: boolean; out_of_city?: boolean; reason: string };

/** The corrected money, its split by the recorded rule, the before and after kept, and what the master owes more (or less). */
function correctionParams(input: CorrectionInput, base: ActionBase, deps: ActionDeps) {
  if (!deps.correction) throw new Error('a correction needs the recorded terms of its order');
  const { current, rules } = deps.correction;
  const next = {
    total_amount: input.total_amount ?? current.total_amount,
    materials_cost: input.materials_cost ?? current.materials_cost,
    has_review: input.has_review ?? current.has_review,
    out_of_city: input.out_of_city ?? current.out_of_city,
  };
  const s = completionSplit(next, rules);
  const before = { ...current, total_amount: fromKopecks(toKopecks(current.total_amount)), materials_cost: fromKopecks(toKopecks(current.materials_cost)) };
  const after = {
    total_amount: s.total,
    materials_cost: s.materials,
    has_review: next.has_review,
    out_of_city: next.out_of_city,
    master_profit: s.masterShare,
    company_profit: s.companyShare,
  };
  if (
    after.total_amount === before.total_amount &&
    after.materials_cost === before.materials_cost &&
    after.has_review === before.has_review &&
    after.out_of_city === before.out_of_city
  ) {
    throw new ValidationError('changes nothing: give a new total_amount, materials_cost, has_review or out_of_city', { field: 'total_amount' });
  }
  const delta = fromKopecks(toKopecks(s.companyShare) - toKopecks(current.company_profit));
  // `changes` as an edit writes them, so the order's history shows each amount before and after.
  const changes = Object.fromEntries(
    (Object.keys(after) as Array<keyof typeof after>).filter((k) => after[k] !== before[k]).map((k) => [k, { from: before[k], to: after[k] }]),
  );
  const trail = {
    ...(base.details === null ? {} : (JSON.parse(base.details) as object)),
    before,
    after,
    changes,
    owed_delta: delta,
    rule_id: deps.correction.ruleId,
  };
  return {
    ...after,
    master_rate: s.ratePercent,
    reason: input.reason,
    before: JSON.stringify(before),
    after: JSON.stringify(after),
    owed_delta: delta,
    details: JSON.stringify(trail),
  };
}

/** The order's money columns a completion writes and a correction rewrites (the same split, the same columns). */
const SPLIT_PARAMS = {
  total_amount: 'numeric',
  materials_cost: 'numeric',
  master_profit: 'numeric',
  company_profit: 'numeric',
  has_review: 'bool',
  out_of_city: 'bool',
} as const;

function splitSet(p: Placeholders<typeof SPLIT_PARAMS>): string {
  return `total_amount = ${p.total_amount}, materials_cost = ${p.materials_cost},
    master_profit = ${p.master_profit}, company_profit = ${p.company_profit},
    has_review = ${p.has_review}, out_of_city = ${p.out_of_city},`;
}

export const MONEY_ACTIONS = {
  complete: action({
    title: 'Complete with the money taken (the split is computed)',
    from: ['IN_PROGRESS', 'LONG_REPAIR'],
    to: 'COMPLETED',
    who: 'master',
    body: z.strictObject({ total_amount: amountSchema, materials_cost: amountSchema, has_review: z.boolean(), out_of_city: z.boolean() }),
    explain: async (input, state, deps) => {
      // The company took the prepayment at the long repair: a total below it would leave the client owed money.
      const prepaid = await deps.prepaymentOf(state.id);
      if (prepaid !== null && toKopecks(prepaid) > toKopecks(input.total_amount)) {
        return new UnprocessableError(`must not be below the prepayment of ${prepaid} the client already paid`, { field: 'total_amount' });
      }
      return (await deps.afterPhotoMissing(state.id))
        ? new ConflictError('an "after" photo of the work is needed to complete this order: attach one first', { field: 'photo' })
        : null;
    },
    sql: {
      params: { ...SPLIT_PARAMS, commission_rule_id: 'int8', master_rate: 'int4', rule_equipment_type: 'text' },
      set: (p) => `${splitSet(p)}
    commission_rule_id = ${p.commission_rule_id}, master_rate = ${p.master_rate},
    completed_at = now(),`,
      // The rule was chosen by the order's type: a type changed meanwhile misses (a conflict), never a wrong split.
      where: (p) => `AND o.equipment_type = ${p.rule_equipment_type} AND ${COMPLETION_PHOTO_RULE('o.id')}
    AND COALESCE(o.prepayment_amount, 0) <= ${p.total_amount}`,
      bind: (input, base, deps) => {
        if (!deps.completion) throw new Error('a completion needs the commission terms of its order');
        const s = completionSplit(input, deps.completion.rules);
        const money = { total_amount: s.total, materials_cost: s.materials, master_profit: s.masterShare, company_profit: s.companyShare };
        const rule = { commission_rule_id: deps.completion.ruleId, master_rate: s.ratePercent, rule_equipment_type: deps.completion.equipmentType };
        return { ...base, ...money, ...rule, has_review: input.has_review, out_of_city: input.out_of_city };
      },
    },
  }),
  // The spec's "client refused on site": a fee (e.g. diagnostics) is revenue with its own split.
  client_refused: action({
    title: 'Client refused on site: a reason and an optional fee (e.g. diagnostics), split by the refusal-fee rule',
    from: ['IN_PROGRESS', 'LONG_REPAIR'],
    to: 'REFUSED',
    who: 'master',
    body: z.strictObject({
      reason: reasonSchema,
      fee: amountSchema.nullable().optional().meta({ description: 'what the client paid, e.g. "500.00"; none or "0": no fee' }),
    }),
    note: (input) => input.reason,
    details: (input) => ({ by: 'master_on_site', fee: input.fee ?? null }),
    sql: {
      params: { reason: 'text', fee: 'numeric?', fee_master: 'numeric?', fee_company: 'numeric?', fee_rule_id: 'int8?', rule_equipment_type: 'text' },
      set: (p) => `refuse_reason = ${p.reason}, refused_at = now(),
    refusal_fee = ${p.fee}, refusal_master_share = ${p.fee_master}, refusal_company_share = ${p.fee_company}, refusal_rule_id = ${p.fee_rule_id},`,
      // The rule was chosen by the order's type: a type changed meanwhile misses (a conflict), never a wrong split.
      where: (p) => `AND o.equipment_type = ${p.rule_equipment_type}`,
      bind: (input, base, deps) => {
        if (!deps.refusal) throw new Error('a refusal on site needs the refusal-fee terms of its order');
        const fee = input.fee !== undefined && input.fee !== null && toKopecks(input.fee) > 0n ? refusalSplit(input.fee, deps.refusal) : null;
        return {
          ...base,
          reason: input.reason,
          fee: fee?.total ?? null,
          fee_master: fee?.masterShare ?? null,
          fee_company: fee?.companyShare ?? null,
          fee_rule_id: fee ? deps.refusal.ruleId : null,
          rule_equipment_type: deps.refusal.equipmentType,
        };
      },
    },
  }),
  // Money after the fact: re-split by the rule recorded at completion; the master's ledger gets the difference.
  correct: action({
    title: 'Correct the money of a completed or closed order (re-split by the rule recorded at completion)',
    from: ['COMPLETED', 'CLOSED'],
    to: null,
    who: 'admin',
    body: z.strictObject({
      total_amount: amountSchema.optional(),
      materials_cost: amountSchema.optional(),
      has_review: z.boolean().optional(),
      out_of_city: z.boolean().optional(),
      reason: reasonSchema,
    }),
    requiresVersion: true,
    note: (input) => input.reason,
    sql: {
      params: { ...SPLIT_PARAMS, master_rate: 'int4', reason: 'text', before: 'jsonb', after: 'jsonb', owed_delta: 'numeric' },
      set: (p) => `${splitSet(p)} master_rate = ${p.master_rate},`,
      // On a CLOSED order the share was handed over already: the difference stands on its own in the ledger.
      ctes: (p) => `correction AS (
    INSERT INTO order_corrections (order_id, master_id, corrected_by, reason, before, after, owed_delta, after_close)
    SELECT m.id, m.master_id, ${p.actor_id}, ${p.reason}, ${p.before}, ${p.after}, ${p.owed_delta}, m.status = 'CLOSED'
    FROM moved m
  )`,
      bind: (input, base, deps) => ({ ...base, ...correctionParams(input, base, deps) }),
    },
  }),
};
