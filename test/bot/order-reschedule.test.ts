import { describe, expect, it } from 'vitest';
import { useTestDatabase } from '../support/db.ts';
import { makeMaster, makeUser, orderInput } from '../support/fixtures.ts';
import { useBotHarness, workOrder } from './harness.ts';

const t = useTestDatabase();
const h = useBotHarness(t);

/** Tomorrow's date in Moscow (UTC+3 all year), worked out from the clock, not from the parser. */
function tomorrowInMoscow(): { iso: string; label: string; dotted: string } {
  const local = new Date(Date.now() + 3 * 3_600_000);
  const next = new Date(Date.UTC(local.getUTCFullYear(), local.getUTCMonth(), local.getUTCDate() + 1));
  const weekday = ['Вс', 'Пн', 'Вт', 'Ср', 'Чт', 'Пт', 'Сб'][next.getUTCDay()];
  const month = ['янв', 'фев', 'мар', 'апр', 'мая', 'июн', 'июл', 'авг', 'сен', 'окт', 'ноя', 'дек'][next.getUTCMonth()];
  const iso = next.toISOString().slice(0, 10);
  const year = next.getUTCFullYear() === local.getUTCFullYear() ? '' : ` ${next.getUTCFullYear()}`;
  return { iso, label: `${weekday}, ${next.getUTCDate()} ${month}${year}`, dotted: iso.split('-').reverse().join('.') };
}

async function setup() {
  const anna = await makeUser(t.db, ['DISPATCHER'], 'Anna');
  const pyotr = await makeMaster(t.db, { name: 'Pyotr' });
  const { order } = await h.services.orders.create(anna, orderInput({ client_name: 'Maria Sidorova' }));
  await workOrder(h, { staff: anna, master: pyotr }, order.id, 'accepted');
  return { order, anna, pyotr, dispatcher: h.user(anna.telegramId!, 'Anna'), master: h.user(pyotr.telegramId!, 'Pyotr') };
}

const row = async (id: number) =>
  (await t.db.pool.query(`SELECT scheduled_at, scheduled_until, reschedule_count, reschedule_reason, version FROM orders WHERE id = $1`, [id])).rows[0];

