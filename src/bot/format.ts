import { isAmount } from '../orders/money.ts';

/** How the bot writes and reads dates, times and amounts (DD.MM.YYYY HH:MM, local time). */

export function formatDateTime(iso: string, timeZone: string): string {
  const parts = new Intl.DateTimeFormat('en-GB', {
    timeZone,
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
  }).formatToParts(new Date(iso));
  const get = (t: string) => parts.find((p) => p.type === t)?.value ?? '';
  return `${get('day')}.${get('month')}.${get('year')} ${get('hour')}:${get('minute')}`;
}

/** A visit: its time, or its window "DD.MM.YYYY HH:MM–HH:MM". */
export function formatVisit(at: string, until: string | null, timeZone: string): string {
  const start = formatDateTime(at, timeZone);
  if (!until) return start;
  const end = formatDateTime(until, timeZone);
  return end.slice(0, 10) === start.slice(0, 10) ? `${start}–${end.slice(11)}` : `${start} – ${end}`;
}

/** 'YYYY-MM-DD' as DD.MM.YYYY. */
export function formatDate(date: string): string {
  const [y, m, d] = date.split('-');
  return `${d}.${m}.${y}`;
}

/** An amount as people read it: 1 234.50 */
export function formatMoney(amount: string): string {
  const [whole = '0', frac = '00'] = amount.split('.');
  return `${whole.replace(/\B(?=(\d{3})+(?!\d))/g, ' ')}.${frac.padEnd(2, '0')}`;
}

/** A calendar date typed as DD.MM.YYYY (or YYYY-MM-DD); null when it is not a real date. */
export function parseDate(text: string): string | null {
  const t = text.trim();
  const m = /^(\d{1,2})[./-](\d{1,2})[./-](\d{4})$/.exec(t) ?? /^(\d{4})-(\d{2})-(\d{2})$/.exec(t);
  if (!m) return null;
  const [y, mo, d] = m[1]!.length === 4 ? [m[1]!, m[2]!, m[3]!] : [m[3]!, m[2]!, m[1]!];
  const iso = `${y}-${mo.padStart(2, '0')}-${d.padStart(2, '0')}`;
  const parsed = new Date(`${iso}T00:00:00Z`);
  return !Number.isNaN(parsed.getTime()) && parsed.toISOString().startsWith(iso) ? iso : null;
}

/** An amount typed by a person ("1 234,50", "1234") as a decimal string; null when it is not one. */
export function parseAmount(text: string): string | null {
  const t = text
    .trim()
    .replace(/[\s\u00a0]/g, '')
    .replace(',', '.');
  return isAmount(t) ? t : null;
}
