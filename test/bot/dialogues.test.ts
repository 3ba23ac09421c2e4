import { describe, expect, it } from 'vitest';
import { tomorrowExample } from '../../src/bot/visit-time.ts';
import { useTestDatabase } from '../support/db.ts';
import { makeMaster, makeUser, orderInput } from '../support/fixtures.ts';
import { buttonsOf, useBotHarness, workOrder } from './harness.ts';

const t = useTestDatabase();
const h = useBotHarness(t);

const STICKER = { sticker: { file_id: 'CAACAgIAAx', file_unique_id: 'AgAD', type: 'regular', width: 512, height: 512, is_animated: false, is_video: false } };

async function openDialogues(chatId: number): Promise<number> {
  const { rows } = await t.db.pool.query<{ n: number }>(`SELECT count(*)::int AS n FROM bot_conversations WHERE chat_id = $1`, [chatId]);
  return rows[0]!.n;
}

async function startDraft(language: 'ru' | 'en' = 'ru') {
  const anna = await makeUser(t.db, ['DISPATCHER'], 'Anna');
  if (language === 'en') await h.services.users.setLanguage(anna, 'en');
  const me = h.user(anna.telegramId!, 'Anna');
  await me.send('/new');
  await me.press(language === 'en' ? 'Washing machines' : 'Стиральные машины');
  await me.send('Не сливает воду');
  return { anna, me };
}

