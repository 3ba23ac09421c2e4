import { isAmount } from '../orders/money.ts';
import { localInstant } from '../scheduler/periods.ts';
import type { Translate } from './i18n.ts';

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

/**
 * An amount as people read it in their language: "10 000,00 ₽" in Russian,
 * "12,500.00 ₽" in English (the pattern and the thousands separator are
 * locale messages, so `t` decides). Without `t`, Russian.
 */
export function formatMoney(amount: string, t?: Translate): string {
  const [whole = '0', frac = '00'] = amount.split('.');
  const sign = whole.startsWith('-') ? '-' : '';
  const separator = t ? t('money-thousands') : ' ';
  const grouped = whole.replace('-', '').replace(/\B(?=(\d{3})+(?!\d))/g, separator);
  const cents = frac.padEnd(2, '0');
  return t ? t('money', { whole: `${sign}${grouped}`, frac: cents }) : `${sign}${grouped},${cents} ₽`;
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

/** "DD.MM.YYYY HH:MM" in the business time zone as an RFC 3339 instant; null otherwise. */
export function parseDateTime(text: string, timeZone: string): string | null {
  const m = /^(\S+)\s+(\d{1,2}):(\d{2})$/.exec(text.trim());
  if (!m) return null;
  const date = parseDate(m[1]!);
  const hours = Number(m[2]);
  const minutes = Number(m[3]);
  if (!date || hours > 23 || minutes > 59) return null;
  return localInstant(date, hours * 60 + minutes, timeZone).toISOString();
}

/** An amount typed by a person ("1 234,50", "1234") as a decimal string; null when it is not one. */
export function parseAmount(text: string): string | null {
  const t = text
    .trim()
    .replace(/[\s\u00a0]/g, '')
    .replace(',', '.');
  return isAmount(t) ? t : null;
}
