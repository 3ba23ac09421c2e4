import { asText } from './clean-text.ts';

/**
 * Timestamps of the legacy file. Two writers left two shapes:
 * - SQLite's CURRENT_TIMESTAMP: exactly 'YYYY-MM-DD HH:MM:SS', in UTC;
 * - the Python application: ISO strings in Moscow time, with or without
 *   '+03:00', often with microseconds; naive ones were read as Europe/Moscow.
 * The result keeps every digit of the fraction and names its offset, so
 * PostgreSQL converts it exactly.
 */
export interface Instant {
  /** RFC 3339 with an explicit offset, e.g. '2024-03-01T12:30:00.123456+03:00'. */
  text: string;
  /** Milliseconds since the epoch, for ordering. */
  epochMs: number;
}

const MOSCOW = 'Europe/Moscow';

const SQLITE_UTC = /^(\d{4})-(\d{2})-(\d{2}) (\d{2}):(\d{2}):(\d{2})$/;
const ISO = /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?)?\s*(Z|[+-]\d{2}(?::?\d{2})?)?$/i;

export interface Fields {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
  /** Fraction digits as written ('' when none). */
  fraction: string;
}

const MONTH_DAYS = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

function validFields(f: Fields): boolean {
  // Years outside this range are typos, not history this business has.
  if (f.year < 1900 || f.year > 2999 || f.month < 1 || f.month > 12 || f.day < 1) return false;
  if (f.hour > 23 || f.minute > 59 || f.second > 59) return false;
  const leap = f.month === 2 && f.year % 4 === 0 && (f.year % 100 !== 0 || f.year % 400 === 0);
  return f.day <= MONTH_DAYS[f.month - 1]! + (leap ? 1 : 0);
}

const pad = (n: number, width = 2) => String(n).padStart(width, '0');

const offsetTexts = new Map<number, string>();

function formatOffset(minutes: number): string {
  let text = offsetTexts.get(minutes);
  if (text === undefined) {
    const abs = Math.abs(minutes);
    text = `${minutes < 0 ? '-' : '+'}${pad(Math.floor(abs / 60))}:${pad(abs % 60)}`;
    offsetTexts.set(minutes, text);
  }
  return text;
}

const offsetFormat = new Intl.DateTimeFormat('en-US', { timeZone: MOSCOW, timeZoneName: 'longOffset' });
const offsetCache = new Map<number, number>();

/** The UTC offset Moscow had at an instant (it was +4 in 2011-2014, with DST before). */
function moscowOffsetAt(epochMs: number): number {
  const hour = Math.floor(epochMs / 3_600_000);
  const cached = offsetCache.get(hour);
  if (cached !== undefined) return cached;
  const name = offsetFormat.formatToParts(epochMs).find((p) => p.type === 'timeZoneName')?.value ?? 'GMT+03:00';
  const m = /GMT([+-])(\d{2}):(\d{2})/.exec(name);
  const minutes = m ? (m[1] === '-' ? -1 : 1) * (Number(m[2]) * 60 + Number(m[3])) : 0;
  offsetCache.set(hour, minutes);
  return minutes;
}

function localEpoch(f: Fields): number {
  return Date.UTC(f.year, f.month - 1, f.day, f.hour, f.minute, f.second) + Number(`0.${f.fraction || '0'}`) * 1000;
}

/**
 * Builds the instant of wall-clock fields at an offset, or in Moscow when
 * offset is undefined. `wallClock` is the fields' own 'YYYY-MM-DDTHH:MM:SS'
 * when the caller has it (zero-padded digits as written): not formatted again.
 */
