import { describe, expect, it } from 'vitest';
import { localMidnight, previousPeriod } from '../../src/scheduler/periods.ts';

describe('report periods in the business time zone', () => {
  const at = new Date('2026-11-24T06:30:00Z'); // Tuesday 09:30 in Moscow (UTC+3)

  it('finds Moscow midnight', () => {
    expect(localMidnight('2026-11-24', 'Europe/Moscow').toISOString()).toBe('2026-11-23T21:00:00.000Z');
    expect(localMidnight('2026-07-01', 'Europe/Berlin').toISOString()).toBe('2026-06-30T22:00:00.000Z');
  });

  it('the previous day', () => {
    expect(previousPeriod('day', at, 'Europe/Moscow')).toEqual({
      kind: 'day',
      key: 'day:2026-11-23',
      from: '2026-11-22T21:00:00.000Z',
      to: '2026-11-23T21:00:00.000Z',
      label: { first: '2026-11-23', last: '2026-11-23' },
    });
  });

  it('the previous ISO week (Monday to Sunday)', () => {
    expect(previousPeriod('week', at, 'Europe/Moscow')).toMatchObject({
      key: 'week:2026-11-16',
      from: '2026-11-15T21:00:00.000Z',
      to: '2026-11-22T21:00:00.000Z',
      label: { first: '2026-11-16', last: '2026-11-22' },
    });
  });

  it('the previous month, across a year boundary', () => {
    expect(previousPeriod('month', at, 'Europe/Moscow')).toMatchObject({
      key: 'month:2026-10-01',
      from: '2026-09-30T21:00:00.000Z',
      to: '2026-10-31T21:00:00.000Z',
    });
    expect(previousPeriod('month', new Date('2027-01-05T12:00:00Z'), 'Europe/Moscow')).toMatchObject({
      key: 'month:2026-12-01',
      label: { first: '2026-12-01', last: '2026-12-31' },
    });
  });

  it('uses the local date, not the UTC one, near midnight', () => {
    // 22:30 UTC on the 23rd is already the 24th in Moscow.
    expect(previousPeriod('day', new Date('2026-11-23T22:30:00Z'), 'Europe/Moscow').key).toBe('day:2026-11-23');
    expect(previousPeriod('day', new Date('2026-11-23T20:30:00Z'), 'Europe/Moscow').key).toBe('day:2026-11-22');
  });
});
