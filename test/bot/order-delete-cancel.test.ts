import { describe, expect, it } from 'vitest';
import { useTestDatabase } from '../support/db.ts';
import { makeMaster, makeUser, orderInput } from '../support/fixtures.ts';
import { buttonsOf, useBotHarness, workOrder } from './harness.ts';

const t = useTestDatabase();
const h = useBotHarness(t);

async function setup() {
  const boss = await makeUser(t.db, ['ADMIN'], 'Olga');
  const anna = await makeUser(t.db, ['DISPATCHER'], 'Anna');
  const pyotr = await makeMaster(t.db, { name: 'Pyotr' });
  const { order } = await h.services.orders.create(anna, orderInput({ client_name: 'Maria Sidorova' }));
  return {
    order,
    anna,
    pyotr,
    admin: h.user(boss.telegramId!, 'Olga'),
    dispatcher: h.user(anna.telegramId!, 'Anna'),
    master: h.user(pyotr.telegramId!, 'Pyotr'),
  };
}

const row = async (id: number) => (await t.db.pool.query('SELECT status, master_id, deleted_at, version FROM orders WHERE id = $1', [id])).rows[0];

describe('an admin deletes an order and restores it', () => {
  it('asks a reason, confirms, hides the order, lists it under /deleted, restores it once however often pressed', async () => {
    // Setup
    const { order, admin, dispatcher } = await setup();
    await admin.send(`/order ${order.id}`);

    // Action: delete
    await admin.press('Удалить');
    expect(admin.last!.payload.text).toBe(`Почему удалить заказ №${order.id}? Причина останется в журнале.`);
    await admin.send('Дубликат заказа');
    expect(admin.last!.payload.text).toContain('Причина: Дубликат заказа');
    expect((await row(order.id)).deleted_at).toBeNull();
    await admin.press('Удалить');

    // Assertions: gone from reads, in the deleted list with its reason
    expect(admin.last!.payload.text).toBe(`🗑 Заказ №${order.id} удалён.`);
    expect((await row(order.id)).deleted_at).not.toBeNull();
    await dispatcher.send(`/order ${order.id}`);
    expect(dispatcher.last!.payload.text).not.toContain('Maria Sidorova');
    await admin.send('/deleted');
    expect(admin.last!.payload.text).toMatch(
      new RegExp(`№${order.id} · Maria Sidorova · удалён \\d{2}\\.\\d{2}\\.\\d{4} \\d{2}:\\d{2} \\(Olga\\): Дубликат заказа`),
    );
    expect(buttonsOf(admin.last)).toContain(`♻️ №${order.id}`);

    // Action: restore, pressed twice
    await admin.press(`♻️ №${order.id}`);
    await admin.press(`♻️ №${order.id}`);

    expect((await row(order.id)).deleted_at).toBeNull();
    const audit = await t.db.pool.query(
      `SELECT action, details->>'note' AS note FROM audit_log WHERE entity_id = $1 AND action IN ('order.delete', 'order.restore') ORDER BY id`,
      [order.id],
    );
    expect(audit.rows).toEqual([
      { action: 'order.delete', note: 'Дубликат заказа' },
      { action: 'order.restore', note: null },
    ]);
    await dispatcher.send(`/order ${order.id}`);
    expect(dispatcher.last!.payload.text).toContain('Maria Sidorova');
  });

  it('offers no delete to a dispatcher', async () => {
    const { order, dispatcher } = await setup();
    await dispatcher.send(`/order ${order.id}`);
    expect(buttonsOf(dispatcher.last)).not.toContain('🗑 Удалить');
    await dispatcher.send('/deleted');
    expect((await row(order.id)).deleted_at).toBeNull();
  });
});

describe('a master gives back an order he accepted', () => {
  it('with a reason; the order is NEW again without him and the dispatcher is told', async () => {
    const { order, anna, pyotr, master, dispatcher } = await setup();
    await workOrder(h, { staff: anna, master: pyotr }, order.id, 'accepted');
    await master.send(`/order ${order.id}`);

    await master.press('Отказаться от заказа');
    expect(master.last!.payload.text).toBe(`Почему вы отказываетесь от принятого заказа №${order.id}? Диспетчер получит причину.`);
    await master.send('Сломалась машина');

    expect(master.last!.payload.text).toBe('Вы отказались от заказа, он вернулся диспетчеру.');
    expect(await row(order.id)).toMatchObject({ status: 'NEW', master_id: null });
    expect(dispatcher.last!.payload.text).toBe(`↩️ Pyotr отказался от принятого заказа №${order.id}. Причина: Сломалась машина. Заказ снова новый.`);
    const history = await t.db.pool.query(`SELECT old_status, new_status, note FROM order_status_history WHERE order_id = $1 ORDER BY id DESC LIMIT 1`, [
      order.id,
    ]);
    expect(history.rows[0]).toEqual({ old_status: 'ACCEPTED', new_status: 'NEW', note: 'Сломалась машина' });
  });
});

describe('an admin acts for a master', () => {
  it('sees the master buttons on the card; what he does is marked as done for the master', async () => {
    const { order, anna, pyotr, admin, master } = await setup();
    await workOrder(h, { staff: anna, master: pyotr }, order.id, 'assigned');
    await admin.send(`/order ${order.id}`);
    expect(buttonsOf(admin.last)).toEqual(expect.arrayContaining(['✅ Принять', '✖️ Отказаться']));

    await admin.press('Принять');
    await admin.press('На месте');

    expect((await row(order.id)).status).toBe('IN_PROGRESS');
    const audit = await t.db.pool.query(
      `SELECT action, details->>'for_master' AS for_master, (details->>'for_master_id')::int8 AS for_master_id FROM audit_log WHERE entity_id = $1 AND action IN ('order.accept', 'order.arrive') ORDER BY id`,
      [order.id],
    );
    expect(audit.rows).toEqual([
      { action: 'order.accept', for_master: 'Pyotr', for_master_id: pyotr.masterId },
      { action: 'order.arrive', for_master: 'Pyotr', for_master_id: pyotr.masterId },
    ]);
    expect(master.last!.payload.text).toBe(`📍 Olga прибыл на место по заказу №${order.id}.`);
    await admin.press('История');
    expect(admin.last!.payload.text).toContain('Olga (за мастера Pyotr): Назначен → Принят');
  });
});
