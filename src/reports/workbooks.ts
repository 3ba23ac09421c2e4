import ExcelJS from 'exceljs';
import { fromKopecks, toKopecks } from '../orders/money.ts';
import { onTimePercent, type MasterQuality } from '../masters/master-quality.ts';
import { STATUS_SETS } from '../orders/order-statuses.ts';
import { addSheet, type Column } from './workbook-kit.ts';
import { statusWord, word, type Language } from './workbook-words.ts';
import type { listActiveOrders, listRefusals, listSettlementOrders } from './workbooks.sql.ts';

export type SettlementOrder = Awaited<ReturnType<typeof listSettlementOrders>>[number];
export type Refusal = Awaited<ReturnType<typeof listRefusals>>[number];
export type ActiveOrder = Awaited<ReturnType<typeof listActiveOrders>>[number];

/** What the workbooks need besides their rows: the reader's language, the business's clock, equipment names. */
export interface WorkbookContext {
  lang: Language;
  timeZone: string;
  equipmentName: (code: string) => string;
}

const sum = (xs: readonly string[]) => fromKopecks(xs.reduce((a, x) => a + toKopecks(x), 0n));
/**
 * What an order still has to be handed over: its company share less
 * prepayment until it is closed; once closed, only the differences of
 * corrections made since that no settlement has taken (as the ledger books them).
 */
const owedOf = (o: SettlementOrder) =>
  o.status === 'CLOSED' ? fromKopecks(toKopecks(o.unsettled_corrections)) : fromKopecks(toKopecks(o.company_profit) - toKopecks(o.prepayment_amount ?? '0'));

function groupBy<R, K>(rows: readonly R[], key: (r: R) => K): Map<K, R[]> {
  const out = new Map<K, R[]>();
  for (const r of rows) out.set(key(r), [...(out.get(key(r)) ?? []), r]);
  return out;
}

interface MasterSummary {
  name: string;
  senior: boolean;
  orders: number;
  revenue: string;
  materials: string;
  master: string;
  company: string;
  prepayment: string;
  owed: string;
  average: string;
  reviews: number;
  away: number;
  refusals: number;
  /** Refusals on site with a fee, and the fees (revenue of their own, outside the orders' revenue). */
  refusalFees: number;
  refusalFeeSum: string;
  refusalFeeMaster: string;
  refusalFeeCompany: string;
}

const feeOwed = (r: Refusal) => (r.fee_company_share === null || r.fee_handed_over ? '0.00' : r.fee_company_share);

function summarize(name: string, senior: boolean, orders: readonly SettlementOrder[], refused: readonly Refusal[]): MasterSummary {
  const revenue = sum(orders.map((o) => o.total_amount));
  const n = BigInt(orders.length);
  const withFee = refused.filter((r) => r.fee !== null);
  return {
    name,
    senior,
    orders: orders.length,
    revenue,
    materials: sum(orders.map((o) => o.materials_cost)),
    master: sum(orders.map((o) => o.master_profit)),
    company: sum(orders.map((o) => o.company_profit)),
    prepayment: sum(orders.map((o) => o.prepayment_amount ?? '0')),
    // The company's share of fees not yet handed over is owed like an order's.
    owed: sum([...orders.map(owedOf), ...refused.map(feeOwed)]),
    // Half up to a kopeck, as the API's average check.
    average: n > 0n ? fromKopecks((toKopecks(revenue) + n / 2n) / n) : '0.00',
    reviews: orders.filter((o) => o.has_review).length,
    away: orders.filter((o) => o.out_of_city).length,
    refusals: refused.length,
    refusalFees: withFee.length,
    refusalFeeSum: sum(withFee.map((r) => r.fee ?? '0')),
    refusalFeeMaster: sum(withFee.map((r) => r.fee_master_share ?? '0')),
    refusalFeeCompany: sum(withFee.map((r) => r.fee_company_share ?? '0')),
  };
}

const SUMMARY_COLUMNS: ReadonlyArray<Column<MasterSummary>> = [
  { header: 'master', kind: 'text', value: (s) => s.name },
  { header: 'senior', kind: 'yesno', value: (s) => s.senior },
  { header: 'orders', kind: 'int', value: (s) => s.orders },
  { header: 'revenue', kind: 'money', value: (s) => s.revenue },
  { header: 'materials', kind: 'money', value: (s) => s.materials },
  { header: 'master_share', kind: 'money', value: (s) => s.master },
  { header: 'company_share', kind: 'money', value: (s) => s.company },
  { header: 'prepayment', kind: 'money', value: (s) => s.prepayment },
  { header: 'to_hand_over', kind: 'money', value: (s) => s.owed },
  { header: 'average_check', kind: 'money', value: (s) => s.average },
  { header: 'reviews', kind: 'int', value: (s) => s.reviews },
  { header: 'out_of_city', kind: 'int', value: (s) => s.away },
  { header: 'refusals', kind: 'int', value: (s) => s.refusals },
  { header: 'refusals_with_fee', kind: 'int', value: (s) => s.refusalFees },
  { header: 'refusal_fees', kind: 'money', value: (s) => s.refusalFeeSum },
  { header: 'refusal_fees_master', kind: 'money', value: (s) => s.refusalFeeMaster },
  { header: 'refusal_fees_company', kind: 'money', value: (s) => s.refusalFeeCompany },
];

