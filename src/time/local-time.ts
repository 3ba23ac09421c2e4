import { localInstant, localParts } from '../scheduler/periods.ts';

/**
 * Calendar arithmetic in the business's time zone for the time parser:
 * people say "tomorrow at 14" in local time, the database keeps instants.
 */
export interface LocalDate {
  year: number;
  month: number;
  day: number;
}

function toIsoDate(d: LocalDate): string {
  return `${String(d.year).padStart(4, '0')}-${String(d.month).padStart(2, '0')}-${String(d.day).padStart(2, '0')}`;
}

/** A real calendar date, or null (31.02 is not one). */
export function makeDate(year: number, month: number, day: number): LocalDate | null {
  if (month < 1 || month > 12 || day < 1 || day > 31 || year < 1900 || year > 9999) return null;
  const probe = new Date(Date.UTC(year, month - 1, day));
  return probe.getUTCMonth() === month - 1 ? { year, month, day } : null;
}

export function addDays(d: LocalDate, days: number): LocalDate {
  const probe = new Date(Date.UTC(d.year, d.month - 1, d.day + days));
  return { year: probe.getUTCFullYear(), month: probe.getUTCMonth() + 1, day: probe.getUTCDate() };
}

/** ISO weekday, 1 = Monday. */
export function weekdayOf(d: LocalDate): number {
  return ((new Date(Date.UTC(d.year, d.month - 1, d.day)).getUTCDay() + 6) % 7) + 1;
}

/** The local date and the clock's minute of the day (14:30 is 870, on a DST day too) of an instant. */
export function localNow(now: Date, timeZone: string): { date: LocalDate; minute: number } {
  const { date, hour, minute } = localParts(now, timeZone);
  const [y, m, d] = date.split('-').map(Number);
  return { date: { year: y!, month: m!, day: d! }, minute: hour * 60 + minute };
}

/** The instant of a local date and the clock's minute of the day (1440 is the next midnight). */
export function instantOf(d: LocalDate, minute: number, timeZone: string): Date {
  return localInstant(toIsoDate(d), minute, timeZone);
}
