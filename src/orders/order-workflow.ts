import type { Database } from '../db/database.ts';
import { ConflictError, ForbiddenError, NotFoundError, PreconditionFailedError, ValidationError } from '../errors.ts';
import { findMaster } from '../masters/masters.sql.ts';
import { afterPhotoMissing } from './completion-photo.sql.ts';
import { hasRole, type Principal } from '../users/principal.ts';
import { completionTermsOf, recordedTermsOf } from '../money/commission-service.ts';
import { fromKopecks, toKopecks, type Split } from './money.ts';
import { masterScope, mayAttempt, redact, type VisibleOrder } from './order-access.ts';
import { ACTIONS, completionSplit, verbOf, type ActionDeps, type ActionInput, type ActionName, type Who } from './order-actions.ts';
import { applyAction } from './order-actions.sql.ts';
import type { OrderChangeFeed } from './order-changes.ts';
import { explainFieldError } from './order-errors.ts';
import { feeHandedOver, findOrder, findOrderState } from './orders.sql.ts';

export interface ActOptions {
  /** Expected version (If-Match, or the version a bot button was drawn for). */
  expectedVersion?: number;
}

/**
 * Carries out the actions of order-actions.ts. Each is one conditional
 * UPDATE; when it matches nothing, the current state explains why (404,
 * 403, 409, 412 or the action's own reason), so races resolve to exactly
 * one winner. Returns the order as the actor may see it.
 */
export class OrderWorkflow {
  private readonly db: Database;
  private readonly changes: OrderChangeFeed;
  private readonly deps: ActionDeps;
  constructor(db: Database, changes: OrderChangeFeed) {
    this.db = db;
    this.changes = changes;
    this.deps = {
      completion: null,
      refusal: null,
      correction: null,
      findMaster: (id) => findMaster(db, id),
      afterPhotoMissing: (id) => afterPhotoMissing(db, id),
      feeHandedOver: (id) => feeHandedOver(db, id),
      prepaymentOf: async (id) => (await findOrder(db, id))?.prepayment_amount ?? null,
    };
  }

  /** The split completing this order with these amounts would record now (for previews). */
  async previewSplit(orderId: number, input: ActionInput<'complete'>): Promise<Split> {
    const terms = await completionTermsOf(this.db, orderId);
    if (!terms) throw new NotFoundError(`order ${orderId} not found`, { field: 'id' });
    return completionSplit(input, terms.rules);
  }

  /** The split a refusal on site would record for this fee now (for previews). */
  async previewRefusalFee(orderId: number, fee: string): Promise<Split> {
    const terms = await completionTermsOf(this.db, orderId, 'refusal_fee');
    if (!terms) throw new NotFoundError(`order ${orderId} not found`, { field: 'id' });
    return completionSplit({ total_amount: fee, materials_cost: '0', has_review: false, out_of_city: false }, terms.rules);
  }

  /** What a correction would change: the order's money now and the split the recorded rule gives the corrected amounts. */
  async previewCorrection(orderId: number, input: Omit<ActionInput<'correct'>, 'reason'>): Promise<{ before: Split; after: Split }> {
    const [terms, order] = await Promise.all([recordedTermsOf(this.db, orderId), findOrder(this.db, orderId)]);
    if (!terms || !order) throw new NotFoundError(`order ${orderId} not found`, { field: 'id' });
    const { total_amount, materials_cost, master_profit, company_profit } = order;
    if (total_amount === null || materials_cost === null || master_profit === null || company_profit === null) {
      throw new ConflictError(`order ${orderId} has no money to correct: it is ${order.status}`, { details: { status: order.status } });
    }
    const net = fromKopecks(toKopecks(total_amount) - toKopecks(materials_cost));
    const before = {
      total: total_amount,
      materials: materials_cost,
      net,
      ratePercent: order.master_rate ?? 0,
      masterShare: master_profit,
      companyShare: company_profit,
    };
    const after = completionSplit(
      {
        total_amount: input.total_amount ?? total_amount,
        materials_cost: input.materials_cost ?? materials_cost,
        has_review: input.has_review ?? order.has_review,
        out_of_city: input.out_of_city ?? order.out_of_city,
      },
      terms.rules,
    );
    return { before, after };
  }

