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

/** The local calendar date (YYYY-MM-DD) and hour of an instant in a time zone. */
export function localParts(at: Date, timeZone: string): { date: string; hour: number; weekday: number } {
  const parts = new Intl.DateTimeFormat('en-CA', {
    timeZone,
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    hourCycle: 'h23',
    weekday: 'short',
  }).formatToParts(at);
  const get = (t: string) => parts.find((p) => p.type === t)?.value ?? '';
  const weekday = ['Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun'].indexOf(get('weekday')) + 1;
  return { date: `${get('year')}-${get('month')}-${get('day')}`, hour: Number(get('hour')), weekday };
}

/** The zone's offset from UTC in minutes at an instant (e.g. +180 for Moscow). */
function offsetMinutes(at: Date, timeZone: string): number {
  const name =
    new Intl.DateTimeFormat('en-US', { timeZone, timeZoneName: 'longOffset' }).formatToParts(at).find((p) => p.type === 'timeZoneName')?.value ?? 'GMT';
  const m = /GMT([+-])(\d{2}):(\d{2})/.exec(name);
  return m ? (m[1] === '-' ? -1 : 1) * (Number(m[2]) * 60 + Number(m[3])) : 0;
}

/** The UTC instant of local midnight starting `date` in `timeZone`. */
export function localMidnight(date: string, timeZone: string): Date {
  const utcMidnight = Date.parse(`${date}T00:00:00Z`);
  // The offset a few hours into the day: midnight itself can sit on a DST edge.
  const offset = offsetMinutes(new Date(utcMidnight + 6 * 3_600_000), timeZone);
  return new Date(utcMidnight - offset * 60_000);
}

function addDays(date: string, days: number): string {
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