export function instantOf(f: Fields, offsetMinutes?: number, wallClock?: string): Instant | null {
  if (!validFields(f)) return null;
  const local = localEpoch(f);
  let offset = offsetMinutes;
  if (offset === undefined) {
    // The offset at the guessed instant, then once more at the corrected one (transition days).
    offset = moscowOffsetAt(local - moscowOffsetAt(local - 3 * 3_600_000) * 60_000);
  }
  const fraction = f.fraction ? `.${f.fraction}` : '';
  const clock = wallClock ?? `${pad(f.year, 4)}-${pad(f.month)}-${pad(f.day)}T${pad(f.hour)}:${pad(f.minute)}:${pad(f.second)}`;
  return { text: `${clock}${fraction}${formatOffset(offset)}`, epochMs: local - offset * 60_000 };
}

function parseOffset(raw: string): number {
  if (raw.toUpperCase() === 'Z') return 0;
  const m = /^([+-])(\d{2}):?(\d{2})?$/.exec(raw)!;
  return (m[1] === '-' ? -1 : 1) * (Number(m[2]) * 60 + Number(m[3] ?? 0));
}

/** A legacy timestamp column, or null when empty or not a timestamp at all. */
export function parseLegacyTimestamp(raw: unknown): Instant | null {
  const text = asText(raw)?.trim();
  if (!text) return null;
  // Every field below is zero-padded digits of fixed width: the wall clock is the matched text itself.
  if (SQLITE_UTC.test(text)) {
    const fields: Fields = {
      year: Number(text.slice(0, 4)),
      month: Number(text.slice(5, 7)),
      day: Number(text.slice(8, 10)),
      hour: Number(text.slice(11, 13)),
      minute: Number(text.slice(14, 16)),
      second: Number(text.slice(17, 19)),
      fraction: '',
    };
    return instantOf(fields, 0, `${text.slice(0, 10)}T${text.slice(11)}`);
  }
  const m = ISO.exec(text);
  if (!m) return null;
  const fields: Fields = {
    year: Number(m[1]),
    month: Number(m[2]),
    day: Number(m[3]),
    hour: Number(m[4] ?? 0),
    minute: Number(m[5] ?? 0),
    second: Number(m[6] ?? 0),
    fraction: m[7] ?? '',
  };
  const clock = `${m[1]}-${m[2]}-${m[3]}T${m[4] ?? '00'}:${m[5] ?? '00'}:${m[6] ?? '00'}`;
  return instantOf(fields, m[8] ? parseOffset(m[8]) : undefined, clock);
}

function isoDate(year: number, month: number, day: number): string | null {
  const f = { year, month, day, hour: 0, minute: 0, second: 0, fraction: '' };
  return validFields(f) ? `${pad(year, 4)}-${pad(month)}-${pad(day)}` : null;
}

/** Two-digit years are this century's: '15.10.24' is 2024. */
export function fullYear(raw: string): number {
  return raw.length === 2 ? 2000 + Number(raw) : Number(raw);
}

/**
 * A calendar date (estimated_completion_date): 'YYYY-MM-DD' (a time part is
 * ignored), 'DD.MM.YYYY' or 'DD.MM.YY', with the bot's ' HH:MM' and
 * ' (Через 3 дня)' (the column is a date; the row keeps the text). Null when
 * it is anything else.
 */
export function parseLegacyDate(raw: unknown): string | null {
  const text = asText(raw)?.trim();
  if (!text) return null;
  const iso = /^(\d{4})-(\d{2})-(\d{2})(?:[T ].*)?$/.exec(text);
  if (iso) return isoDate(Number(iso[1]), Number(iso[2]), Number(iso[3]));
  // The bot writes 'DD.MM.YYYY HH:MM', often with a note of how far off it is: '(Через 3 дня)'.
  const ru = /^(\d{1,2})\.(\d{1,2})\.(\d{4}|\d{2})(?:\s*г\.?)?(?:,?\s+(?:в\s+)?\d{1,2}[:.]\d{2})?(?:\s*\([^()]*\))?$/.exec(text);
  if (ru) return isoDate(fullYear(ru[3]!), Number(ru[2]), Number(ru[1]));
  return null;
}
