import { describe, expect, it } from 'vitest';
import { dailySummaryJob } from '../../src/reports/daily-summary-job.ts';
import { notificationJobs } from '../../src/scheduler/jobs.ts';
import { localMidnight, localParts } from '../../src/scheduler/periods.ts';
import { Scheduler } from '../../src/scheduler/scheduler.ts';
import { createLogger } from '../../src/telemetry/logger.ts';
import { useTestDatabase } from '../support/db.ts';
import { makeMaster, makeUser, orderInput } from '../support/fixtures.ts';
import { useBotHarness } from './harness.ts';

/**
 * A scheduled report that found nobody to receive it is not marked done: it
 * stays due and goes out on a later run, once someone can read it. This
 * file's database starts with no admin at all (the first days of a new
 * installation, before anyone ran /start).
 */
const t = useTestDatabase();
const h = useBotHarness(t);
const ZONE = 'Europe/Moscow';

describe('scheduled reports with nobody to receive them', () => {
  it('the daily report and the evening summary stay due until an admin exists, then go out once', async () => {
    // Setup: a master and an order, no admin or dispatcher yet; the clock is past both send times.
    const master = await makeMaster(t.db, { name: 'Lonely Pyotr' });
    const today = localParts(new Date(), ZONE).date;
    let clock = new Date(localMidnight(today, ZONE).getTime() + (21 * 60 + 40) * 60_000); // 21:40 local
    const jobs = [
      ...notificationJobs(t.db, h.services.reports, h.telegram.notifier, { timeZone: ZONE, reportHour: 9, clock: () => clock }),
      dailySummaryJob(t.db, h.services.reports, h.telegram.notifier.summaries.sendDailySummary, { timeZone: ZONE, clock: () => clock }),
    ];
    const scheduler = new Scheduler(t.db, jobs, createLogger('silent'));
    const run = async (name: string) => {
      expect(await scheduler.runOnce(jobs.find((j) => j.name === name)!)).toBe(true);
      await h.telegram.idle();
    };
    const reportsTo = (chatId: number) =>
      h.stub
        .messagesTo(chatId)
        .map((c) => String(c.payload.text))
        .filter((text) => text.startsWith('📋') || text.startsWith('Отчёт'));

    // Action: both jobs run while nobody can receive them
    await run('report_day');
    await run('daily_summary');
    const sentToNobody = h.stub.calls.filter((c) => c.method === 'sendMessage').length;

    // An admin appears a few minutes later; the jobs run again, and again
    const boss = await makeUser(t.db, ['ADMIN'], 'Late boss');
    await h.services.orders.create(boss, orderInput());
    clock = new Date(clock.getTime() + 5 * 60_000);
    await run('report_day');
    await run('daily_summary');
    await run('report_day');
    await run('daily_summary');

    // Assertions: nothing went anywhere at first, then exactly one of each reached the admin, none the master
    expect(sentToNobody).toBe(0);
    const received = reportsTo(boss.telegramId!);
    expect(received).toHaveLength(2);
    expect(received.filter((text) => text.startsWith('📋 Сводка за'))).toHaveLength(1);
    expect(received.filter((text) => text.startsWith('Отчёт'))).toHaveLength(1);
    expect(reportsTo(master.telegramId!)).toEqual([]);
  });
});
