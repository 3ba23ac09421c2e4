import { describe, expect, it } from 'vitest';
import { useTestDatabase } from '../support/db.ts';
import { makeMaster, makeUser, orderInput } from '../support/fixtures.ts';
import { buttonsOf, useBotHarness, workOrder } from './harness.ts';

const t = useTestDatabase();
const h = useBotHarness(t);

const row = async (id: number) =>
  (
    await t.db.pool.query(
      `SELECT status::text, refuse_reason, refusal_fee::text, refusal_master_share::text, refusal_company_share::text,
              total_amount::text, materials_cost::text, master_profit::text, company_profit::text, has_review, version
       FROM orders WHERE id = $1`,
      [id],
    )
  ).rows[0] as Record<string, unknown>;

async function setup(stage: 'in_progress' | 'closed', money?: { total_amount: string; materials_cost: string; has_review: boolean; out_of_city: boolean }) {
  const boss = await makeUser(t.db, ['ADMIN'], `Boss ${Math.random().toString(36).slice(2, 6)}`);
  const anna = await makeUser(t.db, ['DISPATCHER'], 'Anna');
  const pyotr = await makeMaster(t.db, { name: 'Pyotr' });
  const { order } = await h.services.orders.create(anna, orderInput({ client_name: 'Maria Sidorova' }));
  await workOrder(h, { staff: anna, master: pyotr }, order.id, stage, money);
  return {
    order,
    boss,
    anna,
    admin: h.user(boss.telegramId!, boss.name),
    dispatcher: h.user(anna.telegramId!, 'Anna'),
    master: h.user(pyotr.telegramId!, 'Pyotr'),
  };
}

