import { language, t } from './i18n.ts';

/**
 * Times are shown and typed in the business time zone (the server's
 * REPORT_TIMEZONE), whatever the device's, and "now" follows the server's
 * clock (each ping carries it), so SLA colours agree with the server.
 */
let zone = 'Europe/Moscow';
let skewMs = 0;

export function setZone(tz: string): void {
  zone = tz;
}

export function timeZone(): string {
  return zone;
}

export function syncClock(serverNow: string): void {
  const at = Date.parse(serverNow);
  if (Number.isFinite(at)) skewMs = at - Date.now();
}

export function now(): number {
  return Date.now() + skewMs;
}

const formats = new Map<string, Intl.DateTimeFormat>();
function fmt(opts: Intl.DateTimeFormatOptions): Intl.DateTimeFormat {
  const key = `${language()}|${zone}|${JSON.stringify(opts)}`;
  let f = formats.get(key);
  if (!f) formats.set(key, (f = new Intl.DateTimeFormat(language() === 'en' ? 'en-GB' : 'ru-RU', { timeZone: zone, ...opts })));
  return f;
}

export function hhmm(iso: string): string {
  return fmt({ hour: '2-digit', minute: '2-digit' }).format(new Date(iso));
}

export function dateTime(iso: string): string {
  return fmt({ day: 'numeric', month: 'short', hour: '2-digit', minute: '2-digit' }).format(new Date(iso));
}

/** A YYYY-MM-DD date as a heading ("Пн, 8 дек."), read as noon UTC so no zone moves it a day. */
export function dateLabel(date: string): string {
  return new Intl.DateTimeFormat(language() === 'en' ? 'en-GB' : 'ru-RU', { weekday: 'short', day: 'numeric', month: 'long', timeZone: 'UTC' }).format(
    new Date(`${date}T12:00:00Z`),
  );
}

export function localDate(ms: number): string {
  return new Intl.DateTimeFormat('en-CA', { timeZone: zone, year: 'numeric', month: '2-digit', day: '2-digit' }).format(new Date(ms));
}

export function addDays(date: string, n: number): string {
  const d = new Date(`${date}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + n);
  return d.toISOString().slice(0, 10);
}

export function duration(ms: number): string {
  const minutes = Math.max(0, Math.floor(ms / 60_000));
  if (minutes >= 1440) return t('days', { d: Math.floor(minutes / 1440), h: Math.floor((minutes % 1440) / 60) });
  if (minutes >= 60) return t('hours', { h: Math.floor(minutes / 60), m: minutes % 60 });
  return t('minutes', { m: minutes });
}

export function money(amount: string | null): string {
  if (amount === null) return '—';
  return `${new Intl.NumberFormat(language() === 'en' ? 'en-GB' : 'ru-RU', { minimumFractionDigits: 2, maximumFractionDigits: 2 }).format(Number(amount))} ₽`;
}

/** Minutes the zone is ahead of UTC at an instant. */
function offsetMinutes(ms: number): number {
  const parts = new Intl.DateTimeFormat('en-US', {
    timeZone: zone,
    hourCycle: 'h23',
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
  }).formatToParts(new Date(ms));
  const get = (type: string) => Number(parts.find((p) => p.type === type)?.value);
  return (Date.UTC(get('year'), get('month') - 1, get('day'), get('hour'), get('minute')) - Math.floor(ms / 60_000) * 60_000) / 60_000;
}

/** A wall time typed in the business zone ("2026-12-08T14:30") as an RFC 3339 instant. */
export function wallToInstant(wall: string): string | null {
  const m = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})$/.exec(wall);
  if (!m) return null;
  const asUtc = Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]), Number(m[4]), Number(m[5]));
  let at = asUtc - offsetMinutes(asUtc) * 60_000;
  at = asUtc - offsetMinutes(at) * 60_000;
  return new Date(at).toISOString();
}

/** An instant as the wall time of the business zone, for a datetime-local input. */
export function instantToWall(iso: string): string {
  const ms = Date.parse(iso);
  return new Date(ms + offsetMinutes(ms) * 60_000).toISOString().slice(0, 16);
}
