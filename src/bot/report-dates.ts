import { formatDate, parseDate } from './format.ts';

/**
 * A custom report period as people type it: "01.12.2026 - 06.12.2026",
 * "01.12.2026 06.12.2026", "1.12-6.12" (this year), "с 1 по 6 декабря",
 * "1 ноября - 6 декабря 2026", "1-6 December". What is wrong is named:
 * not a period at all, a date that does not exist, the days reversed, or
 * longer than a year.
 */
export type ReportDates = { first: string; last: string } | { refused: 'format' | 'impossible' | 'reversed' | 'too-long'; first?: string; last?: string };

const MONTHS: Record<string, number> = {};
['январ', 'феврал', 'март', 'апрел', 'ма', 'июн', 'июл', 'август', 'сентябр', 'октябр', 'ноябр', 'декабр'].forEach((stem, i) => (MONTHS[stem] = i + 1));
const EN = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'];

function monthOf(word: string | undefined): number | null {
  if (!word) return null;
  const en = EN.findIndex((m) => word.startsWith(m));
  if (en >= 0) return en + 1;
  // Russian months in any case ("декабря", "мая", "март"): the longest stem that starts the word.
  const stem = Object.keys(MONTHS)
    .filter((s) => word.startsWith(s))
    .sort((a, b) => b.length - a.length)[0];
  return stem && word.length - stem.length <= 2 ? MONTHS[stem]! : null;
}

const NUMERIC = /^(\d{1,2})\.(\d{1,2})(?:\.(\d{4}))?\s*(?:-|\s)\s*(\d{1,2})\.(\d{1,2})(?:\.(\d{4}))?$/;
const WORDS = /^(\d{1,2})(?:\s+([a-zа-яё]+))?(?:\s+(\d{4}))?\s*-\s*(\d{1,2})\s+([a-zа-яё]+)(?:\s+(\d{4}))?$/;
const MAX_DAYS = 366;

export function parseReportDates(text: string, today: string): ReportDates {
  const t = text
    .trim()
    .toLowerCase()
    .replace(/[–—]/g, '-')
    .replace(/^(с|c|from)\s+/, '')
    .replace(/\s+(по|до|to|till|until)\s+/, ' - ')
    .replace(/\s+/g, ' ');
  const year = today.slice(0, 4);
  let parts: [string, string, string, string, string, string] | null = null;
  const n = NUMERIC.exec(t);
  if (n) parts = [n[1]!, n[2]!, n[3] ?? n[6] ?? year, n[4]!, n[5]!, n[6] ?? n[3] ?? year];
  const w = n ? null : WORDS.exec(t);
  if (w) {
    const lastMonth = monthOf(w[5]);
    const firstMonth = w[2] ? monthOf(w[2]) : lastMonth;
    if (lastMonth === null || firstMonth === null) return { refused: 'format' };
    parts = [w[1]!, String(firstMonth), w[3] ?? w[6] ?? year, w[4]!, String(lastMonth), w[6] ?? w[3] ?? year];
  }
  if (!parts) return { refused: 'format' };
  const first = parseDate(`${parts[0]}.${parts[1]}.${parts[2]}`);
  const last = parseDate(`${parts[3]}.${parts[4]}.${parts[5]}`);
  if (!first || !last) return { refused: 'impossible' };
  if (last < first) return { refused: 'reversed', first: formatDate(first), last: formatDate(last) };
  if ((Date.parse(last) - Date.parse(first)) / 86_400_000 + 1 > MAX_DAYS) return { refused: 'too-long' };
  return { first, last };
}
