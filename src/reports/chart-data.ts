import type { Queryable } from '../db/database.ts';
import { fromKopecks, toKopecks } from '../orders/money.ts';
import { addDays, localParts } from '../scheduler/periods.ts';
import type { ChartData } from './charts.ts';
import { listRefusalFeesByMaster } from './refusal-fees.sql.ts';
import type { Period } from './reports-service.ts';
import { listDailyFigures, listSettlementOrders } from './workbooks.sql.ts';

/**
 * What a period's chart draws (a validated period): orders completed and the
 * day's revenue per local day, refusal fees included, and each master's
 * share, his part of the fees he took included, as his earnings count it.
 */
export async function periodChartData(db: Queryable, p: Period, timeZone: string): Promise<ChartData> {
  const [byDay, orders, fees] = await Promise.all([
    listDailyFigures(db, p.from, p.to, timeZone),
    listSettlementOrders(db, p.from, p.to, null),
    listRefusalFeesByMaster(db, p.from, p.to),
  ]);
  // Keyed by master, not by name: two masters may share a name, and each is his own bar.
  const shares = new Map<number, { name: string; kopecks: bigint }>();
  const add = (masterId: number, name: string, share: string) => {
    const seen = shares.get(masterId);
    shares.set(masterId, { name, kopecks: (seen?.kopecks ?? 0n) + toKopecks(share) });
  };
  for (const o of orders) add(o.master_id, o.master_name, o.master_profit);
  for (const f of fees) add(f.master_id, f.master_name, f.master_share);
  const days: string[] = [];
  const last = localParts(new Date(Date.parse(p.to) - 1), timeZone).date;
  for (let d = localParts(new Date(p.from), timeZone).date; d <= last; d = addDays(d, 1)) days.push(d);
  return { days, byDay, masters: barLabels([...shares]) };
}

/** A name two masters share gets each one's id after it, so the chart's bars can be told apart. */
function barLabels(shares: Array<[number, { name: string; kopecks: bigint }]>): ChartData['masters'] {
  const named = new Map<string, number>();
  for (const [, s] of shares) named.set(s.name, (named.get(s.name) ?? 0) + 1);
  return shares.map(([id, s]) => ({ name: named.get(s.name)! > 1 ? `${s.name} (#${id})` : s.name, share: fromKopecks(s.kopecks) }));
}
