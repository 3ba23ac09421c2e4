import type { Queryable } from '../db/database.ts';
import { listRefusalFeesByMaster, sumRefusalFees } from './refusal-fees.sql.ts';
import { ORDER_STATUSES, type OrderStatus } from '../db/enums.ts';
import { ForbiddenError, ValidationError } from '../errors.ts';
import { fromKopecks, toKopecks } from '../orders/money.ts';
import { masterQuality, type MasterQuality } from '../masters/master-quality.ts';
import { hasRole, type Principal } from '../users/principal.ts';
import { countCreatedOrders, listClosedOrdersForExport, sumClosedOrders, sumOrdersByMaster } from './reports.sql.ts';

export type ClosedOrderRow = Awaited<ReturnType<typeof listClosedOrdersForExport>>[number];

export interface Period {
  from: string;
  to: string;
}

/** Longest period one report may cover; keeps any report to a bounded index range. */
const MAX_PERIOD_DAYS = 366;

export function validatePeriod(p: Period): Period {
  const from = Date.parse(p.from);
  const to = Date.parse(p.to);
  if (Number.isNaN(from)) throw new ValidationError('must be an RFC 3339 timestamp', { field: 'from' });
  if (Number.isNaN(to)) throw new ValidationError('must be an RFC 3339 timestamp', { field: 'to' });
  if (to <= from) throw new ValidationError('must be after from', { field: 'to' });
  if (to - from > MAX_PERIOD_DAYS * 86_400_000) throw new ValidationError(`period must not exceed ${MAX_PERIOD_DAYS} days`, { field: 'to' });
  return p;
}

interface MoneyTotals {
  orders: number;
  revenue: string;
  materials: string;
  net: string;
  master_share: string;
  company_share: string;
  /** Revenue per closed order, rounded half up to a kopeck. */
  average_check: string;
}

function totals(orders: number, revenue: string, materials: string, masterShare: string, companyShare: string): MoneyTotals {
  const rev = toKopecks(revenue);
  const avg = orders > 0 ? (rev + BigInt(orders) / 2n) / BigInt(orders) : 0n;
  return {
    orders,
    revenue: fromKopecks(rev),
    materials: fromKopecks(toKopecks(materials)),
    net: fromKopecks(rev - toKopecks(materials)),
    master_share: fromKopecks(toKopecks(masterShare)),
    company_share: fromKopecks(toKopecks(companyShare)),
    average_check: fromKopecks(avg),
  };
}

function addAmounts(a: string, b: string): string {
  return fromKopecks(toKopecks(a) + toKopecks(b));
}

export interface Summary {
  from: string;
  to: string;
  created: { total: number; by_status: Record<OrderStatus, number>; by_equipment: Record<string, number> };
  closed: MoneyTotals & { by_equipment: Array<MoneyTotals & { equipment_type: string }> };
  /** Refusals on site with a fee (e.g. diagnostics), by when they refused: revenue outside the orders' figures. */
  refusal_fees: { orders: number; fee: string; master_share: string; company_share: string };
}

/** A master's refusal fees of the period: how many, the fees and their split (outside the closed orders' figures). */
interface MasterRefusalFees {
  orders: number;
  fee: string;
  master_share: string;
  company_share: string;
}

/**
 * Money of the period, with how the master's work was received (ratings,
 * on-time arrival) in the same period, and the refusal fees he took.
 */
export type MasterFigures = MoneyTotals & MasterQuality & { master_id: number; master_name: string; completed: number; refusal_fees: MasterRefusalFees };

const NO_FEES: MasterRefusalFees = { orders: 0, fee: '0.00', master_share: '0.00', company_share: '0.00' };

/** Who may read reports: admins, and dispatchers while the setting allows it (SettingsService). */
export interface ReportReaders {
  mayReadReports(actor: Principal): Promise<boolean>;
}

/** Period figures: what was created, what was closed and the money it settled. */
export class ReportsService {
  /** Reads only: a streaming replica when REPORTS_DATABASE_URL is set (src/db/replica-reads.ts). */
  private readonly db: Queryable;
  private readonly readers: ReportReaders;
  constructor(db: Queryable, readers: ReportReaders) {
    this.db = db;
    this.readers = readers;
  }

  private async requireReader(actor: Principal): Promise<void> {
    if (!(await this.readers.mayReadReports(actor))) throw new ForbiddenError('only admins (and dispatchers, when allowed) may read reports');
  }

