import { optionalText, type NoteReason } from './clean-text.ts';
import { fullYear, instantOf, type Instant } from './legacy-time.ts';

/**
 * scheduled_time was free text typed by a dispatcher ('завтра 14:00',
 * '15.10 после обеда', '15.10.2024 14:00'). Only a full date with a year and
 * an exact time is unambiguous: it becomes scheduled_at in Moscow time. Anything
 * else ('завтра' depends on a day we cannot be sure of, a date without a
 * year, a vague time) stays as the text in scheduled_note.
 */
const DATE = String.raw`(\d{1,2})\.(\d{1,2})\.(\d{4}|\d{2})(?:\s*г\.?)?`;
const TIME = String.raw`(\d{1,2})[:.](\d{2})(?:\s*ч\.?)?`;
const SHAPES: Array<{ re: RegExp; order: 'dmyhm' | 'hmdmy' | 'ymdhm' }> = [
  // The bot's own form adds how it was said: '15.03.2024 14:00 (завтра в 14)'.
  { re: new RegExp(`^${DATE}[,\\s]*(?:в\\s+)?${TIME}(?:\\s*\\([^()]*\\))?$`, 'i'), order: 'dmyhm' },
  { re: new RegExp(`^(?:в\\s+)?${TIME}[,\\s]+${DATE}$`, 'i'), order: 'hmdmy' },
  { re: /^(\d{4})-(\d{2})-(\d{2})(?:T|\s+)(\d{1,2}):(\d{2})(?::00)?$/i, order: 'ymdhm' },
];

export function parseScheduledText(text: string): Instant | null {
  for (const { re, order } of SHAPES) {
    const m = re.exec(text);
    if (!m) continue;
    const g = m.slice(1);
    const [d, mo, y, h, mi] =
      order === 'dmyhm' ? [g[0], g[1], g[2], g[3], g[4]] : order === 'hmdmy' ? [g[2], g[3], g[4], g[0], g[1]] : [g[2], g[1], g[0], g[3], g[4]];
    return instantOf({ year: fullYear(y!), month: Number(mo), day: Number(d), hour: Number(h), minute: Number(mi), second: 0, fraction: '' });
  }
  return null;
}

const SCHEDULED_NOTE_MAX = 200;

export interface Schedule {
  scheduled_at: string | null;
  scheduled_note: string | null;
}

export function parseSchedule(raw: unknown, note: NoteReason): Schedule {
  const text = optionalText(raw, 'scheduled_time', Number.MAX_SAFE_INTEGER, note);
  if (text === null) return { scheduled_at: null, scheduled_note: null };
  const at = parseScheduledText(text);
  if (at) return { scheduled_at: at.text, scheduled_note: null };
  const kept = optionalText(text, 'scheduled_note', SCHEDULED_NOTE_MAX, note);
  return { scheduled_at: null, scheduled_note: kept };
}
