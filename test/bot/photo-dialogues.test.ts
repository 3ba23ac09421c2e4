import { beforeAll, describe, expect, it } from 'vitest';
import type { Principal } from '../../src/users/principal.ts';
import { useTestDatabase } from '../support/db.ts';
import { makeMaster, makeUser, orderInput } from '../support/fixtures.ts';
import { statusOf } from '../support/reads.ts';
import { buttonsOf, useBotHarness, workOrder } from './harness.ts';

/**
 * Photos inside the dialogues: the appliance while creating an order, before
 * and after the work while completing one; the card counts them and sends
 * them back as albums on request.
 */
const t = useTestDatabase();
const h = useBotHarness(t);

let anna: Principal;
let admin: Principal;

beforeAll(async () => {
  anna = await makeUser(t.db, ['DISPATCHER'], 'Anna');
  admin = await makeUser(t.db, ['ADMIN'], 'Olga Admin');
});

const photo = (unique: string) => ({
  photo: [
    { file_id: `small-${unique}`, file_unique_id: `s-${unique}`, width: 90, height: 90 },
    { file_id: `big-${unique}`, file_unique_id: unique, width: 1280, height: 960 },
  ],
});
const document = (unique: string) => ({ document: { file_id: `doc-${unique}`, file_unique_id: unique, file_name: `${unique}.pdf` } });
const rows = async (sql: string, ...params: unknown[]) => (await t.db.pool.query(sql, params)).rows;
const texts = (calls: Array<{ payload: Record<string, unknown> }>) => calls.map((c) => ((c.payload.text ?? c.payload.caption) as string | undefined) ?? '');

describe('creating an order', () => {
  it('takes photos and a document of the appliance at its own step, keeps them with the draft, and attaches them on confirming', async () => {
    // Setup
    const me = h.user(anna.telegramId!, 'Anna');
    await me.send('/new');
    await me.press('Стиральные машины');
    for (const answer of ['Не сливает воду', 'Ирина Смирнова', 'Тверская 1, кв. 5', '+7 916 555-44-33']) await me.send(answer);
    await me.press('Пропустить'); // notes
    await me.press('Пропустить'); // time

    // Action
    const asked = me.last!;
    const words = await me.send('вот фото');
    const first = await me.act('Anna sends a photo', me.messageWith(photo('wm-1')));
    await me.act('Anna sends another photo', me.messageWith(photo('wm-2')));
    await me.act('Anna sends the warranty as a file', me.messageWith(document('warranty')));
    const again = await me.act('Anna sends the first photo again', me.messageWith(photo('wm-1')));
    await me.press('Назад');
    const back = me.last!;
    await me.press('Пропустить');
    const photosAgain = me.last!;
    await me.press('Дальше');
    const confirm = String(me.last!.payload.text).split('\n');
    const before = await rows('SELECT count(*)::int AS n FROM order_attachments');
    const created = await me.press('Подтвердить');
    const card = created.find((c) => c.method === 'sendMessage')!;
    const orderId = Number(/Заказ №(\d+) создан/.exec(String(card.payload.text))![1]);

    // Assertions
    expect(asked.payload.text).toBe('Шаг 8 из 8: пришлите фото техники (можно несколько, можно файлом) или нажмите «Пропустить».');
    expect(buttonsOf(asked)).toEqual(['Пропустить', '« Назад', 'Отмена']);
    expect(texts(words)).toEqual(['Здесь нужны фото или файлы. Пришлите их или нажмите «Пропустить».']);
    expect(texts(first)).toEqual(['Файлов к заказу: 1. Пришлите ещё или нажмите «Дальше».']);
    expect(buttonsOf(first[0])).toEqual(['Дальше ➡️', '« Назад', 'Отмена']);
    expect(texts(again)).toEqual(['Файлов к заказу: 3. Пришлите ещё или нажмите «Дальше».']);
    expect(String(back.payload.text)).toMatch(/^Шаг 7 из 8: когда приехать мастеру\?/);
    expect(buttonsOf(photosAgain)).toContain('Дальше ➡️');
    expect(confirm).toContain('📎 Фото и файлы: 3');
    expect(before).toEqual([{ n: 0 }]);
    expect(String(card.payload.text)).toContain('📎 Фото: 2, документы: 1');
    expect(buttonsOf(card)).toContain('🖼 Фото и документы (3)');
    expect(await rows('SELECT stage, media, file_id, file_name FROM order_attachments WHERE order_id = $1 ORDER BY id', orderId)).toEqual([
      { stage: 'appliance', media: 'photo', file_id: 'big-wm-1', file_name: null },
      { stage: 'appliance', media: 'photo', file_id: 'big-wm-2', file_name: null },
      { stage: 'appliance', media: 'document', file_id: 'doc-warranty', file_name: 'warranty.pdf' },
    ]);
  });
});

