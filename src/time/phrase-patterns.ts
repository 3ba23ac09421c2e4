import { addDays, makeDate, weekdayOf, type LocalDate } from './local-time.ts';
import { DAYPARTS, MONTHS, NUMBER_WORDS, WEEKDAYS, WORKDAY } from './time-words.ts';

/**
 * The pieces a visit-time phrase is made of (a date, a weekday, "завтра",
 * a time, a window, "через 2 часа", a part of the day) as patterns, and what
 * each one says about the visit: it fills a Draft, or refuses when the
 * phrase already said something that contradicts it. parse-time.ts scans a
 * phrase with these and turns the Draft into instants.
 */
export interface Draft {
  day?: LocalDate;
  /** Minute of the day. */
  at?: number;
  window?: [number, number];
  /** "до 16": a window from the start of the working day (or now) to this minute. */
  until?: number;
  /** Minutes from now ("через 2 часа"). */
  after?: number;
  /** An absolute instant (an ISO timestamp with an offset). */
  instant?: Date;
  /** The previous token was "в"/"к": "в 12.10" is then a time, not the 12th of October. */
  prep?: boolean;
}

export interface Ctx {
  today: LocalDate;
  minute: number;
}

type Outcome = 'ok' | 'conflict' | 'no';
type Matcher = { re: RegExp; apply: (m: RegExpExecArray, d: Draft, c: Ctx) => Outcome };

/** End of a word: JavaScript's \b knows no Cyrillic. */
const E = '(?![а-яa-z0-9])';
/** An hour with optional minutes, the word "часов", and "утра/дня/вечера/ночи". */
const T = '(\\d{1,2})(?:[:.](\\d{2}))?';
const HOUR_WORD = '(?:\\s*(?:ч(?:ас(?:а|ов)?)?\\.?))?';
const MERIDIEM = `(?:\\s*(утра|дня|вечера|ночи)${E})?`;
export const FILLER = new RegExp(`(?:в|во|на|к|около|примерно|ориентировочно|где-?то|ровно|часиков|года|г\\.?)${E}`, 'y');
export const SEPARATOR = /[\s,;!?]+/y;
const MONTH_RE = Object.keys(MONTHS).join('|');
const WEEKDAY_RE = Object.keys(WEEKDAYS).join('|');
const NUMBER_RE = Object.keys(NUMBER_WORDS).join('|');

/**
 * Hours as people say them: "в 2" in a repair service's day means 14:00
 * (work runs 08:00-22:00), "в 9 утра" and "в 7 вечера" say it outright.
 */
function minuteOf(h: string, m: string | undefined, meridiem: string | undefined): number | null {
  let hour = Number(h);
  const minute = m === undefined ? 0 : Number(m);
  if (hour > 23 || minute > 59) return null;
  if ((meridiem === 'дня' || meridiem === 'вечера') && hour < 12) hour += 12;
  else if (meridiem === 'ночи' && hour === 12) hour = 0;
  else if (meridiem === undefined && hour >= 1 && hour < WORKDAY.from / 60) hour += 12;
  return hour * 60 + minute;
}

const setDay = (d: Draft, day: LocalDate | null): Outcome => {
  if (!day) return 'no';
  if (d.day || d.after !== undefined || d.instant) return 'conflict';
  d.day = day;
  return 'ok';
};
const hasTime = (d: Draft) => d.at !== undefined || d.window !== undefined || d.until !== undefined || d.after !== undefined || d.instant !== undefined;
const setWindow = (d: Draft, from: number | null, to: number | null): Outcome => {
  if (from === null || to === null || to <= from) return 'no';
  if (hasTime(d)) return 'conflict';
  d.window = [from, to];
  return 'ok';
};

function amount(raw: string | undefined, upper: string | undefined): number {
  if (raw === undefined) return 1;
  const n = (s: string) => NUMBER_WORDS[s] ?? Number(s.replace(',', '.'));
  // "через 1-1.5 часа": the middle of the range.
  return upper === undefined ? n(raw) : (n(raw) + n(upper)) / 2;
}

