import ExcelJS from 'exceljs';
import { beforeAll, describe, expect, it } from 'vitest';
import { masterFiguresSchema } from '../../src/reports/reports-routes.ts';
import type { Principal } from '../../src/users/principal.ts';
import { useTestDatabase } from '../support/db.ts';
import { makeMaster, makeUser, orderInput } from '../support/fixtures.ts';
import { useBotHarness, workOrder } from './harness.ts';

/**
 * Ratings and on-time arrival per master (#16): in the bot's report text and
 * the master's own figures, the masters' statistics workbook, the API's
 * report endpoint, and the master's card in the bot and in the API.
 *
 * Pyotr has three visits: one checked in within its window (on time), one
 * after its window had ended (late), one with no scheduled time (not a
 * visit to be on time for); the clients rated two of them 5 and 2.
 */
const t = useTestDatabase();
const h = useBotHarness(t);

let boss: Principal;
let pyotr: Principal & { masterId: number };
let idle: Principal & { masterId: number };
const hour = 3_600_000;

/** A client joins the order through its link and rates the finished work. */
async function rate(orderId: number, score: number): Promise<void> {
  const client = await makeUser(t.db, [], 'Клиент Оценщик');
  const { token } = await h.services.clients.issueLink(boss, orderId);
  expect(await h.services.clients.join(client, client.telegramId!, token)).not.toBeNull();
  await h.services.clients.rate(client, orderId, score);
}

beforeAll(async () => {
  boss = await makeUser(t.db, ['ADMIN'], 'Boss');
  pyotr = await makeMaster(t.db, { name: 'Pyotr Quality' });
  idle = await makeMaster(t.db, { name: 'Idle Ivan' });
  const window = (from: number, to: number) => ({
    scheduled_at: new Date(Date.now() + from * hour).toISOString(),
    scheduled_until: new Date(Date.now() + to * hour).toISOString(),
  });
  const onTime = (await h.services.orders.create(boss, orderInput(window(1, 3)))).order;
  const late = (await h.services.orders.create(boss, orderInput(window(1, 3)))).order;
  const unscheduled = (await h.services.orders.create(boss, orderInput())).order;
  await workOrder(h, { staff: boss, master: pyotr }, late.id, 'accepted');
  // The late visit's window ended two hours before the master got there.
  await t.db.pool.query(`UPDATE orders SET scheduled_at = now() - interval '4 hours', scheduled_until = now() - interval '2 hours' WHERE id = $1`, [late.id]);
  await h.services.workflow.act(pyotr, late.id, 'arrive', {});
  await h.services.workflow.act(pyotr, late.id, 'complete', { total_amount: '5000', materials_cost: '0', has_review: false, out_of_city: false });
  await workOrder(h, { staff: boss, master: pyotr }, onTime.id, 'completed');
  await workOrder(h, { staff: boss, master: pyotr }, unscheduled.id, 'completed');
  await rate(onTime.id, 5);
  await rate(late.id, 2);
});

describe("a master's ratings and arrival on time", () => {
  it('the API: per-master report figures and the master’s card', async () => {
    // Setup
    const token = await h.services.users.createToken(boss.telegramId!, 'quality test');
    const get = async (path: string) => {
      const res = await fetch(`http://127.0.0.1:${h.http.port}${path}`, { headers: { authorization: `Bearer ${token}` } });
      return { status: res.status, body: (await res.json()) as Record<string, unknown> };
    };
    const from = new Date(Date.now() - 24 * hour).toISOString();
    const to = new Date(Date.now() + 24 * hour).toISOString();

    // Action
    const report = await get(`/api/v1/reports/masters?from=${encodeURIComponent(from)}&to=${encodeURIComponent(to)}`);
    const card = await get(`/api/v1/masters/${pyotr.masterId}`);
    const idleCard = await get(`/api/v1/masters/${idle.masterId}`);

    // Assertions
    expect(report.status).toBe(200);
    const rows = (report.body.items as unknown[]).map((r) => masterFiguresSchema.parse(r));
    expect(rows.find((r) => r.master_id === pyotr.masterId)).toMatchObject({
      completed: 3,
      rating_average: '3.50',
      rating_count: 2,
      visits: 2,
      visits_on_time: 1,
    });
    expect(card.status).toBe(200);
    expect(card.body).toMatchObject({ id: pyotr.masterId, rating_average: '3.50', rating_count: 2, visits: 2, visits_on_time: 1 });
    expect(idleCard.body).toMatchObject({ id: idle.masterId, rating_average: null, rating_count: 0, visits: 0, visits_on_time: 0 });
    // Figures only: nothing about the clients who rated.
    expect(JSON.stringify([report.body, card.body])).not.toContain('Клиент Оценщик');
  });

  it('the bot: the month’s report, the master’s own figures and the master’s card', async () => {
    // Setup
    const admin = h.user(boss.telegramId!, 'Boss');
    const master = h.user(pyotr.telegramId!, 'Pyotr Quality');

    // Action
    await admin.send('/reports');
    const report = (await admin.press('Этот месяц')).find((c) => c.method === 'sendMessage');
    const [stats] = await master.send('/stats');
    await admin.send('/masters');
    const card = (await admin.press('Pyotr Quality')).find((c) => c.method === 'sendMessage');
    await admin.press('Idle Ivan');
    const idleCard = admin.last;

    // Assertions
    const line = 'оценка клиентов: 3,50 (2 оценки); приезд вовремя: 50% (1 из 2)';
    expect(String(report!.payload.text)).toMatch(new RegExp(`Pyotr Quality: выполнено 3, .*; ${line.replace(/[()]/g, '\\$&')}`));
    expect(String(stats!.payload.text)).toContain(line);
    expect(String(card!.payload.text)).toContain(line);
    expect(String(idleCard!.payload.text)).toContain('оценка клиентов: оценок нет; приезд вовремя: визитов по времени нет');
    expect(h.logs.join('\n')).not.toContain('Клиент Оценщик');
  });

  it('the masters’ statistics workbook has the rating and on-time columns', async () => {
    // Setup
    const period = { from: new Date(Date.now() - 24 * hour).toISOString(), to: new Date(Date.now() + 24 * hour).toISOString() };

    // Action
    const file = await h.services.workbooks.build(boss, 'masters', period);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(file as unknown as ExcelJS.Buffer);

    // Assertions
    const sheet = wb.worksheets[0]!;
    const headers = (sheet.getRow(1).values as unknown[]).slice(1);
    const row = sheet.getRows(2, sheet.rowCount - 1)!.find((r) => r.getCell(1).value === 'Pyotr Quality')!;
    const cell = (header: string) => row.getCell(headers.indexOf(header) + 1).value;
    expect(headers).toEqual(expect.arrayContaining(['Средняя оценка', 'Оценок', 'Визитов ко времени', 'Приехал вовремя', 'Вовремя, %']));
    expect([cell('Средняя оценка'), cell('Оценок'), cell('Визитов ко времени'), cell('Приехал вовремя'), cell('Вовремя, %')]).toEqual([3.5, 2, 2, 1, 50]);
  });
});