describe("the card's album button", () => {
  it('sends photos and documents in separate groups of at most 10, each captioned with the order, to those who may read it', async () => {
    // Setup
    const { order } = await h.services.orders.create(anna, orderInput());
    for (let i = 1; i <= 12; i++) {
      await h.services.attachments.add(anna, order.id, {
        stage: 'appliance',
        media: 'photo',
        fileId: `p${i}`,
        fileUniqueId: `up${order.id}-${i}`,
        fileName: null,
      });
    }
    for (let i = 1; i <= 3; i++) {
      await h.services.attachments.add(anna, order.id, {
        stage: 'document',
        media: 'document',
        fileId: `d${i}`,
        fileUniqueId: `ud${order.id}-${i}`,
        fileName: `act-${i}.pdf`,
      });
    }
    const me = h.user(anna.telegramId!, 'Anna');
    const stranger = h.user((await makeMaster(t.db)).telegramId!, 'Иван');

    // Action
    const card = (await me.send(`/order ${order.id}`)).at(-1)!;
    const album = await me.press('Фото и документы');
    const refused = await stranger.act('Иван presses an album button of an order not his', stranger.callbackUpdate(`ab:${order.id}`, 1));

    // Assertions
    expect(String(card.payload.text)).toContain('📎 Фото: 12, документы: 3');
    expect(album.filter((c) => c.method !== 'answerCallbackQuery').map((c) => [c.method, (c.payload.media as unknown[]).length])).toEqual([
      ['sendMediaGroup', 10],
      ['sendMediaGroup', 2],
      ['sendMediaGroup', 3],
    ]);
    const groups = album.filter((c) => c.method === 'sendMediaGroup').map((c) => c.payload.media as Array<{ type: string; media: string; caption: string }>);
    expect(groups.map((g) => g[0]!.caption.split('\n')[0])).toEqual([
      `Заказ №${order.id}: фото 1–10 из 12`,
      `Заказ №${order.id}: фото 11–12 из 12`,
      `Заказ №${order.id}: документы 1–3 из 3`,
    ]);
    expect(groups[1]!.map((m) => [m.type, m.media])).toEqual([
      ['photo', 'p11'],
      ['photo', 'p12'],
    ]);
    expect(groups[2]!.map((m) => m.type)).toEqual(['document', 'document', 'document']);
    expect(groups[0]![1]!.caption).toBe('📷 Техника · Anna');
    expect(refused.map((c) => c.method)).toEqual(['answerCallbackQuery']);
    expect(String(refused[0]!.payload.text)).not.toBe('');
  });
});

