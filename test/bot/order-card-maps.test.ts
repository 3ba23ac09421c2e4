import { describe, expect, it } from 'vitest';
import { useTestDatabase } from '../support/db.ts';
import { makeMaster, makeUser, orderInput, telegramId } from '../support/fixtures.ts';
import { buttonsOf, keyboardOf, useBotHarness, workOrder } from './harness.ts';

/**
 * The staff's order card has the address on Yandex Maps and Google Maps
 * (issue #16): a search for the address, or the pinned point when there is
 * one. No geocoding. A client's own card carries none of it.
 */
const t = useTestDatabase();
const h = useBotHarness(t);

const ADDRESS = 'Москва, Тверская ул., 7 & кв. 5';
const q = encodeURIComponent(ADDRESS);

type UrlButton = { text: string; url?: string };
const urlButtons = (call: Parameters<typeof keyboardOf>[0]) =>
  keyboardOf(call)
    .flat()
    .filter((b): b is UrlButton & { callback_data: string } => 'url' in b);

describe('map links on the bot order card', () => {
  it('a dispatcher in Russian and one in English get the address as a map search on both maps, in a row of their own', async () => {
    // Setup
    const ru = await makeUser(t.db, ['DISPATCHER'], 'Анна');
    const en = await makeUser(t.db, ['DISPATCHER'], 'Jane');
    await t.db.pool.query(`UPDATE users SET language = 'en' WHERE id = $1`, [en.userId]);
    const { order } = await h.services.orders.create(ru, orderInput({ client_address: ADDRESS }));

    // Action
    const [ruCard] = await h.user(ru.telegramId!, 'Анна').send(`/order ${order.id}`);
    const [enCard] = await h.user(en.telegramId!, 'Jane', 'en').send(`/order ${order.id}`);

    // Assertions
    expect(urlButtons(ruCard)).toEqual([
      { text: '🗺 Яндекс Карты', url: `https://yandex.ru/maps/?text=${q}` },
      { text: '🗺 Google Maps', url: `https://www.google.com/maps/search/?api=1&query=${q}` },
    ]);
    expect(urlButtons(enCard)).toEqual([
      { text: '🗺 Yandex Maps', url: `https://yandex.ru/maps/?text=${q}` },
      { text: '🗺 Google Maps', url: `https://www.google.com/maps/search/?api=1&query=${q}` },
    ]);
    for (const card of [ruCard, enCard]) {
      const rows = keyboardOf(card);
      expect(rows.every((row) => row.length > 0)).toBe(true);
      expect(rows.find((row) => row.some((b) => 'url' in b))).toHaveLength(2);
    }
    expect(buttonsOf(ruCard)).toEqual(expect.arrayContaining(['👷 Назначить', '🔄 Обновить', '« К списку']));
  });

  it("the order's master gets the pinned point, beside the technician's check-in; another master gets no card", async () => {
    // Setup
    const anna = await makeUser(t.db, ['DISPATCHER'], 'Анна');
    const petr = await makeMaster(t.db, { name: 'Пётр Мастеров' });
    const other = await makeMaster(t.db, { name: 'Иван Чужой' });
    const { order } = await h.services.orders.create(anna, orderInput({ client_address: ADDRESS }));
    await h.services.places.pin(anna, order.id, { latitude: 55.7558, longitude: 37.6173 });
    await workOrder(h, { staff: anna, master: petr }, order.id, 'in_progress');
    await h.services.places.checkIn(petr, order.id, { latitude: 55.756, longitude: 37.618 }, null);

    // Action
    const [card] = await h.user(petr.telegramId!, 'Пётр').send(`/order ${order.id}`);
    const refused = await h.user(other.telegramId!, 'Иван').send(`/order ${order.id}`);

    // Assertions
    expect(urlButtons(card)).toEqual([
      { text: '🗺 Яндекс Карты', url: 'https://yandex.ru/maps/?pt=37.6173,55.7558&z=17&l=map' },
      { text: '🗺 Google Maps', url: 'https://www.google.com/maps/search/?api=1&query=55.7558,37.6173' },
      { text: '📍 Мастер на карте', url: 'https://yandex.ru/maps/?pt=37.618,55.756&z=17&l=map' },
    ]);
    expect(keyboardOf(card).every((row) => row.length > 0)).toBe(true);
    // The assignment message itself leads to the pinned point too
    const assigned = h.user(petr.telegramId!, 'Пётр').inbox.find((c) => String(c.payload.text).includes('Вам новый заказ'));
    expect(urlButtons(assigned)).toEqual([
      { text: '🗺 Яндекс Карты', url: 'https://yandex.ru/maps/?pt=37.6173,55.7558&z=17&l=map' },
      { text: '🗺 Google Maps', url: 'https://www.google.com/maps/search/?api=1&query=55.7558,37.6173' },
    ]);
    expect(refused.flatMap(urlButtons)).toEqual([]);
    expect(refused.map((c) => String(c.payload.text)).join('\n')).not.toContain(ADDRESS);
  });

  it("a client's card has no map links", async () => {
    // Setup
    const anna = await makeUser(t.db, ['DISPATCHER'], 'Анна');
    const { order } = await h.services.orders.create(anna, orderInput({ client_address: ADDRESS }));
    const dispatcher = h.user(anna.telegramId!, 'Анна');
    const [photo] = await dispatcher.send(`/client_link ${order.id}`);
    const token = /\?start=(c[A-Za-z0-9_-]{43})/.exec(String(photo!.payload.caption))![1]!;
    const client = h.user(telegramId(), 'Ольга');

    // Action
    const joined = await client.send(`/start ${token}`);

    // Assertions
    expect(joined.length).toBeGreaterThan(0);
    expect(joined.flatMap(urlButtons)).toEqual([]);
    expect(joined.map((c) => JSON.stringify(c.payload)).join('\n')).not.toContain('maps');
  });
});
