import { localNow, weekdayOf, type LocalDate } from './local-time.ts';
import type { ParsedTime } from './parse-time.ts';
import { SHORT_NAMES } from './time-words.ts';

/**
 * What the bot read back before saving: "Пт, 11 дек, 14:00–16:00" (the
 * year only when it is not the current one), so a person catches a wrong
 * guess before anyone drives out.
 */
type Lang = keyof typeof SHORT_NAMES;

function dayLabel(day: LocalDate, lang: Lang, currentYear: number): string {
  const names = SHORT_NAMES[lang];
  const year = day.year === currentYear ? '' : ` ${day.year}`;
  return `${names.weekdays[weekdayOf(day) - 1]}, ${day.day} ${names.months[day.month - 1]}${year}`;
}

function clock(minute: number): string {
  return `${String(Math.floor(minute / 60)).padStart(2, '0')}:${String(minute % 60).padStart(2, '0')}`;
}

/** A visit time or window in the zone's local time; null for what was not read. */
export function describeTime(p: ParsedTime, opts: { timeZone: string; now: Date; lang?: string }): string | null {
  if (p.kind === 'unreadable') return null;
  const lang: Lang = opts.lang === 'en' ? 'en' : 'ru';
  const year = localNow(opts.now, opts.timeZone).date.year;
  const start = localNow(new Date(p.kind === 'at' ? p.at : p.from), opts.timeZone);
  const head = `${dayLabel(start.date, lang, year)}, ${clock(start.minute)}`;
  if (p.kind === 'at') return head;
  const end = localNow(new Date(p.to), opts.timeZone);
  // A window ending at midnight reads as 24:00 of its own day.
  const endMinute = end.minute === 0 && end.date.day !== start.date.day ? 24 * 60 : end.minute;
  return `${head}–${clock(endMinute)}`;
}

/** Whether the visit (or the whole window) is already over. */
export function isPast(p: ParsedTime, now: Date): boolean {
  if (p.kind === 'unreadable') return false;
  return Date.parse(p.kind === 'at' ? p.at : p.to) <= now.getTime();
}
