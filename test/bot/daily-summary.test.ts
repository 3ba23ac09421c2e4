import { describe, expect, it } from 'vitest';
import { dailySummaryJob } from '../../src/reports/daily-summary-job.ts';
import { notificationJobs } from '../../src/scheduler/jobs.ts';
import { localMidnight, localParts } from '../../src/scheduler/periods.ts';
import { Scheduler } from '../../src/scheduler/scheduler.ts';
import { createLogger } from '../../src/telemetry/logger.ts';
import { useTestDatabase } from '../support/db.ts';
import { makeMaster, makeUser, orderInput } from '../support/fixtures.ts';
import { useBotHarness, workOrder } from './harness.ts';

const t = useTestDatabase();
const h = useBotHarness(t);
const ZONE = 'Europe/Moscow';

describe('the daily summary', () => {
  it('goes out once at 21:30 Moscow time to admins and dispatchers, by status and equipment', async () => {
    // Setup
    const boss = await makeUser(t.db, ['ADMIN'], 'Boss');
    const anna = await makeUser(t.db, ['DISPATCHER'], 'Anna');
    const pyotr = await makeMaster(t.db, { name: 'Pyotr' });
    await h.services.orders.create(boss, orderInput());
    await h.services.orders.create(boss, orderInput());
    const { order } = await h.services.orders.create(boss, orderInput({ equipment_type: 'oven' }));
    await h.services.workflow.act(boss, order.id, 'assign', { master_id: pyotr.masterId });
    const today = localParts(new Date(), ZONE).date;
    const at = (hh: number, mm: number) => new Date(localMidnight(today, ZONE).getTime() + (hh * 60 + mm) * 60_000);
    let clock = at(21, 29);
    const job = dailySummaryJob(t.db, h.services.reports, h.telegram.notifier.summaries.sendDailySummary, { timeZone: ZONE, clock: () => clock });
    const summaries = (id: number) => h.stub.messagesTo(id).filter((c) => String(c.payload.text).startsWith('📋'));

    // Action
    await job.run();
    const early = summaries(boss.telegramId!).length;
    clock = at(21, 31);
    await job.run();
    await job.run();

    // Assertions
    expect(early).toBe(0);
    const [d, m, y] = [today.slice(8), today.slice(5, 7), today.slice(0, 4)];
    const expected = [
      `📋 Сводка за ${d}.${m}.${y}`,
      'Новых заказов за день: 3',
      '  Стиральные машины: 2',
      '  ДШ/ВП: 1',
      'Активных заказов: 3',
      '  Новый: 2',
      '  Назначен: 1',
      'Активные по технике:',
      '  Стиральные машины: 2',
      '  ДШ/ВП: 1',
    ].join('\n');
    expect(summaries(boss.telegramId!).map((c) => c.payload.text)).toEqual([expected]);
    expect(summaries(anna.telegramId!).map((c) => c.payload.text)).toEqual([expected]);
    expect(summaries(pyotr.telegramId!)).toEqual([]);
  });
});

describe('the weekly report', () => {
  it('comes to admins with its chart', async () => {
    // Setup: an order completed now; the clock says it is a week later
    const boss = await makeUser(t.db, ['ADMIN'], 'Weekly boss');
    const pyotr = await makeMaster(t.db, { name: 'Weekly Pyotr' });
    const { order } = await h.services.orders.create(boss, orderInput());
    await workOrder(h, { staff: boss, master: pyotr }, order.id, 'completed');
    const list = notificationJobs(t.db, h.services.reports, h.telegram.notifier, {
      timeZone: ZONE,
      reportHour: 0,
      clock: () => new Date(Date.now() + 7 * 86_400_000),
    });
    const scheduler = new Scheduler(t.db, list, createLogger('silent'));
    // Action
    expect(await scheduler.runOnce(list.find((j) => j.name === 'report_week')!)).toBe(true);
    await h.telegram.idle();
    // Assertions
    const photos = h.stub.calls.filter((c) => c.method === 'sendPhoto' && c.payload.chat_id === boss.telegramId);
    expect(photos).toHaveLength(1);
    expect(photos[0]!.files.photo!.data.subarray(1, 4).toString()).toBe('PNG');
  });
});
