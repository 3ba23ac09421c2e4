import { describe, expect, it } from 'vitest';
import { useTestDatabase } from '../support/db.ts';
import { makeMaster, makeUser, orderInput } from '../support/fixtures.ts';
import { useBotHarness, workOrder } from './harness.ts';

const t = useTestDatabase();
const h = useBotHarness(t);

async function setup() {
  const anna = await makeUser(t.db, ['DISPATCHER'], 'Anna');
  const boris = await makeUser(t.db, ['DISPATCHER'], 'Boris');
  const pyotr = await makeMaster(t.db, { name: 'Pyotr' });
  const { order } = await h.services.orders.create(anna, orderInput({ client_address: 'Москва, Тверская 1', client_phone: '+79161234567' }));
  return { order, anna, boris, pyotr, dispatcher: h.user(anna.telegramId!, 'Anna'), master: h.user(pyotr.telegramId!, 'Pyotr') };
}

const orderRow = async (id: number) => (await t.db.pool.query('SELECT client_address, notes, client_phone, version FROM orders WHERE id = $1', [id])).rows[0];

describe('editing an order from its card', () => {
  it('changes one field, keeps the value before and after in the audit', async () => {
    // Setup
    const { order, dispatcher } = await setup();
    await dispatcher.send(`/order ${order.id}`);

    // Action
    await dispatcher.press('Изменить');
    expect(dispatcher.last!.payload.text).toBe(`Что изменить в заказе №${order.id}?`);
    await dispatcher.press('Адрес');
    expect(dispatcher.last!.payload.text).toBe('Адрес: сейчас «Москва, Тверская 1». Отправьте новое значение.');
    await dispatcher.send('Москва, Тверская 3, кв. 7');

    // Assertions
    expect(dispatcher.last!.payload.text).toContain('Изменения сохранены.');
    expect(dispatcher.last!.payload.text).toContain('Адрес: Москва, Тверская 3, кв. 7');
    expect((await orderRow(order.id)).client_address).toBe('Москва, Тверская 3, кв. 7');
    const audit = await t.db.pool.query(`SELECT actor_id, details FROM audit_log WHERE action = 'order.edit' AND entity_id = $1`, [order.id]);
    expect(audit.rows).toHaveLength(1);
    expect(audit.rows[0].details.changes).toEqual({ client_address: { from: 'Москва, Тверская 1', to: 'Москва, Тверская 3, кв. 7' } });
  });

  it('changes the equipment type with the same buttons as a new order', async () => {
    const { order, dispatcher } = await setup();
    await dispatcher.send(`/order ${order.id}`);

    await dispatcher.press('Изменить');
    await dispatcher.press('Техника');
    await dispatcher.press('Телевизоры');

    expect(dispatcher.last!.payload.text).toContain('Техника: Телевизор');
    const { rows } = await t.db.pool.query('SELECT equipment_type FROM orders WHERE id = $1', [order.id]);
    expect(rows[0].equipment_type).toBe('tv');
  });

  it('refuses a value the field does not take, and reads a new time in plain Russian', async () => {
    const { order, dispatcher } = await setup();
    await dispatcher.send(`/order ${order.id}`);
    await dispatcher.press('Изменить');
    await dispatcher.press('Телефон');
    await dispatcher.send('позвоните Маше');
    expect(dispatcher.last!.payload.text).toBe('Не подходит для поля «Телефон». Попробуйте ещё раз или нажмите «Отмена».');
    expect((await orderRow(order.id)).client_phone).toBe('+79161234567');
    await dispatcher.send('8 (916) 000-11-22');
    expect(dispatcher.last!.payload.text).toContain('Изменения сохранены.');

    await dispatcher.press('Изменить');
    await dispatcher.press('Время визита');
    await dispatcher.send('как договоримся с клиентом');
    const { rows } = await t.db.pool.query('SELECT scheduled_at, scheduled_note FROM orders WHERE id = $1', [order.id]);
    expect(rows[0]).toEqual({ scheduled_at: null, scheduled_note: 'как договоримся с клиентом' });
  });

  it('tells a stale editor what changed meanwhile and overwrites nothing', async () => {
    // Setup: Anna opens the editor, Boris changes the notes before she sends
    const { order, boris, dispatcher } = await setup();
    await dispatcher.send(`/order ${order.id}`);
    await dispatcher.press('Изменить');
    await dispatcher.press('Примечания');
    await h.services.workflow.act(boris, order.id, 'edit', { notes: 'Домофон 15' }, { expectedVersion: 1 });

    // Action
    await dispatcher.send('Позвонить за час');

    // Assertions
    expect(dispatcher.last!.payload.text).toContain(
      `Пока вы правили, заказ №${order.id} изменили:\nBoris: изменено: Примечания «—» → «Домофон 15»\nВаша правка не сохранена.`,
    );
    expect(await orderRow(order.id)).toMatchObject({ notes: 'Домофон 15', version: 2 });
  });
});

describe('the history of an order in the bot', () => {
  it('lists status moves with reasons and edits, who and when; the master sees his order without the hidden phone', async () => {
    // Setup
    const { order, anna, pyotr, dispatcher, master } = await setup();
    await workOrder(h, { staff: anna, master: pyotr }, order.id, 'accepted');
    await h.services.workflow.act(anna, order.id, 'edit', { client_phone: '+79035550000' }, { expectedVersion: 3 });
    await h.services.workflow.act(pyotr, order.id, 'reschedule', { scheduled_at: '2030-01-15T11:00:00Z', reason: 'Клиент на работе' });

    // Action
    await dispatcher.send(`/order ${order.id}`);
    await dispatcher.press('История');
    const staffView = String(dispatcher.last!.payload.text);
    await master.send(`/order ${order.id}`);
    await master.press('История');
    const masterView = String(master.last!.payload.text);

    // Assertions
    const stamp = /^\d{2}\.\d{2}\.\d{4} \d{2}:\d{2} · /;
    const lines = staffView.split('\n');
    expect(lines[0]).toBe(`История заказа №${order.id}:`);
    expect(lines.slice(1).map((l) => l.replace(stamp, ''))).toEqual([
      'Anna: заказ создан',
      'Anna: Новый → Назначен',
      'Pyotr: Назначен → Принят',
      'Anna: изменено: Телефон «+79161234567» → «+79035550000»',
      'Pyotr: перенос на 15.01.2030 14:00: Клиент на работе',
    ]);
    expect(lines.slice(1).every((l) => stamp.test(l))).toBe(true);
    expect(masterView).toContain('Anna: изменено: Телефон «—» → «—»');
    expect(masterView).not.toContain('+7903');
  });
});
