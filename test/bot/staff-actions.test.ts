import { describe, expect, it } from 'vitest';
import { dateExample } from '../../src/bot/visit-time.ts';
import { useTestDatabase } from '../support/db.ts';
import { statusOf as readStatus } from '../support/reads.ts';
import { makeMaster, makeUser, orderInput } from '../support/fixtures.ts';
import { buttonsOf, keyboardOf, useBotHarness, workOrder } from './harness.ts';

const t = useTestDatabase();
const h = useBotHarness(t);

const statusOf = (id: number) => readStatus(t.db, id);

async function setup(phone = '+7 (903) 765-43-21') {
  const anna = await makeUser(t.db, ['DISPATCHER'], 'Anna');
  const pyotr = await makeMaster(t.db, { name: 'Pyotr' });
  const { order } = await h.services.orders.create(anna, orderInput({ client_phone: phone, client_name: 'Maria Sidorova' }));
  await workOrder(h, { staff: anna, master: pyotr }, order.id, 'assigned');
  return { order, anna, pyotr, dispatcher: h.user(anna.telegramId!, 'Anna'), master: h.user(pyotr.telegramId!, 'Pyotr') };
}

describe('a dispatcher works orders from their cards', () => {
  it('nudges the master, unassigns (the master is told), refuses with a reason and reopens', async () => {
    // Setup
    const { order, dispatcher, master } = await setup();
    await dispatcher.send(`/order ${order.id}`);

    // Action + assertions: "client is waiting"
    const nudged = await dispatcher.press('Клиент ждёт');
    expect(nudged.find((c) => c.method === 'answerCallbackQuery')!.payload.text).toBe('Мастеру напомнили, что клиент ждёт.');
    expect(master.last!.payload.text).toBe(
      `⏰ Клиент по заказу №${order.id} ждёт вас! Позвоните: +79037654321 (Maria Sidorova), адрес: Moscow, Tverskaya 1, apt 5.`,
    );
    // A second tap within the minute (a double tap, or another dispatcher) does not ring the master again
    const heard = master.inbox.length;
    const again = await dispatcher.press('Клиент ждёт');
    expect(again.find((c) => c.method === 'answerCallbackQuery')!.payload.text).toBe('Мастеру уже напомнили меньше минуты назад.');
    expect(master.inbox).toHaveLength(heard);
    const nudges = await t.db.pool.query(
      `SELECT n.actor_id, (SELECT count(*)::int FROM audit_log a WHERE a.action = 'order.nudge') AS audited FROM order_nudges n`,
    );
    expect(nudges.rows).toEqual([{ actor_id: (await h.services.users.byTelegramId(dispatcher.id))!.userId, audited: 1 }]);

    // Unassign
    await dispatcher.press('Снять мастера');
    expect(await statusOf(order.id)).toBe('ASSIGNED'); // asked first
    await dispatcher.press('Да, снять мастера');
    expect(await statusOf(order.id)).toBe('NEW');
    expect(master.last!.payload.text).toBe(`Заказ №${order.id} больше не назначен на вас.`);

    // Refuse: a reason first
    await dispatcher.press('Отказ');
    expect(dispatcher.last!.payload.text).toBe(`Причина отказа по заказу №${order.id}?`);
    await dispatcher.send('Клиент передумал');
    expect(dispatcher.last!.payload.text).toContain('Оформлен отказ.');
    expect(dispatcher.last!.payload.text).toContain('Причина отказа: Клиент передумал');
    expect(await statusOf(order.id)).toBe('REFUSED');

    // Reopen
    await dispatcher.press('Вернуть в работу');
    expect(await statusOf(order.id)).toBe('NEW');
    expect(buttonsOf(dispatcher.last)).toContain('👷 Назначить');
  });

  it('reassigns: the new master gets the order with buttons, the old one is told it is gone', async () => {
    const { order, pyotr, dispatcher, master } = await setup();
    const ivan = await makeMaster(t.db, { name: 'Ivan' });
    await dispatcher.send(`/order ${order.id}`);

    await dispatcher.press('Переназначить');
    const offered = keyboardOf(dispatcher.last)
      .flat()
      .filter((b) => b.callback_data.startsWith('as:')) // masters, not Back
      .map((b) => Number(b.callback_data.split(':').at(-1)));
    expect(offered).toContain(ivan.masterId);
    expect(offered).not.toContain(pyotr.masterId);
    await dispatcher.press('Ivan');

    const { rows } = await t.db.pool.query('SELECT status, master_id FROM orders WHERE id = $1', [order.id]);
    expect(rows[0]).toEqual({ status: 'ASSIGNED', master_id: ivan.masterId });
    expect(master.last!.payload.text).toBe(`Заказ №${order.id} больше не назначен на вас.`);
    const got = h.stub.messagesTo(ivan.telegramId!).at(-1)!;
    expect(got.payload.text).toContain('Вам новый заказ');
    expect(buttonsOf(got)).toEqual(['✅ Принять', '✖️ Отказаться', '🗺 Яндекс Карты', '🗺 Google Maps']);
  });

  it('closes a completed order; the master hears it is settled', async () => {
    const { order, anna, pyotr, dispatcher, master } = await setup();
    for (const step of ['accept', 'arrive'] as const) await h.services.workflow.act(pyotr, order.id, step, {});
    await h.services.workflow.act(pyotr, order.id, 'complete', { total_amount: '3000', materials_cost: '500', has_review: false, out_of_city: false });
    await h.telegram.idle();
    await dispatcher.send(`/order ${order.id}`);

    // The first press asks, in place; "No" puts the card back; "Yes" closes
    const asked = await dispatcher.press('Закрыть');
    expect(asked.find((c) => c.method === 'editMessageReplyMarkup')).toBeDefined();
    expect(buttonsOf(dispatcher.last)).toEqual([`💰 Да, рассчитать и закрыть заказ №${order.id}`, '« Нет, назад']);
    expect(await statusOf(order.id)).toBe('COMPLETED');
    await dispatcher.press('Нет, назад');
    expect(buttonsOf(dispatcher.last)).toContain('💰 Закрыть (расчёт)');
    await dispatcher.press('Закрыть');
    await dispatcher.press('Да, рассчитать');

    expect(await statusOf(order.id)).toBe('CLOSED');
    expect(master.last!.payload.text).toBe(`💰 Заказ №${order.id} рассчитан и закрыт (Anna).`);
    expect(anna.name).toBe('Anna');
  });

  it('finds orders by phone digits in any format, and by name', async () => {
    const { order, dispatcher } = await setup('8-926-111-22-33');

    await dispatcher.send('/search 926 111');
    const byPhone = dispatcher.last!;
    await dispatcher.send('/start');
    await dispatcher.press('Поиск');
    await dispatcher.send('sidorova');
    const byName = dispatcher.last!;
    await dispatcher.send('/search ab');

    expect(byPhone.payload.text).toBe('Найдено по запросу «926 111»: 1');
    expect(buttonsOf(byPhone)[0]).toMatch(new RegExp(`^#${order.id} · Назначен · Стиральная машина · Maria Sidorova`));
    expect(byName.payload.text).toContain('Найдено по запросу «sidorova»');
    expect(dispatcher.last!.payload.text).toBe('Отправьте хотя бы 3 символа (или 3 цифры телефона).');
  });
});