describe('an order draft is never lost silently, and the dialogue is always visible', () => {
  it('asks again for a sticker or an unknown command, goes Back, refuses impossible and past times with the reason, lets any field change', async () => {
    // Setup
    const { me } = await startDraft();
    const asked = String(me.last!.payload.text);
    expect(asked).toBe('Шаг 3 из 8: имя клиента?');
    expect(buttonsOf(me.last)).toEqual(['« Назад', 'Отмена']);

    // A sticker and an unknown command: the step is asked again, nothing falls through to the menu
    const sticker = await me.act('Anna sends a sticker', me.messageWith(STICKER));
    expect(sticker.map((c) => c.payload.text)).toEqual(['Это не ответ на вопрос. Повторю его:', asked]);
    const unknown = await me.send('/foo');
    expect(unknown.map((c) => c.payload.text)).toEqual(['Это не ответ на вопрос. Повторю его:', asked]);

    // Back to the description, then forward again
    await me.press('Назад');
    expect(me.last!.payload.text).toBe('Шаг 2 из 8: опишите неисправность.');
    await me.send('Не сливает воду, шумит');
    await me.send('Иван Петров');
    await me.send('Москва, Тверская 1');
    await me.send('+7 916 123-45-67');
    await me.press('Пропустить');
    const example = tomorrowExample('Europe/Moscow', new Date());
    expect(me.last!.payload.text).toContain(`Шаг 7 из 8: когда приехать мастеру? Например ${example}`);

    // Impossible and past times are refused, with the reason
    const [impossible] = await me.send('32.13.2026 25:00');
    expect(impossible!.payload.text).toBe(`Такой даты или времени не бывает. Отправьте дату и время, например ${example}.`);
    const [past] = await me.send('01.01.2020 10:00');
    expect(past!.payload.text).toBe(`Это время уже прошло. Отправьте будущее время, например ${example}.`);
    await me.send(example);
    await me.press('Пропустить'); // no photos of the appliance
    expect(String(me.last!.payload.text)).toContain('Проверьте новый заказ:');
    expect(buttonsOf(me.last)).toEqual(expect.arrayContaining(['✅ Подтвердить', '✏️ Адрес', '✏️ Время', '✏️ Техника']));

    // Change the address from the confirmation screen: asked again, then the screen returns
    await me.press('✏️ Адрес');
    expect(me.last!.payload.text).toBe('Шаг 4 из 8: адрес?');
    await me.send('Москва, Арбат 10');
    const confirm = String(me.last!.payload.text).split('\n');
    expect(confirm).toContain('Адрес: Москва, Арбат 10');
    expect(confirm).toContain('Неисправность: Не сливает воду, шумит');
    expect(confirm).toContain(`Время: ${example}`);

    // Confirm: the order has the changed address
    await me.press('Подтвердить');
    const { rows } = await t.db.pool.query(`SELECT client_address, description FROM orders ORDER BY id DESC LIMIT 1`);
    expect(rows[0]).toEqual({ client_address: 'Москва, Арбат 10', description: 'Не сливает воду, шумит' });
    expect(await openDialogues(me.id)).toBe(0);
  });

  it('ends the draft out loud on /cancel, /start, a menu command, a menu button and another dialogue', async () => {
    // /cancel
    let { me } = await startDraft();
    const cancelled = await me.send('/cancel');
    expect(cancelled[0]!.payload.text).toBe('Черновик заказа отменён.');
    expect(await openDialogues(me.id)).toBe(0);

    // /start: the draft ends, said so, then the menu
    ({ me } = await startDraft());
    const restarted = await me.send('/start');
    expect(restarted[0]!.payload.text).toBe('Черновик заказа отменён.');
    expect(restarted[1]!.payload.text).toContain('Здравствуйте, Anna');

    // A menu command (/orders)
    ({ me } = await startDraft());
    const listed = await me.send('/orders');
    expect(listed[0]!.payload.text).toBe('Черновик заказа отменён.');
    expect(listed[1]!.payload.text).toBe('Заказы по статусам:');

    // A menu button (New order again): the old draft is discarded out loud, a new one starts
    ({ me } = await startDraft());
    const again = await me.act('Anna presses [➕ Новый заказ] on an older menu', me.callbackUpdate('m:new', 1));
    expect(again.filter((c) => c.method === 'sendMessage').map((c) => String(c.payload.text))).toEqual([
      'Черновик заказа отменён.',
      expect.stringContaining('шаг 1 из 8'),
    ]);

    // Another dialogue (Refuse on an order card)
    const { anna, me: dispatcher } = await startDraft();
    const { order } = await h.services.orders.create(anna, orderInput());
    await h.telegram.idle();
    await dispatcher.send('Иван'); // the draft goes on
    await dispatcher.act('Anna presses Refuse on an old card', dispatcher.callbackUpdate(`oa:rf:${order.id}:${order.version}`, 1));
    const said = dispatcher.inbox.slice(-2).map((c) => c.payload.text);
    expect(said).toEqual(['Черновик заказа отменён.', `Причина отказа по заказу №${order.id}?`]);
    expect(await openDialogues(dispatcher.id)).toBe(1); // only the refusal's
  });

  it('speaks English to an English reader', async () => {
    const { me } = await startDraft('en');
    const [reasked] = await me.act('Anna sends a sticker', me.messageWith(STICKER));
    expect(reasked!.payload.text).toBe('That is not an answer to the question. Here it is again:');
    const [ended] = await me.send('/cancel');
    expect(ended!.payload.text).toBe('The order draft is discarded.');
  });

  it("a master's completion ends out loud when he opens his orders, and re-asks on a photo", async () => {
    // Setup
    const anna = await makeUser(t.db, ['DISPATCHER'], 'Anna');
    const pyotr = await makeMaster(t.db, { name: 'Pyotr' });
    const { order } = await h.services.orders.create(anna, orderInput());
    await workOrder(h, { staff: anna, master: pyotr }, order.id, 'in_progress');
    const master = h.user(pyotr.telegramId!, 'Pyotr');
    await master.send(`/order ${order.id}`);
    await master.press('Завершить');
    await master.press('Пропустить'); // no photos before
    await master.press('Пропустить'); // nor after: the amounts are asked now

    // Action
    const photo = await master.act('Pyotr sends a photo', master.messageWith({ photo: [{ file_id: 'p', file_unique_id: 'p', width: 90, height: 90 }] }));
    const mine = await master.send('/my');

    // Assertions
    expect(photo[0]!.payload.text).toBe('Сейчас идёт завершение заказа. Ответьте на последний вопрос или нажмите «Отмена».');
    expect(mine[0]!.payload.text).toBe('Завершение заказа отменено: заказ не завершён.');
    expect(await openDialogues(master.id)).toBe(0);
  });
});
