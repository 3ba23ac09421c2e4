import type { Queryable } from '../db/database.ts';
import { defineQuery } from '../db/query.ts';
import type { RowOf } from '../db/types.ts';

const RULE_COLUMNS = {
  id: 'int8',
  /** completion, or refusal_fee (a fee the client pays when refusing on site). */
  kind: 'text',
  /** Null for the default rule. */
  equipment_type: 'text?',
  version: 'int4',
  threshold: 'numeric',
  rate_below: 'int4',
  rate_above: 'int4',
  review_bonus: 'int4',
  review_bonus_enabled: 'bool',
  out_of_city_bonus: 'int4',
  out_of_city_bonus_enabled: 'bool',
  senior_floor: 'int4',
  valid_from: 'timestamptz',
  valid_to: 'timestamptz?',
  created_by: 'int8?',
} as const;

export type CommissionRuleRow = RowOf<typeof RULE_COLUMNS>;

const RULE_SELECT = `r.id, r.kind, r.equipment_type, r.version, r.threshold, r.rate_below, r.rate_above, r.review_bonus, r.review_bonus_enabled,
  r.out_of_city_bonus, r.out_of_city_bonus_enabled, r.senior_floor, r.valid_from, r.valid_to, r.created_by`;

const listCurrentRulesQuery = defineQuery({
  name: 'money.list_current_commission_rules',
  params: { kind: 'text' },
  columns: RULE_COLUMNS,
  text: `SELECT ${RULE_SELECT} FROM commission_rules r WHERE r.valid_to IS NULL AND r.kind = $1::text ORDER BY r.equipment_type NULLS FIRST`,
});

/** The rules of a kind in force: the default first, then one per equipment type that has its own. */
export function listCurrentRules(db: Queryable, kind: RuleKind): Promise<CommissionRuleRow[]> {
  return db.many(listCurrentRulesQuery, { kind });
}

const listRuleVersionsQuery = defineQuery({
  name: 'money.list_commission_rule_versions',
  params: { equipmentType: 'text?', kind: 'text' },
  columns: RULE_COLUMNS,
  text: `SELECT ${RULE_SELECT} FROM commission_rules r
WHERE r.equipment_type IS NOT DISTINCT FROM $1::text AND r.kind = $2::text
ORDER BY r.version DESC`,
});

/** Every version of one type's rule of a kind (null: the default rule), newest first. */
export function listRuleVersions(db: Queryable, equipmentType: string | null, kind: RuleKind): Promise<CommissionRuleRow[]> {
  return db.many(listRuleVersionsQuery, { equipmentType, kind });
}

const endCurrentRuleQuery = defineQuery({
  name: 'money.end_current_commission_rule',
  params: { equipmentType: 'text?', kind: 'text' },
  columns: RULE_COLUMNS,
  text: `UPDATE commission_rules r SET valid_to = now()
WHERE r.kind = $2::text AND COALESCE(r.equipment_type, '') = COALESCE($1::text, '') AND r.valid_to IS NULL
RETURNING ${RULE_SELECT}`,
});

/** Ends the rule of a kind in force for a type (null: the default); null when it had none. */
export function endCurrentRule(db: Queryable, equipmentType: string | null, kind: RuleKind): Promise<CommissionRuleRow | null> {
  return db.maybeOne(endCurrentRuleQuery, { equipmentType, kind });
}

const insertRuleQuery = defineQuery({
  name: 'money.insert_commission_rule',
  params: {
    equipmentType: 'text?',
    threshold: 'numeric',
    rateBelow: 'int4',
    rateAbove: 'int4',
    reviewBonus: 'int4',
    reviewBonusEnabled: 'bool',
    outOfCityBonus: 'int4',
    outOfCityBonusEnabled: 'bool',
    seniorFloor: 'int4',
    createdBy: 'int8?',
    kind: 'text',
  },
  columns: RULE_COLUMNS,
  // The version follows the type's last one, ended or not; the unique index
  // on (type, version) turns a concurrent change into a conflict.
  text: `INSERT INTO commission_rules AS r
  (kind, equipment_type, version, threshold, rate_below, rate_above, review_bonus, review_bonus_enabled,
   out_of_city_bonus, out_of_city_bonus_enabled, senior_floor, created_by)
VALUES ($11::text, $1::text,
  (SELECT COALESCE(max(x.version), 0) + 1 FROM commission_rules x
   WHERE x.kind = $11::text AND COALESCE(x.equipment_type, '') = COALESCE($1::text, '')),
  $2::numeric, $3::int4, $4::int4, $5::int4, $6::bool, $7::int4, $8::bool, $9::int4, $10::int8)
RETURNING ${RULE_SELECT}`,
});

