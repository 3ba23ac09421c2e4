import { localParts } from '../scheduler/periods.ts';
import { formatDate, parseDateTime } from './format.ts';

/**
 * A visit time typed in the new-order dialogue: "25.05.2026 14:00", or
 * words ("завтра утром") kept as a note. Text that looks like a date and
 * time but is not one ("32.13.2026 25:00"), or a time already past, is
 * refused with the reason, never kept as a note by mistake.
 */
export type VisitTime = { at: string } | { note: string } | { refused: 'impossible' | 'past' };

/** Digits in a date's shape, with or without a time: the person meant a date. */
const DATE_LIKE = /^\d{1,4}[./-]\d{1,2}[./-]\d{1,4}(\s+\d{1,2}[:.]\d{1,2})?$/;

export function readVisitTime(text: string, timeZone: string, now: Date): VisitTime {
  const typed = text.trim();
  if (!DATE_LIKE.test(typed)) return { note: typed };
  const at = parseDateTime(typed.replace(/(\d)\.(\d{2})$/, '$1:$2'), timeZone);
  if (!at) return { refused: 'impossible' };
  // A minute's grace: "now" typed as the current minute is not past.
  if (Date.parse(at) < now.getTime() - 60_000) return { refused: 'past' };
  return { at };
}

/** "DD.MM.YYYY 14:00" for tomorrow in the business time zone: examples people read are about their week. */
export function tomorrowExample(timeZone: string, now: Date): string {
  return `${dateExample(timeZone, now).example} 14:00`;
}

/** Tomorrow as DD.MM.YYYY and today as YYYY-MM-DD in the business time zone: a date's example, and what "past" means. */
export function dateExample(timeZone: string, now: Date): { example: string; today: string } {
  return { example: formatDate(localParts(new Date(now.getTime() + 24 * 3600_000), timeZone).date), today: localParts(now, timeZone).date };
}
