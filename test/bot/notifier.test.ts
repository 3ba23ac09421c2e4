import ExcelJS from 'exceljs';
import { describe, expect, it } from 'vitest';
import { notificationJobs } from '../../src/scheduler/jobs.ts';
import { Scheduler } from '../../src/scheduler/scheduler.ts';
import { createLogger } from '../../src/telemetry/logger.ts';
import { useTestDatabase } from '../support/db.ts';
import { makeMaster, makeUser, orderInput } from '../support/fixtures.ts';
import { useBotHarness, workOrder } from './harness.ts';

const t = useTestDatabase();
const h = useBotHarness(t);

/** The scheduler's notification jobs, with the bot's Notifier, run once each on demand. */
function jobs(clock?: () => Date) {
  const list = notificationJobs(t.db, h.services.reports, h.telegram.notifier, { timeZone: 'Europe/Moscow', reportHour: 0, clock });
  const scheduler = new Scheduler(t.db, list, createLogger('silent'));
  return async (name: string) => {
    expect(await scheduler.runOnce(list.find((j) => j.name === name)!)).toBe(true);
    await h.telegram.idle();
  };
}

describe('the scheduler speaks through the bot', () => {
  it('announces an SLA breach to admins and dispatchers once', async () => {
    // Setup: a new order waiting 3 h, an assigned one waiting 20 min (not a breach)
    const boss = await makeUser(t.db, ['ADMIN'], 'Boss');
    const anna = await makeUser(t.db, ['DISPATCHER'], 'Anna');
    const pyotr = await makeMaster(t.db, { name: 'Pyotr' });
    const { order: late } = await h.services.orders.create(anna, orderInput());
    const { order: waiting } = await h.services.orders.create(anna, orderInput());
    await h.services.workflow.act(anna, waiting.id, 'assign', { master_id: pyotr.masterId });
    await t.db.pool.query(`UPDATE orders SET status_changed_at = now() - interval '3 hours' WHERE id = $1`, [late.id]);
    await t.db.pool.query(`UPDATE orders SET status_changed_at = now() - interval '20 minutes' WHERE id = $1`, [waiting.id]);
    await h.telegram.idle();
    const run = jobs();

    // Action
    await run('sla_watch');
    await run('sla_watch');

    // Assertions
    const breach = `⚠️ Заказ №${late.id} в статусе «Новый» дольше 2 ч.`;
    for (const who of [boss, anna]) expect(h.stub.messagesTo(who.telegramId!).filter((c) => c.payload.text === breach)).toHaveLength(1);
    expect(
      h.stub.messagesTo(boss.telegramId!).filter((c) => String(c.payload.text).startsWith('⚠️') && String(c.payload.text).includes(`№${waiting.id}`)),
    ).toEqual([]);
  });

  it('sends the daily report to every admin, with the XLSX file', async () => {
    // Setup: an order closed today; the clock says it is tomorrow
    const boss = await makeUser(t.db, ['ADMIN'], 'Boss');
    const pyotr = await makeMaster(t.db, { name: 'Pyotr' });
    const { order } = await h.services.orders.create(boss, orderInput());
    await workOrder(h, { staff: boss, master: pyotr }, order.id, 'closed', {
      total_amount: '7000',
      materials_cost: '0',
      has_review: false,
      out_of_city: false,
    });

    // Action
    await jobs(() => new Date(Date.now() + 86_400_000))('report_day');

    // Assertions
    const got = h.stub.messagesTo(boss.telegramId!).slice(-2);
    expect(got.map((c) => c.method)).toEqual(['sendMessage', 'sendDocument']);
    expect(got[0]!.payload.text).toContain('Закрыто заказов: 1');
    expect(got[0]!.payload.text).toContain('Pyotr: выполнено 1, закрыто 1, выручка 7 000,00 ₽, доля мастера 3 500,00 ₽');
    const book = new ExcelJS.Workbook();
    await book.xlsx.load(got[1]!.files.document!.data as unknown as ArrayBuffer);
    expect(book.worksheets[0]!.rowCount).toBe(2);
  });
});