  async summary(actor: Principal, period: Period): Promise<Summary> {
    await this.requireReader(actor);
    const { from, to } = validatePeriod(period);
    const [created, closed, fees] = await Promise.all([
      countCreatedOrders(this.db, from, to),
      sumClosedOrders(this.db, from, to),
      sumRefusalFees(this.db, from, to),
    ]);
    const byStatus = Object.fromEntries(ORDER_STATUSES.map((s) => [s, 0])) as Record<OrderStatus, number>;
    const byEquipment: Record<string, number> = {};
    for (const row of created) {
      byStatus[row.status] += row.orders;
      byEquipment[row.equipment_type] = (byEquipment[row.equipment_type] ?? 0) + row.orders;
    }
    let all = { orders: 0, revenue: '0', materials: '0', master: '0', company: '0' };
    const perEquipment = closed
      .map((r) => {
        all = {
          orders: all.orders + r.orders,
          revenue: addAmounts(all.revenue, r.revenue),
          materials: addAmounts(all.materials, r.materials),
          master: addAmounts(all.master, r.master_share),
          company: addAmounts(all.company, r.company_share),
        };
        return { equipment_type: r.equipment_type, ...totals(r.orders, r.revenue, r.materials, r.master_share, r.company_share) };
      })
      .sort((a, b) => a.equipment_type.localeCompare(b.equipment_type));
    return {
      from,
      to,
      created: { total: created.reduce((n, r) => n + r.orders, 0), by_status: byStatus, by_equipment: byEquipment },
      closed: { ...totals(all.orders, all.revenue, all.materials, all.master, all.company), by_equipment: perEquipment },
      refusal_fees: {
        orders: fees.orders,
        fee: addAmounts('0', fees.fee),
        master_share: addAmounts('0', fees.master_share),
        company_share: addAmounts('0', fees.company_share),
      },
    };
  }

  /**
   * Closed orders of a period in (closed_at, id) order, one keyset batch at
   * a time, for exports that stream (admins only). Checks run on the first next().
   */
  async *closedOrders(actor: Principal, period: Period, batchSize = 1000): AsyncGenerator<ClosedOrderRow[]> {
    await this.requireReader(actor);
    const { from, to } = validatePeriod(period);
    // Start the keyset at the period itself, so the first batch's index scan starts there too.
    let after = { closedAt: from, id: 0 };
    for (;;) {
      const rows = await listClosedOrdersForExport(this.db, from, to, after, batchSize);
      if (rows.length > 0) yield rows;
      const last = rows.at(-1);
      if (!last || rows.length < batchSize) return;
      after = { closedAt: last.closed_at ?? from, id: last.id };
    }
  }

  /** Per-master figures; admins see everyone, a master only themself. */
  async masters(actor: Principal, period: Period, masterId?: number): Promise<MasterFigures[]> {
    const { from, to } = validatePeriod(period);
    let scope = masterId ?? null;
    if (!(await this.readers.mayReadReports(actor))) {
      if (!hasRole(actor, 'MASTER') || actor.masterId === null) throw new ForbiddenError('only admins and masters may read master reports');
      if (scope !== null && scope !== actor.masterId) throw new ForbiddenError('masters may read only their own figures', { field: 'master_id' });
      scope = actor.masterId;
    }
    const [rows, feeRows] = await Promise.all([sumOrdersByMaster(this.db, from, to, scope), listRefusalFeesByMaster(this.db, from, to)]);
    const fees = new Map(feeRows.filter((f) => scope === null || f.master_id === scope).map((f) => [f.master_id, f]));
    // A master whose only work in the period was refusals with a fee is in the report too, after those with closed orders.
    const feesOnly = [...fees.values()].filter((f) => !rows.some((r) => r.master_id === f.master_id));
    const all = [...rows, ...feesOnly.map((f) => ({ ...f, completed: 0, closed: 0, revenue: '0', materials: '0', master_share: '0', company_share: '0' }))];
    const quality = await masterQuality(
      this.db,
      all.map((r) => r.master_id),
      { from, to },
    );
    return all.map((r) => {
      const f = fees.get(r.master_id);
      return {
        master_id: r.master_id,
        master_name: r.master_name,
        completed: r.completed,
        ...totals(r.closed, r.revenue, r.materials, r.master_share, r.company_share),
        ...quality.get(r.master_id)!,
        refusal_fees: f
          ? { orders: f.orders, fee: addAmounts('0', f.fee), master_share: addAmounts('0', f.master_share), company_share: addAmounts('0', f.company_share) }
          : NO_FEES,
      };
    });
  }
}