describe('completing an order', () => {
  it('asks for before and after photos; with the setting on, the master goes on to the money only with an after photo', async () => {
    // Setup
    await h.services.settings.set(admin, 'completionNeedsAfterPhoto', true);
    const pyotr = await makeMaster(t.db, { name: 'Pyotr' });
    const { order } = await h.services.orders.create(anna, orderInput());
    await workOrder(h, { staff: anna, master: pyotr }, order.id, 'in_progress');
    const master = h.user(pyotr.telegramId!, 'Pyotr');
    await master.send(`/order ${order.id}`);

    // Action
    const started = await master.press('Завершить');
    const before = await master.act('Pyotr sends a photo before', master.messageWith(photo('before-1')));
    const after = await master.press('Дальше');
    const skipped = await master.act('Pyotr presses a Skip he was not offered', master.callbackUpdate('sk', 1));
    const words = await master.send('потом пришлю');
    const shot = await master.act('Pyotr sends a photo after', master.messageWith(photo('after-1')));
    const money = await master.press('Дальше');
    await master.send('5000');
    await master.send('0');
    await master.press('Нет');
    await master.press('Нет');
    await master.press('Подтвердить');
    await h.services.settings.set(admin, 'completionNeedsAfterPhoto', false);

    // Assertions
    expect(texts(started.filter((c) => c.method === 'sendMessage'))).toEqual([
      `Завершение заказа №${order.id}. Пришлите фото до работ (можно несколько) или нажмите «Пропустить».`,
    ]);
    expect(texts(before)).toEqual(['Сохранено фото: 1. Пришлите ещё или нажмите «Дальше».']);
    expect(buttonsOf(before[0])).toEqual(['Дальше ➡️', 'Отмена']);
    expect(texts(after.filter((c) => c.method === 'sendMessage'))).toEqual([
      `Теперь фото после работ: без него заказ №${order.id} не завершить. Пришлите хотя бы одно.`,
    ]);
    expect(buttonsOf(after.at(-1))).toEqual(['Отмена']);
    expect(skipped.map((c) => [c.method, c.payload.text])).toEqual([['answerCallbackQuery', 'Нужно хотя бы одно фото после работ.']]);
    expect(buttonsOf(words[0])).toEqual(['Отмена']);
    expect(buttonsOf(shot[0])).toEqual(['Дальше ➡️', 'Отмена']);
    expect(texts(money.filter((c) => c.method === 'sendMessage'))).toEqual([`Завершение заказа №${order.id}. Сколько всего заплатил клиент?`]);
    expect(await statusOf(t.db, order.id)).toBe('COMPLETED');
    expect(await rows('SELECT stage, file_id FROM order_attachments WHERE order_id = $1 ORDER BY id', order.id)).toEqual([
      { stage: 'before', file_id: 'big-before-1' },
      { stage: 'after', file_id: 'big-after-1' },
    ]);
  });
});

describe('completing in a work group', () => {
  it('offers the photo steps with buttons, then asks the total as a forced reply, as privacy mode needs', async () => {
    // Setup: an admin links the master's work group; the order reaches the site.
    const pyotr = await makeMaster(t.db, { name: 'Pyotr Group' });
    const group = { id: -1_000_000_000_000 - pyotr.masterId, type: 'supergroup' as const, title: 'Бригада Петра' };
    const boss = h.user(admin.telegramId!, 'Olga Admin');
    await boss.act('Olga adds the bot to the group', boss.memberUpdate(group, 'left', 'member'));
    await boss.pressIn(group, 'Pyotr Group');
    const { order } = await h.services.orders.create(anna, orderInput());
    await workOrder(h, { staff: anna, master: pyotr }, order.id, 'in_progress');
    const master = h.user(pyotr.telegramId!, 'Pyotr Group');
    await master.sendIn(group, `/order@repair_test_bot ${order.id}`);

    // Action
    await master.pressIn(group, 'Завершить');
    const before = h.stub.messagesTo(group.id).at(-1)!;
    await master.pressIn(group, 'Пропустить');
    await master.pressIn(group, 'Пропустить');
    const total = h.stub.messagesTo(group.id).at(-1)!;

    // Assertions
    expect(String(before.payload.text)).toContain('Пришлите фото до работ');
    expect(buttonsOf(before)).toEqual(['Пропустить', 'Отмена']);
    expect(total.payload.text).toBe(`Завершение заказа №${order.id}. Сколько всего заплатил клиент?`);
    expect(total.payload.reply_markup).toMatchObject({ force_reply: true });
  });
});