export type NewRule = Omit<CommissionRuleRow, 'id' | 'kind' | 'version' | 'valid_from' | 'valid_to' | 'created_by'>;
export type RuleKind = 'completion' | 'refusal_fee';

export function insertRule(db: Queryable, rule: NewRule, createdBy: number | null, kind: RuleKind): Promise<CommissionRuleRow> {
  return db.one(insertRuleQuery, {
    kind,
    equipmentType: rule.equipment_type,
    threshold: rule.threshold,
    rateBelow: rule.rate_below,
    rateAbove: rule.rate_above,
    reviewBonus: rule.review_bonus,
    reviewBonusEnabled: rule.review_bonus_enabled,
    outOfCityBonus: rule.out_of_city_bonus,
    outOfCityBonusEnabled: rule.out_of_city_bonus_enabled,
    seniorFloor: rule.senior_floor,
    createdBy,
  });
}

// What a split needs of the order besides the rule: its type, and whether its master is senior (an admin completing for them changes nothing).
const TERMS_SELECT = `SELECT o.equipment_type AS order_equipment_type,
  EXISTS (SELECT 1 FROM masters m JOIN user_roles ur ON ur.user_id = m.user_id
          WHERE m.id = o.master_id AND ur.role = 'SENIOR_MASTER') AS senior,
  ${RULE_SELECT}
FROM orders o`;

const findCompletionTermsQuery = defineQuery({
  name: 'money.find_completion_terms',
  params: { orderId: 'int8', kind: 'text' },
  columns: { order_equipment_type: 'text', senior: 'bool', ...RULE_COLUMNS },
  // The type's own rule when it has one in force, else the default.
  text: `${TERMS_SELECT}
CROSS JOIN LATERAL (
  SELECT * FROM commission_rules c
  WHERE c.valid_to IS NULL AND c.kind = $2::text AND (c.equipment_type = o.equipment_type OR c.equipment_type IS NULL)
  ORDER BY c.equipment_type NULLS LAST
  LIMIT 1
) r
WHERE o.id = $1::int8 AND o.deleted_at IS NULL`,
});

/** The rule of a kind a split of this order would use now, with its type and whether its master is senior. */
export function findCompletionTerms(
  db: Queryable,
  orderId: number,
  kind: RuleKind,
): Promise<(CommissionRuleRow & { order_equipment_type: string; senior: boolean }) | null> {
  return db.maybeOne(findCompletionTermsQuery, { orderId, kind });
}

const findRecordedTermsQuery = defineQuery({
  name: 'money.find_recorded_completion_terms',
  params: { orderId: 'int8' },
  columns: { order_equipment_type: 'text', senior: 'bool', ...RULE_COLUMNS },
  // The version the order was split by; an imported order recorded none, so
  // the version of its type (else the default) in force when it was
  // completed, else the first one (the legacy rates): never the current rule.
  text: `${TERMS_SELECT}
CROSS JOIN LATERAL (
  SELECT * FROM commission_rules c
  WHERE c.kind = 'completion' AND (c.id = o.commission_rule_id OR (o.commission_rule_id IS NULL
    AND (c.equipment_type = o.equipment_type OR c.equipment_type IS NULL)))
  ORDER BY c.id = o.commission_rule_id DESC NULLS LAST,
    (c.valid_from <= o.completed_at AND (c.valid_to IS NULL OR c.valid_to > o.completed_at)) DESC,
    c.equipment_type NULLS LAST, c.version
  LIMIT 1
) r
WHERE o.id = $1::int8 AND o.deleted_at IS NULL`,
});

/** The completion rule recorded on this order (for corrections), with its type and whether its master is senior. */
export function findRecordedTerms(db: Queryable, orderId: number): Promise<(CommissionRuleRow & { order_equipment_type: string; senior: boolean }) | null> {
  return db.maybeOne(findRecordedTermsQuery, { orderId });
}
