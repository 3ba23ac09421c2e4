import { addDays, instantOf, localNow, type LocalDate } from './local-time.ts';
import { FILLER, MATCHERS, SEPARATOR, type Ctx, type Draft } from './phrase-patterns.ts';
import { WORKDAY } from './time-words.ts';

/**
 * Reads a visit time the way dispatchers and masters type it in Russian:
 * "завтра в 14", "послезавтра утром", "через 2 часа", "в пятницу после
 * обеда", "15.10 14:00", "25 декабря 10:30", "с 10 до 16", the legacy bot's
 * "15.10.2025 14:00 (завтра в 14)", ISO timestamps. Pure: the clock and the
 * time zone are arguments, so the corpus test pins them.
 *
 * The phrase is read left to right as tokens (a day, a time, a window,
 * filler words); anything left over, or two days or two times, makes it
 * unreadable rather than half-understood: a wrong visit is worse than a
 * note a person reads.
 */
export type ParsedTime = { kind: 'at'; at: string } | { kind: 'window'; from: string; to: string } | { kind: 'unreadable'; text: string };

export interface ParseOptions {
  now: Date;
  timeZone?: string;
}

const DEFAULT_TIME_ZONE = 'Europe/Moscow';

function normalize(text: string): string {
  return text
    .toLowerCase()
    .replaceAll('ё', 'е')
    .replace(/\s+/g, ' ')
    .trim()
    .replace(/[.!?]+$/, '');
}

function tokens(text: string, c: Ctx): Draft | null {
  const d: Draft = {};
  let pos = 0;
  const at = (re: RegExp): RegExpExecArray | null => {
    re.lastIndex = pos;
    return re.exec(text);
  };
  while (pos < text.length) {
    const sep = at(SEPARATOR);
    if (sep) {
      pos += sep[0].length;
      continue;
    }
    let matched = false;
    for (const { re, apply } of MATCHERS) {
      const m = at(re);
      if (!m) continue;
      const out = apply(m, d, c);
      if (out === 'conflict') return null;
      if (out === 'no') continue;
      pos += m[0].length;
      matched = true;
      break;
    }
    if (matched) {
      d.prep = false;
      continue;
    }
    // Filler words last, so that phrases starting with one ("в течение часа") are read whole.
    const filler = at(FILLER);
    if (!filler) return null;
    pos += filler[0].length;
    d.prep = /^(в|к)$/.test(filler[0]);
  }
  return d;
}

function resolve(d: Draft, c: Ctx, now: Date, tz: string): ParsedTime | null {
  if (d.instant) return { kind: 'at', at: d.instant.toISOString() };
  if (d.after !== undefined) {
    const base = Math.floor(now.getTime() / 60_000) * 60_000;
    return { kind: 'at', at: new Date(base + d.after * 60_000).toISOString() };
  }
  let window = d.window;
  if (d.until !== undefined) {
    const today = !d.day || sameDay(d.day, c.today);
    const from = today ? Math.max(WORKDAY.from, c.minute) : WORKDAY.from;
    if (from < d.until) {
      window = [from, d.until];
      d.day ??= c.today;
    } else if (!d.day) return windowOn(addDays(c.today, 1), [WORKDAY.from, d.until], tz);
    else return null;
  }
  const start = d.at ?? window?.[0];
  if (start === undefined) return d.day ? windowOn(d.day, [WORKDAY.from, WORKDAY.to], tz) : null;
  // No day said: today while the time is still ahead, else tomorrow.
  const day = d.day ?? (start > c.minute ? c.today : addDays(c.today, 1));
  return d.at !== undefined ? { kind: 'at', at: instantOf(day, d.at, tz).toISOString() } : windowOn(day, window!, tz);
}

const sameDay = (a: LocalDate, b: LocalDate) => a.year === b.year && a.month === b.month && a.day === b.day;
const windowOn = (day: LocalDate, [from, to]: [number, number], tz: string): ParsedTime => ({
  kind: 'window',
  from: instantOf(day, from, tz).toISOString(),
  to: instantOf(day, to, tz).toISOString(),
});

export function parseTime(text: string, opts: ParseOptions): ParsedTime {
  const tz = opts.timeZone ?? DEFAULT_TIME_ZONE;
  const { date: today, minute } = localNow(opts.now, tz);
  const c = { today, minute };
  const clean = normalize(text);
  // Legacy values carry what was typed in parentheses: "15.10.2025 14:00 (завтра в 14)".
  const bracket = /^(.*?)\s*\((.*)\)$/.exec(clean);
  const tries = bracket ? [bracket[1]!, bracket[2]!] : [clean];
  for (const attempt of tries) {
    const d = attempt ? tokens(attempt, c) : null;
    const parsed = d && resolve(d, c, opts.now, tz);
    if (parsed) return parsed;
  }
  return { kind: 'unreadable', text: text.trim() };
}
