import { describe, expect, it } from 'vitest';
import { parseDateTime } from '../../src/bot/format.ts';
import { quietUntil } from '../../src/scheduler/quiet-hours.ts';
import { addDays, localInstant, localMidnight, previousPeriod } from '../../src/scheduler/periods.ts';
import { localNow } from '../../src/time/local-time.ts';
import { useTestDatabase } from '../support/db.ts';

/**
 * Local wall-clock times to instants on the days the clocks change. The
 * report rollups count days with PostgreSQL's `timestamp AT TIME ZONE`
 * (migration 0160), so the bot's days must begin where PostgreSQL's do, or
 * a DST day's report leaves the rollups and is an hour off besides.
 */
const t = useTestDatabase();

/** Zones with DST at 02:00/03:00 (Berlin, New York), at midnight (Santiago), by half an hour (Lord Howe), none (Moscow, Kolkata). */
const ZONES = ['Europe/Berlin', 'America/New_York', 'America/Santiago', 'Australia/Lord_Howe', 'Europe/Moscow', 'Asia/Kolkata', 'Pacific/Chatham'];

async function postgresInstants(rows: Array<{ date: string; minute: number; zone: string }>): Promise<string[]> {
  const { rows: out } = await t.db.pool.query<{ at: string }>(
    `SELECT ((d::date + make_interval(mins => m))::timestamp AT TIME ZONE z) AS at
     FROM unnest($1::text[], $2::int4[], $3::text[]) WITH ORDINALITY AS u(d, m, z, n) ORDER BY n`,
    [rows.map((r) => r.date), rows.map((r) => r.minute), rows.map((r) => r.zone)],
  );
  return out.map((r) => new Date(r.at).toISOString());
}

describe('local time across DST changes', () => {
  it("begins every day of two years where PostgreSQL's AT TIME ZONE does, in seven zones", async () => {
    // Setup: every day of 2026 and 2027 in every zone
    const cases: Array<{ date: string; minute: number; zone: string }> = [];
    for (const zone of ZONES) for (let date = '2026-01-01'; date < '2028-01-01'; date = addDays(date, 1)) cases.push({ date, minute: 0, zone });

    // Action
    const ours = cases.map((c) => localMidnight(c.date, c.zone).toISOString());

    // Assertions
    const theirs = await postgresInstants(cases);
    const differing = cases.flatMap((c, i) => (ours[i] === theirs[i] ? [] : [`${c.zone} ${c.date}: ${ours[i]} vs ${theirs[i]}`]));
    expect(differing).toEqual([]);
    expect(cases.length).toBe(ZONES.length * 730);
  });

  it('reads clock times on change days as PostgreSQL does: skipped ones with the offset before, repeated ones as their later occurrence', async () => {
    const days = ['2026-03-29', '2026-10-25', '2026-03-08', '2026-11-01', '2026-04-05', '2026-09-06', '2026-04-04', '2026-10-04'];
    const cases = ZONES.flatMap((zone) => days.flatMap((date) => [0, 30, 90, 120, 150, 180, 840, 1410, 1440].map((minute) => ({ date, minute, zone }))));

    const ours = cases.map((c) => localInstant(c.date, c.minute, c.zone).toISOString());

    const theirs = await postgresInstants(cases);
    expect(cases.flatMap((c, i) => (ours[i] === theirs[i] ? [] : [`${c.zone} ${c.date} +${c.minute}: ${ours[i]} vs ${theirs[i]}`]))).toEqual([]);
    // Berlin, 25 October: midnight is summer time; 14:00 is winter time.
    expect(localMidnight('2026-10-25', 'Europe/Berlin').toISOString()).toBe('2026-10-24T22:00:00.000Z');
    expect(localInstant('2026-10-25', 14 * 60, 'Europe/Berlin').toISOString()).toBe('2026-10-25T13:00:00.000Z');
  });

  it("gives a change day's report its 23 or 25 hours", () => {
    const spring = previousPeriod('day', new Date('2026-03-30T10:00:00Z'), 'Europe/Berlin');
    const autumn = previousPeriod('day', new Date('2026-10-26T10:00:00Z'), 'Europe/Berlin');

    expect([spring.from, spring.to]).toEqual(['2026-03-28T23:00:00.000Z', '2026-03-29T22:00:00.000Z']);
    expect([autumn.from, autumn.to]).toEqual(['2026-10-24T22:00:00.000Z', '2026-10-25T23:00:00.000Z']);
  });

  it('keeps the clock on change days: a typed time, the minute of the day, the end of quiet hours', () => {
    // A visit typed for 14:00 on Berlin's autumn change day is 14:00 winter time.
    expect(parseDateTime('25.10.2026 14:00', 'Europe/Berlin')).toBe('2026-10-25T13:00:00.000Z');
    // 15:00 winter time that day is minute 900, not 960 minutes after midnight.
    expect(localNow(new Date('2026-10-25T14:00:00Z'), 'Europe/Berlin').minute).toBe(900);
    // Half-hour zones keep their half hour.
    expect(localNow(new Date('2026-11-08T09:00:00Z'), 'Asia/Kolkata').minute).toBe(14 * 60 + 30);
    // Quiet hours 22:00-06:00 end at 06:00 summer time on the spring night: 04:00Z, not 05:00Z.
    const quiet = { startMinute: 22 * 60, endMinute: 6 * 60 };
    expect(quietUntil(new Date('2026-03-28T22:30:00Z'), quiet, 'Europe/Berlin')?.toISOString()).toBe('2026-03-29T04:00:00.000Z');
    // And on an ordinary night, 06:00 the next morning.
    expect(quietUntil(new Date('2026-11-07T20:00:00Z'), quiet, 'Europe/Moscow')?.toISOString()).toBe('2026-11-08T03:00:00.000Z');
  });
});
