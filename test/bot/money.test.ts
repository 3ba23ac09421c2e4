import ExcelJS from 'exceljs';
import { describe, expect, it } from 'vitest';
import { encode, parseCallbackData, type CallbackData } from '../../src/bot/callback-data.ts';
import { replaceUserRoles } from '../../src/users/users.sql.ts';
import { useTestDatabase } from '../support/db.ts';
import type { StubCall } from '../support/telegram-stub.ts';
import { makeMaster, makeUser, orderInput } from '../support/fixtures.ts';
import { buttonsOf, useBotHarness, workOrder } from './harness.ts';

const t = useTestDatabase();
const h = useBotHarness(t);

describe('money in the bot', () => {
  it('tells a master what he owes, and lets an admin take it all in one hand-over', async () => {
    // Setup: net 8 000 at 50% and 5 000 at 40%: the master earns 4 000 + 2 000, the company is owed 4 000 + 3 000.
    const boss = await makeUser(t.db, ['ADMIN'], 'Boss');
    const fyodor = await makeMaster(t.db, { name: 'Fyodor' });
    const ids: number[] = [];
    for (const money of [
      { total_amount: '10000', materials_cost: '2000', has_review: false, out_of_city: false },
      { total_amount: '5000', materials_cost: '0', has_review: false, out_of_city: false },
    ]) {
      const { order } = await h.services.orders.create(boss, orderInput());
      await workOrder(h, { staff: boss, master: fyodor }, order.id, 'completed', money);
      ids.push(order.id);
    }
    const master = h.user(fyodor.telegramId!, 'Fyodor');
    const admin = h.user(boss.telegramId!, 'Boss');

    // Action
    const [stats] = await master.send('/stats');
    const mine = (await master.press('Мой отчёт за месяц')).find((c) => c.method === 'sendDocument')!;
    await admin.send('/reports');
    await admin.press('Этот месяц');
    const settlementFile = (await admin.press('Сверка по мастерам')).find((c) => c.method === 'sendDocument')!;
    const sent = (calls: StubCall[]): StubCall => calls.find((c) => c.method === 'sendMessage')!;
    const owed = sent(await admin.press('К сдаче'));
    const orders = sent(await admin.press('Fyodor'));
    const settled = await admin.press('Принять');
    const again = await admin.press('Принять');
    const [after] = await master.send('/stats');

    // Assertions
    expect(stats!.payload.text).toContain('Заработано: сегодня 6 000,00 ₽, за неделю 6 000,00 ₽, за месяц 6 000,00 ₽');
    expect(stats!.payload.text).toContain('К сдаче: вы должны 7 000,00 ₽ за 2 заказа.');
    const sheets = async (doc: StubCall) => {
      const book = new ExcelJS.Workbook();
      await book.xlsx.load(doc.files.document!.data as unknown as ArrayBuffer);
      return book.worksheets.map((w) => `${w.name}: ${w.rowCount - 1}`);
    };
    expect(mine.files.document!.name).toMatch(/^mine-\d{4}-\d{2}-01-\d{4}-\d{2}-\d{2}\.xlsx$/);
    expect(await sheets(mine)).toEqual(['Активные: 2', 'Выполненные: 2']);
    expect(await sheets(settlementFile)).toEqual(['Сводка: 2', 'Fyodor: 2']);
    const photos = h.stub.calls.filter((c) => c.method === 'sendPhoto' && c.payload.chat_id === boss.telegramId);
    expect(photos.map((c) => [c.payload.caption, c.files.photo!.data.subarray(1, 4).toString()])).toEqual([
      ['Заказы и выручка по дням, доли мастеров.', 'PNG'],
    ]);
    expect(settlementFile.payload.caption).toBe('Сверка: сводка по мастерам и лист на каждого мастера.');
    expect(buttonsOf(owed)).toEqual(['Fyodor: 7 000,00 ₽ за 2 заказа']);
    expect(orders.payload.text).toBe(`К сдаче 7 000,00 ₽ за 2 заказа:\n№ ${ids[0]}: 4 000,00 ₽\n№ ${ids[1]}: 3 000,00 ₽`);
    const settlement = (await t.db.pool.query(`SELECT id::int, orders, amount::text, settled_by::int FROM settlements`)).rows;
    expect(settlement).toEqual([{ id: expect.any(Number), orders: 2, amount: '7000.00', settled_by: boss.userId }]);
    expect(settled.find((c) => c.method === 'sendMessage')!.payload.text).toBe(`Принято 7 000,00 ₽ за 2 заказа (сдача № ${settlement[0].id}); заказы закрыты.`);
    expect(again.find((c) => c.method === 'answerCallbackQuery')!.payload.text).toBe('Сдавать нечего: все выполненные заказы закрыты.');
    const statuses = (await t.db.pool.query(`SELECT status::text FROM orders WHERE id = ANY($1) ORDER BY id`, [ids])).rows;
    expect(statuses).toEqual([{ status: 'CLOSED' }, { status: 'CLOSED' }]);
    expect(after!.payload.text).toContain('К сдаче: ничего, всё сдано.');
    expect(after!.payload.text).toContain('за месяц 6 000,00 ₽');
  });
});

describe('senior masters', () => {
  it('are named as such on their card', async () => {
    // Setup
    const boss = await makeUser(t.db, ['ADMIN'], 'Boss');
    const semyon = await makeMaster(t.db, { name: 'Semyon' });
    await replaceUserRoles(t.db, semyon.userId, ['MASTER', 'SENIOR_MASTER'], null);
    const admin = h.user(boss.telegramId!, 'Boss');
    // Action
    await admin.send('/masters');
    const card = (await admin.press('Semyon')).find((c) => c.method === 'sendMessage' || c.method === 'editMessageText')!;
    // Assertions
    expect(card.payload.text).toMatch(/^Мастер Semyon \(старший мастер\)\n/);
  });
});

describe('money and catalog buttons', () => {
  it('round-trip within 64 bytes, and forged ones parse to nothing', () => {
    // Setup
    const samples: CallbackData[] = [
      { type: 'owed' },
      { type: 'owedMaster', masterId: 9_007_199_254_740_991 },
      { type: 'settle', masterId: 3, upToOrderId: 9_007_199_254_740_991 },
      { type: 'catalog' },
      { type: 'workbook', kind: 'settlement', from: '2026-04-30T21:00:00.000Z', to: '2026-05-31T21:00:00.000Z' },
      { type: 'workbook', kind: 'active', from: null, to: null },
      { type: 'catalogType', code: 'a'.repeat(40) },
      { type: 'catalogEdit', edit: 'rename', code: 'washing_machine' },
    ];
    // Action + Assertions
    for (const d of samples) {
      const raw = encode(d);
      expect(Buffer.byteLength(raw)).toBeLessThanOrEqual(64);
      expect(parseCallbackData(raw)).toEqual(d);
    }
    for (const forged of ['ow:1', 'om:0', 'st:1', 'st:1:x', 'ck:Bad', 'ce:z:oven', 'ce:t:', 'ct:x', 'wb:x', 'wb:s:1', 'wb:a:zzzzzzzzz:1'])
      expect(parseCallbackData(forged), forged).toBeNull();
  });
});