  /**
   * Completions are split by the rule in force for the order's type and
   * master, read just before; refusal fees by the refusal-fee rule; a
   * correction by the rule recorded at completion, from the money as it is
   * at the version the caller named (the update checks that version).
   */
  private async depsFor(id: number, name: ActionName, expectedVersion: number | undefined, miss: () => Promise<Error>): Promise<ActionDeps> {
    if (name === 'complete' || name === 'client_refused') {
      const terms = await completionTermsOf(this.db, id, name === 'complete' ? 'completion' : 'refusal_fee');
      if (!terms) throw new NotFoundError(`order ${id} not found`, { field: 'id' });
      return name === 'complete' ? { ...this.deps, completion: terms } : { ...this.deps, refusal: terms };
    }
    if (name !== 'correct') return this.deps;
    const [terms, order] = await Promise.all([recordedTermsOf(this.db, id), findOrder(this.db, id)]);
    if (!terms || !order) throw new NotFoundError(`order ${id} not found`, { field: 'id' });
    const { total_amount, materials_cost, master_profit, company_profit } = order;
    // Not completed, or not the version the caller saw: explained as the update's miss would be.
    if (total_amount === null || materials_cost === null || master_profit === null || company_profit === null || order.version !== expectedVersion) {
      throw await miss();
    }
    const current = { total_amount, materials_cost, has_review: order.has_review, out_of_city: order.out_of_city, master_profit, company_profit };
    return { ...this.deps, correction: { ...terms, current } };
  }

  async act<N extends ActionName>(actor: Principal, id: number, name: N, input: ActionInput<N>, opts: ActOptions = {}): Promise<VisibleOrder> {
    const def = ACTIONS[name];
    if (!mayAttempt(actor, name)) throw new ForbiddenError(`your roles may not ${verbOf(name)} orders`);
    if (def.requiresVersion && opts.expectedVersion === undefined) {
      throw new ValidationError(`the version the ${verbOf(name)} is based on is required`, { field: 'expected_version' });
    }
    const scope = masterScope(actor, def.who);
    const note = def.note?.(input) ?? null;
    const details = { ...def.details?.(input), ...(await this.forMaster(actor, id, def.who)) };
    const base = {
      id,
      actor_id: actor.userId,
      expected_version: opts.expectedVersion ?? null,
      master_scope: scope,
      note,
      details: Object.keys(details).length > 0 ? JSON.stringify(details) : null,
    };
    const deps = await this.depsFor(id, name, opts.expectedVersion, () => this.explainMiss(id, name, input, scope, opts.expectedVersion));
    let moved;
    try {
      moved = await applyAction(this.db, name, def.sql.bind(input, base, deps));
    } catch (err) {
      throw explainFieldError(err);
    }
    if (!moved) throw await this.explainMiss(id, name, input, scope, opts.expectedVersion);
    const { previous_status, previous_master_id, ...order } = moved;
    this.changes.publish({ action: name, from: previous_status, to: order.status, order, previousMasterId: previous_master_id, actor, note });
    return redact(actor, order);
  }

  /**
   * An admin doing a master's action for the order's master: the audit says
   * whose work it was (the history shows "for master ..."). Read before the
   * update; the update itself still decides whether the action happens.
   */
  private async forMaster(actor: Principal, id: number, who: Who): Promise<{ for_master?: string | null; for_master_id?: number }> {
    if (who !== 'master' || !hasRole(actor, 'ADMIN')) return {};
    const order = await findOrder(this.db, id);
    if (!order || order.master_id === null || order.master_id === actor.masterId) return {};
    return { for_master: order.master_name, for_master_id: order.master_id };
  }

  /** Why a conditional update matched nothing, judged from the current row. */
  private async explainMiss<N extends ActionName>(
    id: number,
    name: N,
    input: ActionInput<N>,
    scope: number | null,
    expectedVersion: number | undefined,
  ): Promise<Error> {
    const def = ACTIONS[name];
    const state = await findOrderState(this.db, id);
    if (!state || (state.deleted && !def.onDeleted) || (scope !== null && state.master_id !== scope)) {
      return new NotFoundError(`order ${id} not found`, { field: 'id' });
    }
    if (def.onDeleted && !state.deleted) return new ConflictError(`order ${id} is not deleted`, { details: { status: state.status } });
    if (expectedVersion !== undefined && state.version !== expectedVersion) {
      return new PreconditionFailedError(`order ${id} is at version ${state.version}, not ${expectedVersion}`, {
        field: 'expected_version',
        details: { current_version: state.version },
      });
    }
    if (def.from.includes(state.status)) {
      const own = await def.explain?.(input, state, this.deps);
      if (own) return own;
    }
    return new ConflictError(`cannot ${verbOf(name)} order ${id}: it is ${state.status}`, { details: { status: state.status, allowed_from: def.from } });
  }
}
