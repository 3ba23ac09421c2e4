/**
 * Report periods in the business's time zone (Europe/Moscow by default):
 * the day, ISO week or month that just ended, as half-open UTC instants.
 */
export type PeriodKind = 'day' | 'week' | 'month';

export interface ReportPeriod {
  kind: PeriodKind;
  /** Stable key for "run once per period", e.g. day:2026-11-23. */
  key: string;
  from: string;
  to: string;
  /** Local calendar dates [first, last] for people. */
  label: { first: string; last: string };
}

/** Formatters by zone: building one costs far more than formatting with it, and a report period uses several. */
function formatterCache(options: Intl.DateTimeFormatOptions, locale: string): (timeZone: string) => Intl.DateTimeFormat {
  const byZone = new Map<string, Intl.DateTimeFormat>();
  return (timeZone) => {
    let f = byZone.get(timeZone);
    if (!f) byZone.set(timeZone, (f = new Intl.DateTimeFormat(locale, { ...options, timeZone })));
    return f;
  };
}

const partsFormat = formatterCache(
  { year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', hourCycle: 'h23', weekday: 'short' },
  'en-CA',
);
const offsetFormat = formatterCache({ timeZoneName: 'longOffset' }, 'en-US');

/** The local calendar date (YYYY-MM-DD), hour and minute of an instant in a time zone. */
export function localParts(at: Date, timeZone: string): { date: string; hour: number; minute: number; weekday: number } {
  const parts = partsFormat(timeZone).formatToParts(at);
  const get = (t: string) => parts.find((p) => p.type === t)?.value ?? '';
  const weekday = ['Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun'].indexOf(get('weekday')) + 1;
  return { date: `${get('year')}-${get('month')}-${get('day')}`, hour: Number(get('hour')), minute: Number(get('minute')), weekday };
}

/** The zone's offset from UTC in minutes at an instant (e.g. +180 for Moscow). */
function offsetMinutes(at: Date, timeZone: string): number {
  const name =
    offsetFormat(timeZone)
      .formatToParts(at)
      .find((p) => p.type === 'timeZoneName')?.value ?? 'GMT';
  const m = /GMT([+-])(\d{2}):(\d{2})/.exec(name);
  return m ? (m[1] === '-' ? -1 : 1) * (Number(m[2]) * 60 + Number(m[3])) : 0;
}

/**
 * The instant a local wall-clock time happens in `timeZone`: `minute`
 * minutes into `date` by the clock (1440 is the next midnight). Across a
 * DST change it reads as PostgreSQL's `timestamp AT TIME ZONE` does, so
 * the bot's days and the report rollups' days (migration 0160) agree: a
 * time the clocks skipped takes the offset before the change (02:30 on a
 * spring-forward night is 03:30 summer time), a time the clocks show twice
 * is its later occurrence.
 */
export function localInstant(date: string, minute: number, timeZone: string): Date {
  const wall = Date.parse(`${date}T00:00:00Z`) + minute * 60_000;
  // Offsets on either side of the wall time: a change between them is the only one near it.
  const before = offsetMinutes(new Date(wall - 14 * 3_600_000), timeZone);
  const after = offsetMinutes(new Date(wall + 14 * 3_600_000), timeZone);
  const fitting = [before, after].map((o) => wall - o * 60_000).filter((t) => t + offsetMinutes(new Date(t), timeZone) * 60_000 === wall);
  return new Date(fitting.length > 0 ? Math.max(...fitting) : wall - before * 60_000);
}

/** `at` as RFC 3339 in `timeZone`'s clock and offset: "2026-11-08T00:00:00+03:00". */
export function localRfc3339(at: Date, timeZone: string): string {
  const { date, hour, minute } = localParts(at, timeZone);
  const offset = offsetMinutes(at, timeZone);
  const abs = Math.abs(offset);
  const two = (n: number) => String(n).padStart(2, '0');
  return `${date}T${two(hour)}:${two(minute)}:${two(at.getUTCSeconds())}${offset < 0 ? '-' : '+'}${two(Math.floor(abs / 60))}:${two(abs % 60)}`;
}

/** The instant local `date` begins in `timeZone` (its midnight, or the first instant after it on a night the clocks skip it). */
export function localMidnight(date: string, timeZone: string): Date {
  return localInstant(date, 0, timeZone);
}

/** The calendar date `days` after `date` (YYYY-MM-DD). */
export function addDays(date: string, days: number): string {
  const d = new Date(`${date}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10);
}

/** The last complete period of this kind before `now`. */
export function previousPeriod(kind: PeriodKind, now: Date, timeZone: string): ReportPeriod {
  const today = localParts(now, timeZone);
  let first: string;
  let next: string;
  if (kind === 'day') {
    first = addDays(today.date, -1);
    next = today.date;
  } else if (kind === 'week') {
    next = addDays(today.date, -(today.weekday - 1)); // this Monday
    first = addDays(next, -7);
  } else {
    next = `${today.date.slice(0, 7)}-01`;
    const prev = new Date(`${next}T00:00:00Z`);
    prev.setUTCMonth(prev.getUTCMonth() - 1);
    first = prev.toISOString().slice(0, 10);
  }
  return {
    kind,
    key: `${kind}:${first}`,
    from: localMidnight(first, timeZone).toISOString(),
    to: localMidnight(next, timeZone).toISOString(),
    label: { first, last: addDays(next, -1) },
  };
}