function orderColumns(ctx: WorkbookContext): ReadonlyArray<Column<SettlementOrder>> {
  return [
    { header: 'order_no', kind: 'int', value: (o) => o.id },
    { header: 'completed_at', kind: 'time', value: (o) => o.completed_at },
    { header: 'closed_at', kind: 'time', value: (o) => o.closed_at },
    { header: 'equipment', kind: 'text', value: (o) => ctx.equipmentName(o.equipment_type) },
    { header: 'address', kind: 'text', value: (o) => o.client_address },
    { header: 'amount', kind: 'money', value: (o) => o.total_amount },
    { header: 'materials', kind: 'money', value: (o) => o.materials_cost },
    { header: 'net', kind: 'money', value: (o) => fromKopecks(toKopecks(o.total_amount) - toKopecks(o.materials_cost)) },
    { header: 'rate', kind: 'percent', value: (o) => o.master_rate },
    { header: 'master_share', kind: 'money', value: (o) => o.master_profit },
    { header: 'company_share', kind: 'money', value: (o) => o.company_profit },
    { header: 'prepayment', kind: 'money', value: (o) => o.prepayment_amount },
    { header: 'to_hand_over', kind: 'money', value: owedOf },
    { header: 'review', kind: 'yesno', value: (o) => o.has_review },
    { header: 'out_of_city', kind: 'yesno', value: (o) => o.out_of_city },
    { header: 'status', kind: 'text', value: (o) => statusWord(o.status, ctx.lang) },
  ];
}

/**
 * Settlement for a period: a summary sheet (a row per master and a total,
 * and the period's chart) and a sheet per master listing each order completed in it.
 */
export function settlementWorkbook(orders: readonly SettlementOrder[], refusals: readonly Refusal[], ctx: WorkbookContext, chart?: Buffer): ExcelJS.Workbook {
  const wb = new ExcelJS.Workbook();
  const byMaster = groupBy(orders, (o) => o.master_id);
  const refusedBy = groupBy(refusals, (r) => r.master_id);
  const names = new Map<number, { name: string; senior: boolean }>(refusals.map((r) => [r.master_id, { name: r.master_name, senior: false }]));
  for (const o of orders) names.set(o.master_id, { name: o.master_name, senior: o.senior });
  const masters = [...names.entries()].sort(([, a], [, b]) => a.name.localeCompare(b.name));
  const rows = masters.map(([id, m]) => summarize(m.name, m.senior, byMaster.get(id) ?? [], refusedBy.get(id) ?? []));
  const total = summarize(word('total', ctx.lang), false, orders, refusals);
  const summary = addSheet(wb, word('summary', ctx.lang), SUMMARY_COLUMNS, [...rows, total], ctx.lang, ctx.timeZone);
  summary.getRow(rows.length + 2).font = { bold: true };
  summary.getCell(rows.length + 2, 2).value = null;
  if (chart) {
    // The same picture the bot sends with a period report, under the table.
    const image = wb.addImage({ buffer: chart as unknown as ExcelJS.Buffer, extension: 'png' });
    summary.addImage(image, { tl: { col: 0, row: rows.length + 3 }, ext: { width: 900, height: 640 } });
  }
  for (const [id, m] of masters) addSheet(wb, m.name, orderColumns(ctx), byMaster.get(id) ?? [], ctx.lang, ctx.timeZone);
  return wb;
}

function activeColumns(ctx: WorkbookContext): ReadonlyArray<Column<ActiveOrder>> {
  return [
    { header: 'order_no', kind: 'int', value: (o) => o.id },
    { header: 'status', kind: 'text', value: (o) => statusWord(o.status, ctx.lang) },
    { header: 'equipment', kind: 'text', value: (o) => ctx.equipmentName(o.equipment_type) },
    { header: 'client', kind: 'text', value: (o) => o.client_name },
    { header: 'address', kind: 'text', value: (o) => o.client_address },
    { header: 'visit', kind: 'time', value: (o) => o.scheduled_at },
    { header: 'created_at', kind: 'time', value: (o) => o.created_at },
    { header: 'prepayment', kind: 'money', value: (o) => o.prepayment_amount },
  ];
}

