import type { Database, Queryable } from '../db/database.ts';
import { ForeignKeyViolationError, UniqueViolationError } from '../db/errors.ts';
import { insertAuditEntry } from '../audit/audit.sql.ts';
import { ConflictError, NotFoundError, UnprocessableError, ValidationError } from '../errors.ts';
import { isAmount, type CommissionRules } from '../orders/money.ts';
import { requireAdmin, requireStaff, type Principal } from '../users/principal.ts';
import {
  endCurrentRule,
  findCompletionTerms,
  findRecordedTerms,
  insertRule,
  listCurrentRules,
  listRuleVersions,
  type CommissionRuleRow,
  type NewRule,
  type RuleKind,
} from './commission.sql.ts';

export type { CommissionRuleRow, RuleKind } from './commission.sql.ts';

/** A rule as admins set it: every term, replacing the version in force. */
export type RuleInput = Omit<NewRule, 'equipment_type'>;

/** What a completion is split by: the rule version (recorded on the order) and its terms for this master. */
export interface CompletionTerms {
  ruleId: number;
  /** The order's equipment type when the terms were read; the completion must still match it. */
  equipmentType: string;
  rules: CommissionRules;
}

/** A rule's terms for one master: switched-off bonuses count as zero, the floor only for a senior master. */
function rulesOf(rule: RuleInput, senior: boolean): CommissionRules {
  return {
    threshold: rule.threshold,
    rateLow: rule.rate_below,
    rateHigh: rule.rate_above,
    reviewBonus: rule.review_bonus_enabled ? rule.review_bonus : 0,
    outOfCityBonus: rule.out_of_city_bonus_enabled ? rule.out_of_city_bonus : 0,
    floor: senior ? rule.senior_floor : 0,
  };
}

function checkRule(rule: RuleInput): void {
  if (!isAmount(rule.threshold)) throw new ValidationError('must be a decimal amount like "7000.00"', { field: 'threshold' });
  const base = Math.max(rule.rate_below, rule.rate_above, rule.senior_floor);
  const bonuses = (rule.review_bonus_enabled ? rule.review_bonus : 0) + (rule.out_of_city_bonus_enabled ? rule.out_of_city_bonus : 0);
  // A share above the net would leave the company a negative share.
  if (base + bonuses > 100) {
    throw new ValidationError(`the highest rate plus the bonuses switched on reach ${base + bonuses}%, over 100%`, { field: 'rate_above' });
  }
}

/**
 * Commission rules as versioned data: a default rule and rules per
 * equipment type. A change ends the version in force and starts the next
 * one; orders keep the version they were split by, so past money never moves.
 */
export class CommissionService {
  private readonly db: Database;
  constructor(db: Database) {
    this.db = db;
  }

  /** The rules in force (staff: they explain a master's share). */
  current(actor: Principal, kind: RuleKind = 'completion'): Promise<CommissionRuleRow[]> {
    requireStaff(actor);
    return listCurrentRules(this.db, kind);
  }

  /** All versions of one type's rule (null: the default), newest first. */
  versions(actor: Principal, equipmentType: string | null, kind: RuleKind = 'completion'): Promise<CommissionRuleRow[]> {
    requireStaff(actor);
    return listRuleVersions(this.db, equipmentType, kind);
  }

  /** Starts a new version of a type's rule (null: the default rule). Admins only; audited. */
  async change(actor: Principal, equipmentType: string | null, rule: RuleInput, kind: RuleKind = 'completion'): Promise<CommissionRuleRow> {
    requireAdmin(actor);
    checkRule(rule);
    try {
      return await this.db.transaction(async (tx) => {
        const previous = await endCurrentRule(tx, equipmentType, kind);
        const next = await insertRule(tx, { ...rule, equipment_type: equipmentType }, actor.userId, kind);
        await insertAuditEntry(tx, {
          actorId: actor.userId,
          action: 'commission_rule.change',
          entityType: 'commission_rule',
          entityId: next.id,
          details: { kind, equipment_type: equipmentType, version: next.version, previous_id: previous?.id ?? null, rule },
        });
        return next;
      });
    } catch (err) {
      if (err instanceof ForeignKeyViolationError) throw new UnprocessableError(`equipment type ${equipmentType} does not exist`, { field: 'equipment_type' });
      if (err instanceof UniqueViolationError) throw new ConflictError('the rule was changed by someone else at the same time; read it again');
      throw err;
    }
  }

  /** Ends a type's own rule, so its orders fall back to the default rule. Admins only; audited. */
  async remove(actor: Principal, equipmentType: string, kind: RuleKind = 'completion'): Promise<CommissionRuleRow> {
    requireAdmin(actor);
    return this.db.transaction(async (tx) => {
      const ended = await endCurrentRule(tx, equipmentType, kind);
      if (!ended) throw new NotFoundError(`equipment type ${equipmentType} has no rule of its own`, { field: 'equipment_type' });
      await insertAuditEntry(tx, {
        actorId: actor.userId,
        action: 'commission_rule.remove',
        entityType: 'commission_rule',
        entityId: ended.id,
        details: { kind, equipment_type: equipmentType, version: ended.version },
      });
      return ended;
    });
  }
}

/** The terms a split of this kind for this order would use now; null when the order does not exist. */
export async function completionTermsOf(db: Queryable, orderId: number, kind: RuleKind = 'completion'): Promise<CompletionTerms | null> {
  const found = await findCompletionTerms(db, orderId, kind);
  if (!found) return null;
  return { ruleId: found.id, equipmentType: found.order_equipment_type, rules: rulesOf(found, found.senior) };
}

/** The terms recorded at this order's completion (a correction re-splits by them, never by the current rule). */
export async function recordedTermsOf(db: Queryable, orderId: number): Promise<CompletionTerms | null> {
  const found = await findRecordedTerms(db, orderId);
  if (!found) return null;
  return { ruleId: found.id, equipmentType: found.order_equipment_type, rules: rulesOf(found, found.senior) };
}
