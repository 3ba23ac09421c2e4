import { addDays, localInstant, localParts } from './periods.ts';

/**
 * Quiet hours (22:00-06:00 by default, local time of the business): reminders
 * that can wait are held and go out when they end. Repeating reminders resume
 * at the end as one message each, never as a backlog of the missed intervals.
 */
export interface QuietHours {
  /** Minutes after local midnight; start === end means no quiet hours. */
  startMinute: number;
  endMinute: number;
}

/** Minutes after local midnight at `at` in `timeZone`. */
export function localMinuteOfDay(at: Date, timeZone: string): number {
  const { hour, minute } = localParts(at, timeZone);
  return hour * 60 + minute;
}

/**
 * When `at` falls in quiet hours, the instant they end; otherwise null.
 * The window may cross midnight (22:00-06:00) or not (13:00-14:00).
 */
export function quietUntil(at: Date, quiet: QuietHours, timeZone: string): Date | null {
  const { startMinute: start, endMinute: end } = quiet;
  if (start === end) return null;
  const local = localParts(at, timeZone);
  const now = local.hour * 60 + local.minute;
  const inside = start < end ? now >= start && now < end : now >= start || now < end;
  if (!inside) return null;
  // By the clock: on the night the clocks change, 06:00 is still 06:00.
  return localInstant(now < end ? local.date : addDays(local.date, 1), end, timeZone);
}

/** Start of the repeat interval holding `at`: intervals are aligned to the clock (every 5 min: :00, :05, ...). */
export function intervalStart(at: Date, everyMinutes: number): Date {
  const every = everyMinutes * 60_000;
  return new Date(Math.floor(at.getTime() / every) * every);
}