describe('a master on a long repair', () => {
  it('sets the expected date, skips the prepayment, resumes later', async () => {
    const { order, pyotr, master, dispatcher } = await setup();
    await h.services.workflow.act(pyotr, order.id, 'accept', {});
    await master.send('/my');
    await master.press(`#${order.id}`);

    await master.press('Длительный ремонт');
    const { example } = dateExample('Europe/Moscow', new Date());
    expect(master.last!.payload.text).toBe(
      `Когда будет готов заказ №${order.id}? Отправьте дату, например ${example}, или словами: «через 3 дня», «в пятницу».`,
    );
    await master.send('31.02.2026');
    expect(master.last!.payload.text).toBe(`Отправьте дату, например ${example}.`);
    await master.send('01.01.2020');
    expect(master.last!.payload.text).toBe(`Эта дата уже прошла. Отправьте будущую дату, например ${example}.`);
    await master.send('30.06.2099');
    expect(master.last!.payload.text).toBe('Какие запчасти нужны? Напишите или нажмите «Пропустить».');
    await master.send('Подшипник барабана');
    expect(master.last!.payload.text).toBe('Во сколько клиенту обойдётся ремонт (оценка)? Отправьте сумму или нажмите «Пропустить».');
    await master.send('4 500');
    await master.press('Пропустить');

    expect(master.last!.payload.text).toContain('Переведён в длительный ремонт.');
    expect(master.last!.payload.text).toContain('Ожидаемое завершение: 30.06.2099\nНужны запчасти: Подшипник барабана\nОценка стоимости: 4 500,00 ₽');
    expect(dispatcher.last!.payload.text).toBe(`⏳ Заказ №${order.id} в длительном ремонте, срок 30.06.2099 (Pyotr).`);
    const { rows } = await t.db.pool.query(
      'SELECT status, estimated_completion_date, prepayment_amount, parts_needed, estimated_cost::text FROM orders WHERE id = $1',
      [order.id],
    );
    expect(rows[0]).toEqual({
      status: 'LONG_REPAIR',
      estimated_completion_date: '2099-06-30',
      prepayment_amount: null,
      parts_needed: 'Подшипник барабана',
      estimated_cost: '4500.00',
    });

    await master.press('Продолжить');
    expect(await statusOf(order.id)).toBe('IN_PROGRESS');
  });
});