export const MATCHERS: Matcher[] = [
  {
    re: /(\d{4})-(\d{2})-(\d{2})(?:[t ](\d{2}):(\d{2})(?::\d{2}(?:\.\d+)?)?)?(z|[+-]\d{2}:?\d{2})?/y,
    apply: (m, d) => {
      if (m[6] && m[4]) {
        const instant = new Date(`${m[1]}-${m[2]}-${m[3]}T${m[4]}:${m[5]}:00${m[6] === 'z' ? 'Z' : m[6]}`);
        if (Number.isNaN(instant.getTime()) || hasTime(d) || d.day) return 'conflict';
        d.instant = instant;
        return 'ok';
      }
      const out = setDay(d, makeDate(Number(m[1]), Number(m[2]), Number(m[3])));
      if (out !== 'ok' || !m[4]) return out;
      const at = Number(m[4]) * 60 + Number(m[5]);
      if (at >= 24 * 60 || Number(m[5]) > 59) return 'no';
      d.at = at;
      return 'ok';
    },
  },
  {
    re: new RegExp(
      `(?:через|спустя)\\s+(?:(\\d+(?:[.,]\\d+)?|${NUMBER_RE})(?:\\s*-\\s*(\\d+(?:[.,]\\d+)?))?\\s*)?(полчаса|минут[уы]?|мин\\.?|час(?:а|ов)?|ч\\.?|дн(?:я|ей)|день|сут(?:ки|ок)|недел[юиь])${E}`,
      'y',
    ),
    apply: (m, d, c) => {
      const unit = m[3]!;
      const n = amount(m[1], m[2]);
      if (!Number.isFinite(n) || n <= 0 || n > 366) return 'no';
      if (unit === 'полчаса') return m[1] ? 'no' : relative(d, 30);
      if (/^(мин|минут)/.test(unit)) return relative(d, n);
      if (/^ч/.test(unit)) return relative(d, n * 60);
      if (!Number.isInteger(n)) return 'no';
      return setDay(d, addDays(c.today, /^недел/.test(unit) ? n * 7 : n));
    },
  },
  { re: new RegExp(`в\\s+течени[еи]\\s+(?:первого\\s+)?часа${E}`, 'y'), apply: (_m, d) => relative(d, 60) },
  { re: new RegExp(`(?:прямо\\s+)?сейчас${E}`, 'y'), apply: (_m, d) => relative(d, 0) },
  { re: new RegExp(`(?:послезавтра|после\\s*завтра)${E}`, 'y'), apply: (_m, d, c) => setDay(d, addDays(c.today, 2)) },
  { re: new RegExp(`завтра${E}`, 'y'), apply: (_m, d, c) => setDay(d, addDays(c.today, 1)) },
  { re: new RegExp(`сегодня${E}`, 'y'), apply: (_m, d, c) => setDay(d, c.today) },
  {
    re: new RegExp(`(?:(?:следующ|эт|ближайш)[а-я]*\\s+)?(${WEEKDAY_RE})\\.?${E}`, 'y'),
    apply: (m, d, c) => {
      // The next such day after today: "в пятницу" said on a Friday means the next one.
      const wanted = WEEKDAYS[m[1]!]!;
      const ahead = ((wanted - weekdayOf(c.today) + 6) % 7) + 1;
      return setDay(d, addDays(c.today, ahead));
    },
  },
  {
    re: new RegExp(`(\\d{1,2})(?:-?го)?\\s+(${MONTH_RE})\\.?${E}(?:\\s+(\\d{4})${E})?`, 'y'),
    apply: (m, d, c) => setDay(d, dateOf(c, Number(m[1]), MONTHS[m[2]!]!, m[3])),
  },
  {
    re: /(\d{1,2})[./](\d{1,2})(?:[./](\d{4}|\d{2}))?(?![\d:])/y,
    apply: (m, d, c) => {
      if (d.prep && !m[3] && m[2]!.length === 2 && Number(m[1]) <= 23 && Number(m[2]) <= 59) return 'no';
      return setDay(d, dateOf(c, Number(m[1]), Number(m[2]), m[3]));
    },
  },
  {
    // "15 числа": this month, or the next when the day has passed.
    re: new RegExp(`(\\d{1,2})(?:-?го)?\\s+числа${E}`, 'y'),
    apply: (m, d, c) => {
      const day = Number(m[1]);
      if (day >= c.today.day) return setDay(d, makeDate(c.today.year, c.today.month, day));
      return setDay(d, c.today.month === 12 ? makeDate(c.today.year + 1, 1, day) : makeDate(c.today.year, c.today.month + 1, day));
    },
  },
  ...Object.entries(DAYPARTS).map(([words, [from, to]]): Matcher => ({ re: new RegExp(`(?:${words})${E}`, 'y'), apply: (_m, d) => setWindow(d, from, to) })),
  {
    re: new RegExp(`(?:(?:с|c)\\s*${T}${HOUR_WORD}\\s*(?:до|по|-|–|—)\\s*|между\\s+${T}${HOUR_WORD}\\s+и\\s+)${T}${HOUR_WORD}${MERIDIEM}`, 'y'),
    apply: (m, d) => {
      const [h1, m1] = m[1] !== undefined ? [m[1], m[2]] : [m[3]!, m[4]];
      return setWindow(d, minuteOf(h1, m1, m[7]), minuteOf(m[5]!, m[6], m[7]));
    },
  },
  {
    // "завтра с 12": from 12, no end said.
    re: new RegExp(`(?:с|c)\\s*${T}${HOUR_WORD}${MERIDIEM}(?![\\d./])`, 'y'),
    apply: (m, d) => setAt(d, minuteOf(m[1]!, m[2], m[3])),
  },
  {
    re: new RegExp(`${T}\\s*(?:-|–|—)\\s*${T}${HOUR_WORD}${MERIDIEM}`, 'y'),
    apply: (m, d) => setWindow(d, minuteOf(m[1]!, m[2], m[5]), minuteOf(m[3]!, m[4], m[5])),
  },
  {
    // The legacy bot read "после 16" as the hour from 16:00.
    re: new RegExp(`после\\s+${T}${HOUR_WORD}${MERIDIEM}`, 'y'),
    apply: (m, d) => {
      const from = minuteOf(m[1]!, m[2], m[3]);
      return from === null ? 'no' : setWindow(d, from, Math.min(from + 60, 24 * 60));
    },
  },
  {
    re: new RegExp(`до\\s+${T}${HOUR_WORD}${MERIDIEM}`, 'y'),
    apply: (m, d) => {
      const until = minuteOf(m[1]!, m[2], m[3]);
      if (until === null) return 'no';
      if (hasTime(d)) return 'conflict';
      d.until = until;
      return 'ok';
    },
  },
  {
    re: new RegExp(`${T}${HOUR_WORD}${MERIDIEM}(?![\\d./])`, 'y'),
    apply: (m, d) => setAt(d, minuteOf(m[1]!, m[2], m[3])),
  },
];

function setAt(d: Draft, at: number | null): Outcome {
  if (at === null) return 'no';
  if (hasTime(d)) return 'conflict';
  d.at = at;
  return 'ok';
}

function relative(d: Draft, minutes: number): Outcome {
  if (hasTime(d) || d.day) return 'conflict';
  d.after = Math.round(minutes);
  return 'ok';
}

/** A day and month (year optional: the next such date from today on). */
function dateOf(c: Ctx, day: number, month: number, year: string | undefined): LocalDate | null {
  if (year !== undefined) return makeDate(year.length === 2 ? 2000 + Number(year) : Number(year), month, day);
  const thisYear = makeDate(c.today.year, month, day);
  const passed = thisYear && (month < c.today.month || (month === c.today.month && day < c.today.day));
  return passed ? makeDate(c.today.year + 1, month, day) : (thisYear ?? makeDate(c.today.year + 1, month, day));
}