describe('rescheduling a visit from the card in plain Russian', () => {
  it('reads the time back, asks a reason, confirms, saves once and tells the master', async () => {
    // Setup
    const { order, dispatcher, master } = await setup();
    const day = tomorrowInMoscow();
    await dispatcher.send(`/order ${order.id}`);

    // Action: the dialogue
    await dispatcher.press('Перенести');
    expect(dispatcher.last!.payload.text).toContain(`Когда приехать по заказу №${order.id}?`);
    await dispatcher.send('когда-нибудь потом');
    expect(dispatcher.last!.payload.text).toBe('Не понял время «когда-нибудь потом». Напишите, например: «завтра в 14», «15.12 10:30» или «с 10 до 16».');
    await dispatcher.send('завтра с 10 до 16');
    expect(dispatcher.last!.payload.text).toBe(`Понял: ${day.label}, 10:00–16:00. Причина переноса?`);
    await dispatcher.send('Клиент попросил');
    expect(dispatcher.last!.payload.text).toBe(`Перенести заказ №${order.id} на ${day.label}, 10:00–16:00?\nПричина: Клиент попросил`);
    expect((await row(order.id)).reschedule_count).toBe(0); // nothing saved before the confirmation
    await dispatcher.press('Подтвердить');

    // Assertions: the order, the card, the master, the audit
    const saved = await row(order.id);
    expect(Date.parse(saved.scheduled_at)).toBe(Date.parse(`${day.iso}T10:00:00+03:00`));
    expect(Date.parse(saved.scheduled_until)).toBe(Date.parse(`${day.iso}T16:00:00+03:00`));
    expect(saved).toMatchObject({ reschedule_count: 1, reschedule_reason: 'Клиент попросил' });
    const card = String(dispatcher.last!.payload.text);
    expect(card).toContain(`Визит перенесён: ${day.label}, 10:00–16:00.`);
    expect(card).toContain(`Время: ${day.dotted} 10:00–16:00`);
    expect(card).toContain('Переносов: 1, последняя причина: Клиент попросил');
    expect(master.last!.payload.text).toBe(`🕒 Заказ №${order.id} перенесён на ${day.dotted} 10:00–16:00 (Anna). Причина: Клиент попросил`);
    const audit = await t.db.pool.query(`SELECT details FROM audit_log WHERE action = 'order.reschedule' AND entity_id = $1`, [order.id]);
    expect(audit.rows).toHaveLength(1);
    expect(audit.rows[0].details).toMatchObject({ scheduled_at: `${day.iso}T07:00:00.000Z`, scheduled_until: `${day.iso}T13:00:00.000Z` });
  });

  it('acts once when the confirmation is pressed twice', async () => {
    const { order, dispatcher } = await setup();
    await dispatcher.send(`/order ${order.id}`);
    await dispatcher.press('Перенести');
    await dispatcher.send('послезавтра в 12');
    await dispatcher.send('Мастер заболел');
    const { button, messageId } = dispatcher.findButton('Подтвердить');

    // Action: the same button twice, as a double tap sends it
    await dispatcher.act('tap 1', dispatcher.callbackUpdate(button.callback_data, messageId));
    await dispatcher.act('tap 2', dispatcher.callbackUpdate(button.callback_data, messageId));

    expect((await row(order.id)).reschedule_count).toBe(1);
  });

  it('lets the assigned master move his own visit, and refuses a time already gone', async () => {
    const { order, dispatcher, master } = await setup();
    await master.send('/my');
    await master.press(`#${order.id}`);

    await master.press('Перенести');
    await master.send('сегодня в 0:01');
    expect(master.last!.payload.text).toMatch(/^.+, 00:01 уже прошло\. Укажите время впереди\.$/);
    await master.send('через 2 часа');
    await master.send('Не успеваю с прошлого заказа');
    await master.press('Подтвердить');

    const saved = await row(order.id);
    expect(Math.abs(Date.parse(saved.scheduled_at) - (Date.now() + 2 * 3_600_000))).toBeLessThan(5 * 60_000);
    expect(saved.scheduled_until).toBeNull();
    expect(dispatcher.last!.payload.text).toContain(`перенесён на`);
    expect(dispatcher.last!.payload.text).toContain('(Pyotr). Причина: Не успеваю с прошлого заказа');
  });

  it('does not move a card that changed since the dialogue began', async () => {
    const { order, anna, dispatcher } = await setup();
    await dispatcher.send(`/order ${order.id}`);
    await dispatcher.press('Перенести');
    await dispatcher.send('завтра в 14');
    await dispatcher.send('Клиент попросил');
    // Someone else edits the order meanwhile.
    await h.services.workflow.act(anna, order.id, 'edit', { notes: 'Домофон не работает' }, { expectedVersion: (await row(order.id)).version });

    const answered = await dispatcher.press('Подтвердить');

    expect(answered.find((c) => c.method === 'answerCallbackQuery')!.payload.text).toContain(`Заказ №${order.id} тем временем изменился`);
    expect((await row(order.id)).reschedule_count).toBe(0);
  });
});

describe('a long repair’s expected date in words', () => {
  it('reads "через 3 дня" as the date three days ahead in Moscow', async () => {
    const { order, master } = await setup();
    await master.send(`/order ${order.id}`);
    await master.press('Длительный ремонт');

    await master.send('через 3 дня');
    await master.press('Пропустить'); // parts
    await master.press('Пропустить'); // estimated cost
    await master.press('Пропустить'); // prepayment

    const local = new Date(Date.now() + 3 * 3_600_000);
    const expected = new Date(Date.UTC(local.getUTCFullYear(), local.getUTCMonth(), local.getUTCDate() + 3)).toISOString().slice(0, 10);
    const { rows } = await t.db.pool.query('SELECT status, estimated_completion_date FROM orders WHERE id = $1', [order.id]);
    expect(rows[0]).toEqual({ status: 'LONG_REPAIR', estimated_completion_date: expected });
  });
});
