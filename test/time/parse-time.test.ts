import { describe, expect, it } from 'vitest';
import { describeTime, isPast } from '../../src/time/format-time.ts';
import { parseTime, type ParsedTime } from '../../src/time/parse-time.ts';
import { CORPUS, NOW } from './corpus.ts';

/** Moscow has kept UTC+3 all year since 2014: local time is plain arithmetic here, independent of the parser's zone code. */
const moscow = (iso: string) => new Date(Date.parse(iso) + 3 * 3_600_000).toISOString().slice(0, 16).replace('T', ' ');

function asLocal(p: ParsedTime): string | null {
  if (p.kind === 'unreadable') return null;
  return p.kind === 'at' ? moscow(p.at) : `${moscow(p.from)}–${moscow(p.to).slice(11)}`;
}

describe('the plain-Russian time parser', () => {
  it('has a corpus of at least 150 phrasings, each listed once', () => {
    expect(CORPUS.length).toBeGreaterThanOrEqual(150);
    expect(new Set(CORPUS.map(([text]) => text)).size).toBe(CORPUS.length);
  });

  it.each(CORPUS)('reads %j as %s', (text, expected) => {
    // Action
    const parsed = parseTime(text, { now: NOW, timeZone: 'Europe/Moscow' });

    // Assertions
    expect(asLocal(parsed)).toBe(expected);
    if (expected === null) expect(parsed).toEqual({ kind: 'unreadable', text: text.trim() });
  });

  it('reads times in the zone it is given', () => {
    // Yekaterinburg is UTC+5: 14:00 there is 09:00 UTC.
    const parsed = parseTime('завтра в 14', { now: NOW, timeZone: 'Asia/Yekaterinburg' });
    expect(parsed).toEqual({ kind: 'at', at: '2026-12-10T09:00:00.000Z' });
  });

  it('defaults to Moscow time', () => {
    expect(parseTime('завтра в 14', { now: NOW })).toEqual({ kind: 'at', at: '2026-12-10T11:00:00.000Z' });
  });
});

describe('the read-back of a parsed time', () => {
  const say = (text: string, lang?: string) => describeTime(parseTime(text, { now: NOW }), { timeZone: 'Europe/Moscow', now: NOW, lang });

  it('names the weekday, day and month, and the window', () => {
    expect(say('в пятницу с 14 до 16')).toBe('Пт, 11 дек, 14:00–16:00');
    expect(say('завтра в 9 утра')).toBe('Чт, 10 дек, 09:00');
    expect(say('в пятницу с 14 до 16', 'en')).toBe('Fri, 11 Dec, 14:00–16:00');
  });

  it('adds the year only when it is not this one', () => {
    expect(say('1 января в 10')).toBe('Пт, 1 янв 2027, 10:00');
  });

  it('says nothing for what it could not read', () => {
    expect(say('как договоримся')).toBeNull();
  });

  it('tells a time already gone from one ahead', () => {
    expect(isPast(parseTime('сегодня в 9', { now: NOW }), NOW)).toBe(true);
    expect(isPast(parseTime('сегодня в 11', { now: NOW }), NOW)).toBe(false);
    // A window is over only once its end has passed.
    expect(isPast(parseTime('сегодня с 10 до 12', { now: NOW }), NOW)).toBe(false);
    expect(isPast(parseTime('как договоримся', { now: NOW }), NOW)).toBe(false);
  });
});
