import { PassThrough } from 'node:stream';
import { addDays, localMidnight, localParts } from '../scheduler/periods.ts';
import type { MasterFigures, Period, ReportsService, Summary } from '../reports/reports-service.ts';
import { writeXlsx } from '../reports/export-xlsx.ts';
import { onTimePercent, type MasterQuality } from '../masters/master-quality.ts';
import type { Principal } from '../users/principal.ts';
import { formatDate, formatMoney } from './format.ts';
import { fromKopecks, toKopecks } from '../orders/money.ts';
import type { Translate } from './i18n.ts';

/** Report periods as people ask for them (so far today, this week, this month, or dates), and how a report reads. */

export interface LabelledPeriod extends Period {
  /** Local calendar dates, first and last day included. */
  first: string;
  last: string;
}

/** First and last local dates (inclusive) as a half-open UTC period. */
export function datesPeriod(first: string, last: string, timeZone: string): LabelledPeriod {
  return { from: localMidnight(first, timeZone).toISOString(), to: localMidnight(addDays(last, 1), timeZone).toISOString(), first, last };
}

/** The current day, ISO week or month in the business time zone. */
export function currentPeriod(kind: 'day' | 'week' | 'month', now: Date, timeZone: string): LabelledPeriod {
  const today = localParts(now, timeZone);
  if (kind === 'day') return datesPeriod(today.date, today.date, timeZone);
  if (kind === 'week') {
    const monday = addDays(today.date, -(today.weekday - 1));
    return datesPeriod(monday, addDays(monday, 6), timeZone);
  }
  const first = `${today.date.slice(0, 7)}-01`;
  const next = new Date(`${first}T00:00:00Z`);
  next.setUTCMonth(next.getUTCMonth() + 1);
  return datesPeriod(first, addDays(next.toISOString().slice(0, 10), -1), timeZone);
}

/** Telegram messages hold 4096 characters; the file has everything. */
const MAX_MASTER_LINES = 25;

export function reportText(t: Translate, label: { first: string; last: string }, summary: Summary, masters: MasterFigures[]): string {
  const c = summary.closed;
  const lines = [
    t('report-title', { first: formatDate(label.first), last: formatDate(label.last) }),
    t('report-created', { total: summary.created.total }),
    ...Object.entries(summary.created.by_status)
      .filter(([, n]) => n > 0)
      .map(([status, n]) => `  ${t(`status-${status}`)}: ${n}`),
    t('report-closed', {
      orders: c.orders,
      revenue: formatMoney(c.revenue, t),
      materials: formatMoney(c.materials, t),
      net: formatMoney(c.net, t),
      master: formatMoney(c.master_share, t),
      company: formatMoney(c.company_share, t),
      average: formatMoney(c.average_check, t),
    }),
  ];
  const f = summary.refusal_fees;
  // A fee is revenue without a closed order: shown apart, then added in, so neither figure hides it.
  if (f.orders > 0) {
    const plus = (a: string, b: string) => formatMoney(fromKopecks(toKopecks(a) + toKopecks(b)), t);
    lines.push(
      t('report-refusal-fees', {
        orders: f.orders,
        fee: formatMoney(f.fee, t),
        master: formatMoney(f.master_share, t),
        company: formatMoney(f.company_share, t),
        revenue: plus(c.revenue, f.fee),
        masterTotal: plus(c.master_share, f.master_share),
        companyTotal: plus(c.company_share, f.company_share),
      }),
    );
  }
  if (masters.length) lines.push('', t('report-masters'));
  for (const m of masters.slice(0, MAX_MASTER_LINES)) lines.push(masterLine(t, m));
  if (masters.length > MAX_MASTER_LINES) lines.push(t('report-more-in-file', { count: masters.length - MAX_MASTER_LINES }));
  return lines.join('\n');
}

export function masterLine(t: Translate, m: MasterFigures): string {
  const money = t('report-master-line', {
    name: m.master_name,
    completed: m.completed,
    closed: m.orders,
    revenue: formatMoney(m.revenue, t),
    share: formatMoney(m.master_share, t),
  });
  const f = m.refusal_fees;
  const fees = f.orders > 0 ? t('report-master-fees', { orders: f.orders, share: formatMoney(f.master_share, t) }) : '';
  return `${money}${fees}; ${qualityLine(t, m)}`;
}

/** "оценка 4,50 (12), вовремя 90% (9 из 10)": the clients' ratings and on-time arrival, or that there are none yet. */
export function qualityLine(t: Translate, q: MasterQuality): string {
  const percent = onTimePercent(q);
  return t('quality-line', {
    rating: q.rating_average === null ? t('quality-rating-none') : t('quality-rating', { average: decimalText(q.rating_average, t), count: q.rating_count }),
    onTime: percent === null ? t('quality-on-time-none') : t('quality-on-time', { percent, onTime: q.visits_on_time, visits: q.visits }),
  });
}

/** "4.50" with the language's decimal separator (a comma in Russian), as money is written. */
function decimalText(value: string, t: Translate): string {
  return value.replace('.', t('decimal-separator'));
}

/** The period's closed orders as an XLSX file: the same export the HTTP API serves. */
export async function reportFile(reports: ReportsService, actor: Principal, period: Period): Promise<Buffer> {
  const out = new PassThrough();
  const chunks: Buffer[] = [];
  out.on('data', (chunk: Buffer) => chunks.push(chunk));
  const done = new Promise((resolve, reject) => {
    out.on('end', resolve);
    out.on('error', reject);
  });
  await writeXlsx(reports.closedOrders(actor, period), out);
  out.end();
  await done;
  return Buffer.concat(chunks);
}

export function reportFileName(label: { first: string; last: string }): string {
  return `report-${label.first}-${label.last}.xlsx`;
}