describe('money after the fact, from the order card', () => {
  it('records a client refusing on site with a diagnostics fee, split by the refusal-fee rule', async () => {
    // Setup
    const { order, master, dispatcher } = await setup('in_progress');
    await master.send(`/order ${order.id}`);
    expect(buttonsOf(master.last)).toContain('🙅 Клиент отказался');

    // Action
    await master.press('Клиент отказался');
    expect(master.last!.payload.text).toBe(`Клиент отказался от ремонта по заказу №${order.id}. Почему?`);
    await master.send('Дорого, решил купить новую');
    expect(master.last!.payload.text).toBe('Клиент заплатил за выезд или диагностику? Отправьте сумму или нажмите «Пропустить».');
    await master.send('сколько-то');
    expect(master.last!.payload.text).toContain('сумм');
    await master.send('800');
    expect(String(master.last!.payload.text).split('\n')).toEqual([
      `Оформить отказ клиента по заказу №${order.id}?`,
      'Причина: Дорого, решил купить новую',
      'Оплата: 800,00 ₽ (мастеру 40%: 320,00 ₽, компании 480,00 ₽)',
    ]);
    expect((await row(order.id)).status).toBe('IN_PROGRESS'); // nothing before the confirmation
    await master.press('Подтвердить');

    // Assertions
    expect(await row(order.id)).toMatchObject({
      status: 'REFUSED',
      refuse_reason: 'Дорого, решил купить новую',
      refusal_fee: '800.00',
      refusal_master_share: '320.00',
      refusal_company_share: '480.00',
    });
    const card = String(master.last!.payload.text);
    expect(card).toContain('Оформлен отказ клиента на месте.');
    expect(card).toContain('Оплата за отказ: 800,00 ₽ (мастеру 320,00 ₽, компании 480,00 ₽)');
    expect(dispatcher.last!.payload.text).toBe(
      `🙅 Pyotr: клиент отказался от ремонта по заказу №${order.id}. Причина: Дорого, решил купить новую. Оплата: 800,00 ₽.`,
    );
    const owed = await h.services.ledger.balances(await makeUser(t.db, ['ADMIN'], 'Reader'));
    expect(owed.find((b) => b.master_name === 'Pyotr')).toMatchObject({ orders: 1, owed: '480.00' });
  });

  it('asks whether a completion under the threshold is a refusal with a fee, and loses nothing going back', async () => {
    // Setup
    const { order, master } = await setup('in_progress');
    await master.send(`/order ${order.id}`);

    // Action: 700 is under the default 1 000
    await master.press('Завершить');
    await master.press('Пропустить'); // photos before the work
    await master.press('Пропустить'); // and after
    await master.send('700');
    expect(master.last!.payload.text).toBe('Сумма 700,00 ₽ меньше 1 000,00 ₽. Может быть, это отказ клиента с оплатой за выезд?');
    expect(buttonsOf(master.last)).toEqual(['🙅 Да, отказ с оплатой', '✅ Нет, заказ выполнен', 'Отмена']);
    await master.press('Да, отказ с оплатой');
    expect(master.last!.payload.text).toBe(`Клиент отказался от ремонта по заказу №${order.id}. Почему?`);
    await master.send('Только диагностика');
    expect(String(master.last!.payload.text)).toContain('Оплата: 700,00 ₽ (мастеру 40%: 280,00 ₽, компании 420,00 ₽)');
    expect(buttonsOf(master.last)).toContain('↩️ Нет, это выполнение');
    // Back: it was a completion after all, the 700 kept
    await master.press('Нет, это выполнение');
    expect(master.last!.payload.text).toBe('Завершаем заказ, сумма 700,00 ₽ сохранена.\nСколько стоили материалы? (0, если их не было)');
    await master.send('0');
    await master.press('Нет');
    await master.press('Нет');
    expect(String(master.last!.payload.text)).toContain('Сумма: 700,00 ₽');
    await master.press('Подтвердить');

    // Assertions
    expect(await row(order.id)).toMatchObject({ status: 'COMPLETED', total_amount: '700.00', refusal_fee: null, master_profit: '280.00' });
  });

  it('checks a completion against the prepayment and shows the prepayment in the split', async () => {
    // Setup: a long repair with 3 000 prepaid, back on site
    const { order, master } = await setup('in_progress');
    const acting = await makeUser(t.db, ['ADMIN'], 'Acting');
    await h.services.workflow.act(acting, order.id, 'long_repair', { estimated_completion_date: '2099-01-01', prepayment_amount: '3000' });
    await h.services.workflow.act(acting, order.id, 'resume', {});
    await master.send(`/order ${order.id}`);

    // Action
    await master.press('Завершить');
    await master.press('Пропустить'); // photos before the work
    await master.press('Пропустить'); // and after
    await master.send('2500');
    expect(master.last!.payload.text).toBe('Сумма не может быть меньше предоплаты 3 000,00 ₽: клиент её уже внёс. Отправьте сумму ещё раз.');
    await master.send('8000');
    await master.send('0');
    await master.press('Нет');
    await master.press('Нет');

    // Assertions: 8 000 net at 50%; the company holds 3 000 already
    expect(String(master.last!.payload.text).split('\n').slice(-2)).toEqual([
      'Предоплата 3 000,00 ₽ уже у компании: с клиента сейчас 5 000,00 ₽.',
      'К сдаче компании: 1 000,00 ₽',
    ]);
  });

  it('lets an admin correct a closed order, showing the split before and after; the master is told', async () => {
    // Setup: 10 000 - 2 000 materials = 8 000 net at 50% (legacy default rule); 7 000 net with a review: 50% + 10
    const { order, boss, admin, master } = await setup('closed');
    const before = await row(order.id);
    await master.send(`/order ${order.id}`);
    expect(buttonsOf(master.last)).not.toContain('💰 Исправить суммы');
    await admin.send(`/order ${order.id}`);

    // Action
    await admin.press('Исправить суммы');
    expect(admin.last!.payload.text).toBe(
      `Исправление сумм заказа №${order.id}. Сумма сейчас 10 000,00 ₽. Отправьте новую или нажмите «Пропустить», чтобы оставить.`,
    );
    await admin.send('9000');
    expect(admin.last!.payload.text).toBe('Материалы сейчас 2 000,00 ₽. Отправьте новую сумму или нажмите «Пропустить».');
    await admin.send('9500');
    expect(admin.last!.payload.text).toContain('не могут стоить больше');
    await admin.press('Пропустить');
    expect(admin.last!.payload.text).toBe('Клиент оставил отзыв? Сейчас: Нет.');
    await admin.press('Да');
    await admin.press('Нет');
    expect(admin.last!.payload.text).toBe('Причина исправления? Она останется в истории и журнале.');
    await admin.send('Клиент оставил отзыв, сумма по чеку 9000');
    expect(String(admin.last!.payload.text).split('\n')).toEqual([
      `Исправить суммы заказа №${order.id}?`,
      'Было: сумма 10 000,00 ₽, материалы 2 000,00 ₽, ставка 50%: мастеру 4 000,00 ₽, компании 4 000,00 ₽',
      'Станет: сумма 9 000,00 ₽, материалы 2 000,00 ₽, ставка 60%: мастеру 4 200,00 ₽, компании 2 800,00 ₽',
      'Долг мастера изменится на -1 200,00 ₽.',
      'Причина: Клиент оставил отзыв, сумма по чеку 9000',
    ]);
    expect(await row(order.id)).toEqual(before);
    await admin.press('Подтвердить');

    // Assertions
    expect(await row(order.id)).toMatchObject({
      status: 'CLOSED',
      total_amount: '9000.00',
      master_profit: '4200.00',
      company_profit: '2800.00',
      has_review: true,
    });
    expect(String(admin.last!.payload.text)).toContain('Суммы исправлены.');
    expect(master.last!.payload.text).toBe(
      `💰 ${boss.name} исправил суммы заказа №${order.id}: сумма 9 000,00 ₽, доля мастера 4 200,00 ₽. Причина: Клиент оставил отзыв, сумма по чеку 9000`,
    );
    await admin.press('История');
    expect(String(admin.last!.payload.text)).toContain(
      `${boss.name}: суммы исправлены: Отзыв «false» → «true»; Сумма «10000.00» → «9000.00»; Доля мастера «4000.00» → «4200.00»; ` +
        'Доля компании «4000.00» → «2800.00»: Клиент оставил отзыв, сумма по чеку 9000',
    );
    const correction = await t.db.pool.query(`SELECT owed_delta::text, after_close, reason FROM order_corrections WHERE order_id = $1`, [order.id]);
    expect(correction.rows).toEqual([{ owed_delta: '-1200.00', after_close: true, reason: 'Клиент оставил отзыв, сумма по чеку 9000' }]);
  });
});
