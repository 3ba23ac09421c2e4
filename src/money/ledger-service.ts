import type { Database } from '../db/database.ts';
import { ForbiddenError, UnprocessableError, ValidationError } from '../errors.ts';
import { fromKopecks, toKopecks } from '../orders/money.ts';
import { hasRole, isStaff, requireStaff, type Principal } from '../users/principal.ts';
import { listBalancesAt, listLedgerEntries, listOwedNow, sumEarned } from './ledger.sql.ts';
import { listOwedOrders, settleOrders } from './settlement.sql.ts';

export type Balance = Awaited<ReturnType<typeof listOwedNow>>[number];
type LedgerEntry = Awaited<ReturnType<typeof listLedgerEntries>>[number] & { balance: string };
export type OwedOrder = Awaited<ReturnType<typeof listOwedOrders>>[number];
export type Settlement = NonNullable<Awaited<ReturnType<typeof settleOrders>>>;

export interface Period {
  from: string;
  to: string;
}

export interface Ledger {
  master_id: number;
  from: string;
  to: string;
  /** Owed at `from`. */
  opening: string;
  entries: LedgerEntry[];
  /** Owed at `to`: opening plus the entries. */
  closing: string;
}

/** A master's own figures: earned on orders completed in each period (settled or not) and owed now. */
export interface MasterStats {
  today: { orders: number; earned: string };
  week: { orders: number; earned: string };
  month: { orders: number; earned: string };
  owed: { orders: number; amount: string };
}

/** Longest settlement one request may make: one message, one audit entry people can read. */
const MAX_SETTLE = 500;

/** Staff read anyone's money; a master only their own; null is the operator at the console (the CLI), who holds the database anyway. */
function requireOwnOrStaff(actor: Principal | null, masterId: number): void {
  if (actor === null || isStaff(actor)) return;
  if (hasRole(actor, 'MASTER') && actor.masterId === masterId) return;
  throw new ForbiddenError("only staff may read another master's money");
}

function checkPeriod(p: Period): void {
  if (Number.isNaN(Date.parse(p.from))) throw new ValidationError('must be an RFC 3339 timestamp', { field: 'from' });
  if (Number.isNaN(Date.parse(p.to))) throw new ValidationError('must be an RFC 3339 timestamp', { field: 'to' });
  if (Date.parse(p.to) <= Date.parse(p.from)) throw new ValidationError('must be after from', { field: 'to' });
}

/**
 * What masters owe the company and how they hand it over. Completing an
 * order adds its company share less any prepayment the company took;
 * closing it (alone or in a settlement of several) records the hand-over.
 */
export class LedgerService {
  private readonly db: Database;
  constructor(db: Database) {
    this.db = db;
  }

  /** Per master with money to hand over: now, or at a past moment. Staff only. */
  balances(actor: Principal, at?: string): Promise<Balance[]> {
    requireStaff(actor);
    return at === undefined ? listOwedNow(this.db, null) : listBalancesAt(this.db, at, null);
  }

  /** One master's balance (zero when nothing is owed). */
  async balance(actor: Principal | null, masterId: number, at?: string): Promise<{ orders: number; owed: string }> {
    requireOwnOrStaff(actor, masterId);
    const rows = at === undefined ? await listOwedNow(this.db, masterId) : await listBalancesAt(this.db, at, masterId);
    return { orders: rows[0]?.orders ?? 0, owed: fromKopecks(toKopecks(rows[0]?.owed ?? '0')) };
  }

  /** A master's ledger over [from, to) with the running balance (null actor: the CLI's operator). */
  async ledger(actor: Principal | null, masterId: number, period: Period): Promise<Ledger> {
    requireOwnOrStaff(actor, masterId);
    checkPeriod(period);
    const [opening, rows] = await Promise.all([this.balance(actor, masterId, period.from), listLedgerEntries(this.db, masterId, period.from, period.to)]);
    let running = toKopecks(opening.owed);
    const entries = rows.map((e) => {
      running += toKopecks(e.amount);
      return { ...e, amount: fromKopecks(toKopecks(e.amount)), balance: fromKopecks(running) };
    });
    return { master_id: masterId, from: period.from, to: period.to, opening: opening.owed, entries, closing: fromKopecks(running) };
  }

  /** Completed orders not yet handed over, oldest first (what a settlement picks from). */
  owedOrders(actor: Principal, masterId: number): Promise<OwedOrder[]> {
    requireOwnOrStaff(actor, masterId);
    return listOwedOrders(this.db, masterId, MAX_SETTLE);
  }

  /** Closes several completed orders of one master as one hand-over (one settlement, one audit entry). Staff. */
  async settle(actor: Principal, masterId: number, orderIds: number[]): Promise<Settlement> {
    requireStaff(actor);
    // No orders: a settlement of the differences of corrections made after orders were closed.
    if (orderIds.length > MAX_SETTLE) throw new ValidationError(`must list at most ${MAX_SETTLE} orders`, { field: 'order_ids' });
    if (new Set(orderIds).size !== orderIds.length) throw new ValidationError('must not repeat an order', { field: 'order_ids' });
    const settled = await settleOrders(this.db, masterId, orderIds, actor.userId);
    if (settled) return { ...settled, amount: fromKopecks(toKopecks(settled.amount)) };
    if (orderIds.length === 0) throw new UnprocessableError(`master ${masterId} has no correction differences to hand over`, { field: 'order_ids' });
    const owed = new Set((await listOwedOrders(this.db, masterId, MAX_SETTLE)).map((o) => o.id));
    const stray = orderIds.filter((id) => !owed.has(id));
    throw new UnprocessableError(`not orders of master ${masterId} awaiting hand-over: ${stray.join(', ')}`, {
      field: 'order_ids',
      details: { order_ids: stray },
    });
  }

  /** A master's own figures for the given periods (the caller knows the business's calendar). */
  async stats(actor: Principal, masterId: number, periods: { today: Period; week: Period; month: Period }): Promise<MasterStats> {
    requireOwnOrStaff(actor, masterId);
    const earned = async (p: Period) => {
      const r = await sumEarned(this.db, masterId, p.from, p.to);
      return { orders: r.orders, earned: fromKopecks(toKopecks(r.earned)) };
    };
    const [today, week, month, owed] = await Promise.all([earned(periods.today), earned(periods.week), earned(periods.month), this.balance(actor, masterId)]);
    return { today, week, month, owed: { orders: owed.orders, amount: owed.owed } };
  }
}
