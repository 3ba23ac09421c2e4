import { describe, expect, it } from 'vitest';
import { useTestDatabase } from '../support/db.ts';
import { makeUser, orderInput } from '../support/fixtures.ts';
import { buttonsOf, useBotHarness } from './harness.ts';

const t = useTestDatabase();
const h = useBotHarness(t);

async function startDialogue(me: ReturnType<typeof h.user>) {
  await me.send('/start');
  await me.press('Новый заказ');
  await me.press('Стиральные машины');
  await me.send('Не отжимает');
  await me.send('И. Петров');
  await me.send('Тверская');
}

describe('a returning client in the new-order dialogue', () => {
  it('is recognised by a phone typed another way; the stored name and address are offered; an open order is warned of', async () => {
    // Setup: an earlier order of this client, still open, stored as +7...
    const anna = await makeUser(t.db, ['DISPATCHER'], 'Anna');
    const { order } = await h.services.orders.create(
      anna,
      orderInput({ client_phone: '+7 916 123-45-67', client_name: 'Иван Петров', client_address: 'Москва, Тверская 1, кв. 5' }),
    );
    // An older order imported from the legacy bot, its phone still spelt 8 916...
    const { order: imported } = await h.services.orders.create(anna, orderInput({ client_name: 'Петров' }));
    await t.db.pool.query(
      `UPDATE orders SET client_phone = '89161234567', status = 'REFUSED', refuse_reason = 'Передумал', created_at = now() - interval '1 year' WHERE id = $1`,
      [imported.id],
    );
    const me = h.user(anna.telegramId!, 'Anna');
    await startDialogue(me);

    // Action: the same number, typed with 8
    const said = await me.send('8 (916) 123-45-67');

    // Assertions
    const info = said.find((c) => String(c.payload.text).startsWith('👤'))!;
    expect(String(info.payload.text).split('\n')).toEqual([
      expect.stringMatching(
        new RegExp(`^👤 Клиент уже обращался: заказов — 2\\. Последний: №${order.id} от \\d{2}\\.\\d{2}\\.\\d{4} · Стиральная машина · Новый\\.$`),
      ),
      'В прошлый раз: Иван Петров, Москва, Тверская 1, кв. 5.',
      `⚠️ У клиента есть открытый заказ №${order.id}: возможно, новый — дубликат.`,
    ]);
    expect(buttonsOf(info)).toEqual(['Взять имя и адрес оттуда', `Открыть №${order.id}`]);

    await me.press('Взять имя и адрес оттуда');
    expect(me.last!.payload.text).toBe('Имя и адрес взяты из прошлого заказа: Иван Петров, Москва, Тверская 1, кв. 5.');
    await me.press('Пропустить'); // notes
    await me.press('Пропустить'); // time
    await me.press('Пропустить'); // photos of the appliance
    expect(me.last!.payload.text).toContain('Клиент: Иван Петров');
    expect(me.last!.payload.text).toContain('Адрес: Москва, Тверская 1, кв. 5');
    await me.press('Подтвердить');
    const { rows } = await t.db.pool.query('SELECT client_phone, client_name FROM orders ORDER BY id');
    expect(rows).toEqual([
      { client_phone: '+79161234567', client_name: 'Иван Петров' },
      { client_phone: '89161234567', client_name: 'Петров' },
      { client_phone: '+79161234567', client_name: 'Иван Петров' },
    ]);
  });

  it('says nothing about a number never seen', async () => {
    const boris = await makeUser(t.db, ['DISPATCHER'], 'Boris');
    const me = h.user(boris.telegramId!, 'Boris');
    await startDialogue(me);

    const said = await me.send('+44 20 7946 0000');

    expect(said.some((c) => String(c.payload.text).includes('Клиент уже обращался'))).toBe(false);
  });
});
