import { describe, expect, it } from 'vitest';
import { useTestDatabase } from '../support/db.ts';
import { makeMaster, makeUser, orderInput } from '../support/fixtures.ts';
import { buttonsOf, keyboardOf, useBotHarness } from './harness.ts';

const t = useTestDatabase();
const h = useBotHarness(t);

async function orderRow(id: number) {
  const { rows } = await t.db.pool.query(
    `SELECT status, version, master_id, total_amount, materials_cost, master_profit, company_profit, has_review, out_of_city FROM orders WHERE id = $1`,
    [id],
  );
  return rows[0];
}

describe('a master works an order through the bot', () => {
  it('is assigned by a dispatcher, accepts, arrives (phone revealed only then), completes with amounts and sees the split', async () => {
    // Setup
    const anna = await makeUser(t.db, ['DISPATCHER'], 'Anna');
    const pyotr = await makeMaster(t.db, { name: 'Pyotr' });
    const { order } = await h.services.orders.create(anna, orderInput({ client_phone: '+79161234567' }));
    const dispatcher = h.user(anna.telegramId!, 'Anna');
    const master = h.user(pyotr.telegramId!, 'Pyotr');

    // The dispatcher assigns the order from its card
    await dispatcher.send(`/order ${order.id}`);
    await dispatcher.press('Назначить');
    expect(dispatcher.last!.payload.text).toBe(`Выберите мастера для заказа №${order.id}:\n⚠️ у мастера нет рабочей группы: заказ придёт ему в личный чат.`);
    expect(buttonsOf(dispatcher.last)).toContain('⚠️ Pyotr · washing machines');
    const assigned = await dispatcher.press('Pyotr');
    expect(assigned.find((c) => c.method === 'editMessageText')!.payload.text).toContain('Назначен мастер Pyotr');

    // The master is told, with Accept / Decline, and without the client's phone
    const note = master.inbox.at(-1)!;
    expect(note.payload.text).toContain('Вам новый заказ');
    expect(note.payload.text).toContain('Телефон: будет показан, когда вы прибудете на место');
    expect(note.payload.text).not.toContain('79161234567');
    expect(buttonsOf(note)).toEqual(['✅ Принять', '✖️ Отказаться', '🗺 Яндекс Карты', '🗺 Google Maps']);
    // ... and the way there: the address on the map, from the message itself
    expect(keyboardOf(note).flat()).toContainEqual({ text: '🗺 Яндекс Карты', url: `https://yandex.ru/maps/?text=${encodeURIComponent(order.client_address)}` });

    // Accept
    const accepted = await master.press('Принять');
    expect(accepted.find((c) => c.method === 'answerCallbackQuery')!.payload.text).toBe('Принято.');
    const acceptedCard = accepted.find((c) => c.method === 'editMessageText')!;
    expect(acceptedCard.payload.text).toContain('· Принят');
    expect(acceptedCard.payload.text).not.toContain('79161234567');
    expect(buttonsOf(acceptedCard)).toEqual(expect.arrayContaining(['📍 На месте', '⏳ Длительный ремонт']));
    expect(dispatcher.last!.payload.text).toBe(`✅ Pyotr принял заказ №${order.id}.`);

    // Arrive: only now the phone shows
    const arrived = await master.press('На месте');
    const arrivedCard = arrived.find((c) => c.method === 'editMessageText')!;
    expect(arrivedCard.payload.text).toContain('· В работе');
    expect(arrivedCard.payload.text).toContain('Телефон: +79161234567');

    // Complete: amounts, review, out of city; the split is shown before confirming
    await master.press('Завершить');
    expect(master.last!.payload.text).toContain(`Завершение заказа №${order.id}`);
    await master.press('Пропустить'); // photos before the work
    await master.press('Пропустить'); // and after: optional while the setting is off
    await master.send('10 000');
    await master.send('12000');
    expect(master.last!.payload.text).toContain('не могут стоить больше общей суммы');
    await master.send('2000,00');
    await master.press('Да');
    expect(master.last!.payload.text).toBe('Выезд был за город?');
    await master.press('Нет');
    expect(String(master.last!.payload.text).split('\n')).toEqual([
      `Заказ №${order.id}: проверьте расчёт.`,
      'Сумма: 10 000,00 ₽',
      'Материалы: 2 000,00 ₽',
      'Чистыми: 8 000,00 ₽',
      'Отзыв: Да, за городом: Нет',
      'Ваша ставка: 60%',
      'Ваша доля: 4 800,00 ₽',
      'Доля компании: 3 200,00 ₽',
    ]);
    expect((await orderRow(order.id)).status).toBe('IN_PROGRESS');

    await master.press('Подтвердить');

    // Assertions: the master's card, the dispatcher's note, the database
    expect(master.last!.payload.text).toContain('Заказ выполнен.');
    expect(master.last!.payload.text).toContain('доля мастера 4 800,00 ₽, доля компании 3 200,00 ₽');
    expect(dispatcher.last!.payload.text).toBe(`🏁 Pyotr выполнил заказ №${order.id}: сумма 10 000,00 ₽, доля мастера 4 800,00 ₽.`);
    expect(await orderRow(order.id)).toMatchObject({
      status: 'COMPLETED',
      master_id: pyotr.masterId,
      total_amount: '10000.00',
      materials_cost: '2000.00',
      master_profit: '4800.00',
      company_profit: '3200.00',
      has_review: true,
      out_of_city: false,
    });
    const { rows: history } = await t.db.pool.query(`SELECT old_status, new_status FROM order_status_history WHERE order_id = $1 ORDER BY id`, [order.id]);
    expect(history.map((r) => `${r.old_status ?? '-'}>${r.new_status}`)).toEqual([
      '->NEW',
      'NEW>ASSIGNED',
      'ASSIGNED>ACCEPTED',
      'ACCEPTED>IN_PROGRESS',
      'IN_PROGRESS>COMPLETED',
    ]);
  });

  it('declines with a reason: the order is New again and the dispatcher hears why', async () => {
    // Setup
    const anna = await makeUser(t.db, ['DISPATCHER'], 'Anna');
    const pyotr = await makeMaster(t.db, { name: 'Pyotr' });
    const { order } = await h.services.orders.create(anna, orderInput());
    await h.services.workflow.act(anna, order.id, 'assign', { master_id: pyotr.masterId });
    const master = h.user(pyotr.telegramId!, 'Pyotr');
    const dispatcher = h.user(anna.telegramId!, 'Anna');
    await h.telegram.idle(); // the assignment made outside the bot is announced on its own

    // Action
    await master.press('Отказаться');
    await master.send('Заболел');

    // Assertions
    expect(master.last!.payload.text).toBe('Вы отказались от заказа.');
    expect(dispatcher.last!.payload.text).toBe(`✖️ Pyotr отказался от заказа №${order.id}. Причина: Заболел. Заказ снова новый.`);
    expect(await orderRow(order.id)).toMatchObject({ status: 'NEW', master_id: null });
  });
});
