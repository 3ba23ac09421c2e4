import { describe, expect, it } from 'vitest';
import { dailySummaryJob } from '../../src/reports/daily-summary-job.ts';
import { localMidnight, localParts } from '../../src/scheduler/periods.ts';
import { useTestDatabase } from '../support/db.ts';
import { makeMaster, makeUser, orderInput } from '../support/fixtures.ts';
import { useBotHarness } from './harness.ts';

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
