import type { Database } from '../db/database.ts';
import { ConflictError, ForbiddenError, NotFoundError, PreconditionFailedError, UnprocessableError, ValidationError } from '../errors.ts';
import { findMaster } from '../masters/masters.sql.ts';
import { hasRole, type Principal } from '../users/principal.ts';
import { MoneyError, splitMoney, type CommissionRules, type Split } from './money.ts';
import type { OrderChangeFeed } from './order-changes.ts';
import type { OrderView } from './order-view.ts';
import { findOrderState } from './orders.sql.ts';
import { RESCHEDULABLE, TRANSITIONS, mayAttempt, type TransitionName } from './transitions.ts';
import { applyTransition, rescheduleOrder, type TransitionArgs } from './transitions.sql.ts';

/** Inputs per transition, as callers (API, bot) provide them. */
export interface TransitionInput {
  assign: { master_id: number };
  unassign: { note?: string };
  decline: { reason: string };
  accept: Record<string, never>;
  arrive: Record<string, never>;
  resume: Record<string, never>;
  long_repair: { estimated_completion_date: string; prepayment_amount?: string | null };
  complete: { total_amount: string; materials_cost: string; has_review: boolean; out_of_city: boolean };
  close: Record<string, never>;
  refuse: { reason: string };
  reopen: { note?: string };
}

export interface TransitionOptions {
  /** Expected version (If-Match, or the version a bot button was drawn for). */
  expectedVersion?: number;
}

/**
 * Moves orders through the state machine. Each move is one conditional
 * UPDATE; when it matches nothing, the current state explains why
 * (404, 403, 409 or 412), so races resolve to exactly one winner.
 */
export class OrderWorkflow {
  private readonly db: Database;
  private readonly changes: OrderChangeFeed;
  private readonly commission: CommissionRules;
  constructor(db: Database, changes: OrderChangeFeed, commission: CommissionRules) {
    this.db = db;
    this.changes = changes;
    this.commission = commission;
  }

  /** The split a completion with these amounts would record (for previews). */
  previewSplit(input: TransitionInput['complete']): Split {
    return this.split(input);
  }

  async transition<N extends TransitionName>(
    actor: Principal,
    id: number,
    name: N,
    input: TransitionInput[N],
    opts: TransitionOptions = {},
  ): Promise<OrderView> {
    const rule = TRANSITIONS[name];
    if (!mayAttempt(rule, actor.roles)) throw new ForbiddenError(`your roles may not ${name.replace('_', ' ')} orders`);
    const masterScope = this.masterScope(actor, rule.who);
    const args = this.argsFor(name, input) as TransitionArgs[N];
    const note = noteFor(name, input);
    const moved = await applyTransition(
      this.db,
      name,
      { id, actorId: actor.userId, expectedVersion: opts.expectedVersion ?? null, masterScope, note, details: null },
      args,
    );
    if (!moved) throw await this.explainMiss(id, name, masterScope, opts.expectedVersion, input);
    const { previous_status, previous_master_id, ...order } = moved;
    this.changes.publish({ action: name, from: previous_status, to: order.status, order, previousMasterId: previous_master_id, actor, note });
    return order;
  }

  async reschedule(actor: Principal, id: number, input: { scheduled_at: string; reason: string }, opts: TransitionOptions = {}): Promise<OrderView> {
    if (!hasRole(actor, 'ADMIN', 'DISPATCHER', 'MASTER')) throw new ForbiddenError('your roles may not reschedule orders');
    const masterScope = this.masterScope(actor, hasRole(actor, 'ADMIN', 'DISPATCHER') ? 'staff' : 'master');
    const order = await rescheduleOrder(
      this.db,
      {
        id,
        actorId: actor.userId,
        expectedVersion: opts.expectedVersion ?? null,
        masterScope,
        note: input.reason,
        details: JSON.stringify({ scheduled_at: input.scheduled_at }),
      },
      input.scheduled_at,
      input.reason,
    );
    if (!order) throw await this.explainMiss(id, 'reschedule', masterScope, opts.expectedVersion);
    this.changes.publish({ action: 'reschedule', from: order.status, to: order.status, order, previousMasterId: null, actor, note: input.reason });
    return order;
  }

  /** Master actions by a non-admin are limited to orders assigned to them. */
  private masterScope(actor: Principal, who: 'staff' | 'master'): number | null {
    if (who === 'staff' || hasRole(actor, 'ADMIN')) return null;
    if (actor.masterId === null) throw new ForbiddenError('you are not registered as a master');
    return actor.masterId;
  }

  private split(input: TransitionInput['complete']): Split {
    try {
      return splitMoney(
        { total: input.total_amount, materials: input.materials_cost, hasReview: input.has_review, outOfCity: input.out_of_city },
        this.commission,
      );
    } catch (err) {
      if (err instanceof MoneyError) throw new ValidationError(err.message, { field: err.field });
      throw err;
    }
  }

  private argsFor(name: TransitionName, input: TransitionInput[TransitionName]): TransitionArgs[TransitionName] {
    switch (name) {
      case 'assign':
        return { masterId: (input as TransitionInput['assign']).master_id };
      case 'long_repair': {
        const i = input as TransitionInput['long_repair'];
        return { estimatedCompletionDate: i.estimated_completion_date, prepaymentAmount: i.prepayment_amount ?? null };
      }
      case 'complete': {
        const i = input as TransitionInput['complete'];
        const s = this.split(i);
        return {
          totalAmount: s.total,
          materialsCost: s.materials,
          masterProfit: s.masterShare,
          companyProfit: s.companyShare,
          hasReview: i.has_review,
          outOfCity: i.out_of_city,
        };
      }
      case 'refuse':
        return { reason: (input as TransitionInput['refuse']).reason };
      default:
        return {};
    }
  }

  /** Why a conditional update matched nothing, judged from the current row. */
  private async explainMiss(
    id: number,
    name: TransitionName | 'reschedule',
    masterScope: number | null,
    expectedVersion: number | undefined,
    input?: unknown,
  ): Promise<Error> {
    const state = await findOrderState(this.db, id);
    if (!state || state.deleted || (masterScope !== null && state.master_id !== masterScope)) {
      return new NotFoundError(`order ${id} not found`, { field: 'id' });
    }
    if (expectedVersion !== undefined && state.version !== expectedVersion) {
      return new PreconditionFailedError(`order ${id} is at version ${state.version}, not ${expectedVersion}`, {
        field: 'If-Match',
        details: { current_version: state.version },
      });
    }
    const from = name === 'reschedule' ? RESCHEDULABLE : TRANSITIONS[name].from;
    if (from.includes(state.status) && name === 'assign') {
      const masterId = (input as TransitionInput['assign']).master_id;
      const master = await findMaster(this.db, masterId);
      if (!master) return new UnprocessableError(`master ${masterId} does not exist`, { field: 'master_id' });
      if (!master.is_approved || !master.is_active) return new UnprocessableError(`master ${masterId} is not approved and active`, { field: 'master_id' });
      if (state.master_id === masterId)
        return new ConflictError(`order ${id} is already assigned to master ${masterId}`, { details: { status: state.status } });
    }
    return new ConflictError(`cannot ${name.replace('_', ' ')} order ${id}: it is ${state.status}`, { details: { status: state.status, allowed_from: from } });
  }
}

function noteFor(name: TransitionName, input: unknown): string | null {
  const i = input as { reason?: string; note?: string };
  if (name === 'decline' || name === 'refuse') return i.reason ?? null;
  return i.note ?? null;
}
