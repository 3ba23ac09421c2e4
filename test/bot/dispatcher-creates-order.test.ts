import { describe, expect, it } from 'vitest';
import { useTestDatabase } from '../support/db.ts';
import { makeUser, orderInput } from '../support/fixtures.ts';
import { buttonsOf, useBotHarness } from './harness.ts';
import { auditOf } from '../support/reads.ts';

const t = useTestDatabase();
const h = useBotHarness(t);

async function count(sql: string, ...params: unknown[]): Promise<number> {
  const { rows } = await t.db.pool.query<{ n: string }>(sql, params);
  return Number(rows[0]!.n);
}

describe('a dispatcher creates an order in the bot', () => {
  it('goes from /start to a confirmed order, step by step, surviving a restart midway', async () => {
    // Setup
    const anna = await makeUser(t.db, ['DISPATCHER'], 'Anna');
    const me = h.user(anna.telegramId!, 'Anna');

    // Action + assertions, step by step
    const [menu] = await me.send('/start');
    expect(menu!.payload.chat_id).toBe(anna.telegramId);
    expect(menu!.payload.text).toContain('Здравствуйте, Anna');
    expect(buttonsOf(menu)).toEqual(expect.arrayContaining(['➕ Новый заказ', '📋 Заказы', '🔎 Поиск', '🌐 Язык']));
    expect(buttonsOf(menu)).not.toContain('👷 Мастера');

    await me.press('Новый заказ');
    expect(me.last!.payload.text).toContain('шаг 1 из 8: выберите тип техники');
    expect(buttonsOf(me.last)).toEqual(expect.arrayContaining(['Стиральные машины', 'ДШ/ВП', 'Холодильники', 'Телевизоры', 'Отмена']));

    await me.press('Стиральные машины');
    expect(me.last!.payload.text).toContain('опишите неисправность');
    await me.send('Не сливает воду');
    await me.send('Иван Петров');
    expect(me.last!.payload.text).toContain('адрес?');

    // The process restarts mid-conversation: the state lives in PostgreSQL.
    await h.restart();
    await me.send('Москва, Тверская 1, кв. 5');
    expect(me.last!.payload.text).toContain('телефон клиента?');

    await me.send('позвоните мне');
    expect(me.last!.payload.text).toContain('5–20 цифр');
    await me.send('8 (916) 123-45-67');
    expect(buttonsOf(me.last)).toContain('Пропустить');
    await me.press('Пропустить');
    expect(me.last!.payload.text).toContain('когда приехать мастеру?');
    await me.send('25.05.2027 14:00');
    expect(me.last!.payload.text).toContain('Шаг 8 из 8: пришлите фото техники');
    await me.press('Пропустить');

    expect(String(me.last!.payload.text).split('\n')).toEqual([
      'Проверьте новый заказ:',
      'Техника: Стиральная машина',
      'Неисправность: Не сливает воду',
      'Клиент: Иван Петров',
      'Адрес: Москва, Тверская 1, кв. 5',
      'Телефон: +79161234567',
      'Время: 25.05.2027 14:00',
    ]);
    expect(await count('SELECT count(*) AS n FROM orders')).toBe(0);

    const replies = await me.press('Подтвердить');

    // Assertions: the card, and the database
    const card = replies.find((c) => c.method === 'sendMessage')!;
    expect(card.payload.text).toMatch(/^Заказ №\d+ создан\.\n\nЗаказ №\d+ · Новый/);
    expect(buttonsOf(card)).toEqual(expect.arrayContaining(['👷 Назначить', '❌ Отказ', '🔄 Обновить']));
    const { rows } = await t.db.pool.query(
      `SELECT status, equipment_type, description, client_name, client_address, client_phone, notes, scheduled_at, dispatcher_id FROM orders`,
    );
    expect(rows).toEqual([
      {
        status: 'NEW',
        equipment_type: 'washing_machine',
        description: 'Не сливает воду',
        client_name: 'Иван Петров',
        client_address: 'Москва, Тверская 1, кв. 5',
        client_phone: '+79161234567',
        notes: null,
        scheduled_at: '2027-05-25T11:00:00.000000Z',
        dispatcher_id: anna.userId,
      },
    ]);
    expect(await count('SELECT count(*) AS n FROM bot_conversations')).toBe(0);
    expect(await auditOf(t.db, { action: 'order.create' })).toHaveLength(1);
  });

  it('pages through orders by status with keyset buttons', async () => {
    // Setup: 10 new orders (a page holds 8)
    const anna = await makeUser(t.db, ['DISPATCHER'], 'Anna');
    for (let i = 0; i < 10; i++) {
      await h.services.orders.create(
        anna,
        orderInput({ equipment_type: 'tv', description: `TV ${i}`, client_name: `Client ${i}`, client_address: 'Street 1', client_phone: '+79990000000' }),
      );
    }
    const me = h.user(anna.telegramId!, 'Anna');

    // Action
    await me.send('/orders');
    await me.press('Новый');
    const first = buttonsOf(me.last).filter((b) => b.startsWith('#'));
    await me.press('Далее');
    const second = buttonsOf(me.last).filter((b) => b.startsWith('#'));

    // Assertions: 8 + the rest, newest first, no overlap
    expect(first).toHaveLength(8);
    expect(second.length).toBeGreaterThanOrEqual(2);
    expect(me.last!.method).toBe('editMessageText');
    expect(new Set([...first, ...second]).size).toBe(first.length + second.length);
    const ids = [...first, ...second].map((b) => Number(/^#(\d+)/.exec(b)![1]));
    expect(ids).toEqual([...ids].sort((a, b) => b - a));
  });
});