/** Orders not finished yet (the open statuses, COMPLETED awaiting its hand-over included): a summary per master by status and a sheet per master, unassigned first. */
export function activeOrdersWorkbook(orders: readonly ActiveOrder[], ctx: WorkbookContext): ExcelJS.Workbook {
  const wb = new ExcelJS.Workbook();
  const groups = [...groupBy(orders, (o) => o.master_id).entries()].map(([, list]) => ({ name: list[0]!.master_name ?? word('unassigned', ctx.lang), list }));
  type Row = { name: string; list: readonly ActiveOrder[] };
  const columns: Array<Column<Row>> = [
    { header: 'master', kind: 'text', value: (g) => g.name },
    { header: 'active_total', kind: 'int', value: (g) => g.list.length },
    ...STATUS_SETS.open.map((s): Column<Row> => ({ header: `status_${s}`, kind: 'int', value: (g) => g.list.filter((o) => o.status === s).length })),
  ];
  const summary = addSheet(wb, word('summary', ctx.lang), columns, [...groups, { name: word('total', ctx.lang), list: orders }], ctx.lang, ctx.timeZone);
  summary.getRow(groups.length + 2).font = { bold: true };
  for (const g of groups) addSheet(wb, g.name, activeColumns(ctx), g.list, ctx.lang, ctx.timeZone);
  return wb;
}

/** Masters' figures for a period with their refusals and the reasons given, the clients' ratings and on-time arrival. */
export function mastersStatsWorkbook(
  orders: readonly SettlementOrder[],
  refusals: readonly Refusal[],
  quality: ReadonlyMap<number, MasterQuality>,
  ctx: WorkbookContext,
): ExcelJS.Workbook {
  const wb = new ExcelJS.Workbook();
  const byMaster = groupBy(orders, (o) => o.master_id);
  const refusedBy = groupBy(refusals, (r) => r.master_id);
  const ids = [...new Set([...byMaster.keys(), ...refusedBy.keys()])];
  type Row = { name: string; senior: boolean; list: readonly SettlementOrder[]; refused: readonly Refusal[]; q: MasterQuality | undefined };
  const rows: Row[] = ids
    .map((id) => {
      const list = byMaster.get(id) ?? [];
      const refused = refusedBy.get(id) ?? [];
      return { name: list[0]?.master_name ?? refused[0]!.master_name, senior: list[0]?.senior ?? false, list, refused, q: quality.get(id) };
    })
    .sort((a, b) => a.name.localeCompare(b.name));
  const columns: Array<Column<Row>> = [
    { header: 'master', kind: 'text', value: (r) => r.name },
    { header: 'senior', kind: 'yesno', value: (r) => r.senior },
    { header: 'completed', kind: 'int', value: (r) => r.list.length },
    { header: 'closed', kind: 'int', value: (r) => r.list.filter((o) => o.status === 'CLOSED').length },
    { header: 'revenue', kind: 'money', value: (r) => sum(r.list.map((o) => o.total_amount)) },
    { header: 'master_share', kind: 'money', value: (r) => sum(r.list.map((o) => o.master_profit)) },
    { header: 'company_share', kind: 'money', value: (r) => sum(r.list.map((o) => o.company_profit)) },
    { header: 'average_check', kind: 'money', value: (r) => summarize(r.name, r.senior, r.list, []).average },
    { header: 'refusals', kind: 'int', value: (r) => r.refused.length },
    { header: 'refusals_with_fee', kind: 'int', value: (r) => r.refused.filter((x) => x.fee !== null).length },
    { header: 'refusal_fees', kind: 'money', value: (r) => sum(r.refused.map((x) => x.fee ?? '0')) },
    { header: 'refusal_reasons', kind: 'text', value: (r) => (r.refused.length ? r.refused.map((x) => x.reason).join('; ') : null) },
    { header: 'rating_average', kind: 'decimal', value: (r) => r.q?.rating_average ?? null },
    { header: 'rating_count', kind: 'int', value: (r) => r.q?.rating_count ?? 0 },
    { header: 'visits', kind: 'int', value: (r) => r.q?.visits ?? 0 },
    { header: 'visits_on_time', kind: 'int', value: (r) => r.q?.visits_on_time ?? 0 },
    { header: 'on_time_share', kind: 'percent', value: (r) => (r.q ? onTimePercent(r.q) : null) },
  ];
  addSheet(wb, word('summary', ctx.lang), columns, rows, ctx.lang, ctx.timeZone);
  const refusalColumns: Array<Column<Refusal>> = [
    { header: 'master', kind: 'text', value: (r) => r.master_name },
    { header: 'order_no', kind: 'int', value: (r) => r.order_id },
    { header: 'refused_at', kind: 'time', value: (r) => r.refused_at },
    { header: 'reason', kind: 'text', value: (r) => r.reason },
    { header: 'refusal_fee', kind: 'money', value: (r) => r.fee },
  ];
  addSheet(wb, word('refusals_sheet', ctx.lang), refusalColumns, refusals, ctx.lang, ctx.timeZone);
  return wb;
}

/** A master's own workbook: their active orders and what they completed in the period. */
export function masterWorkbook(active: readonly ActiveOrder[], completed: readonly SettlementOrder[], ctx: WorkbookContext): ExcelJS.Workbook {
  const wb = new ExcelJS.Workbook();
  addSheet(wb, word('active_sheet', ctx.lang), activeColumns(ctx), active, ctx.lang, ctx.timeZone);
  addSheet(wb, word('completed_sheet', ctx.lang), orderColumns(ctx), completed, ctx.lang, ctx.timeZone);
  return wb;
}
