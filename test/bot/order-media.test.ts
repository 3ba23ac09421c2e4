import { beforeAll, describe, expect, it } from 'vitest';
import { ConflictError } from '../../src/errors.ts';
import type { Principal } from '../../src/users/principal.ts';
import { useTestDatabase } from '../support/db.ts';
import { makeMaster, makeUser, orderInput } from '../support/fixtures.ts';
import { updateId, useBotHarness, workOrder } from './harness.ts';

/** Photos and places of an order from Telegram: attach, see as an album, pin the address, check in on site. */
const t = useTestDatabase();
const h = useBotHarness(t);

let anna: Principal;
let admin: Principal;
let petr: Principal & { masterId: number };

beforeAll(async () => {
  anna = await makeUser(t.db, ['DISPATCHER'], 'Anna');
  admin = await makeUser(t.db, ['ADMIN'], 'Olga Admin');
  petr = await makeMaster(t.db, { name: 'Пётр Мастеров' });
});

function media(from: number, name: string, content: Record<string, unknown>): object {
  const id = updateId();
  return {
    update_id: id,
    message: {
      message_id: id,
      date: Math.floor(Date.now() / 1000),
      chat: { id: from, type: 'private' },
      from: { id: from, is_bot: false, first_name: name },
      ...content,
    },
  };
}
const photo = (unique: string) => ({
  photo: [
    { file_id: `small-${unique}`, file_unique_id: `s${unique}`, width: 90, height: 90 },
    { file_id: `big-${unique}`, file_unique_id: unique, width: 1280, height: 960 },
  ],
});
const rows = async (sql: string, ...params: unknown[]) => (await t.db.pool.query(sql, params)).rows;

describe('photos of an order', () => {
  it('are attached by the master at a stage, kept once each, and sent back to staff as an album', async () => {
    // Setup
    const { order } = await h.services.orders.create(anna, orderInput());
    await workOrder(h, { staff: anna, master: petr }, order.id, 'in_progress');
    const master = h.user(petr.telegramId!, 'Пётр');
    const dispatcher = h.user(anna.telegramId!, 'Anna');

    // Action
    await master.send(`/photo ${order.id}`);
    await master.press('После работ');
    const first = await master.act('Пётр sends a photo', media(master.id, 'Пётр', photo('after-1')));
    await master.act('Пётр sends a second photo', media(master.id, 'Пётр', photo('after-2')));
    const again = await master.act('Пётр sends the first photo again', media(master.id, 'Пётр', photo('after-1')));
    await master.press('Готово');
    const done = String(master.last!.payload.text);
    const album = await dispatcher.send(`/photos ${order.id}`);
    const stranger = await h.user((await makeMaster(t.db)).telegramId!, 'Иван').send(`/photos ${order.id}`);

    // Assertions
    expect(String(first[0]!.payload.text)).toBe('Сохранено.');
    expect(String(again[0]!.payload.text)).toBe('Этот файл уже прикреплён.');
    expect(done).toBe(`К заказу №${order.id} прикреплено файлов: 2. Посмотреть: /photos ${order.id}`);
    expect(await rows('SELECT stage, media, file_id FROM order_attachments WHERE order_id = $1 ORDER BY id', order.id)).toEqual([
      { stage: 'after', media: 'photo', file_id: 'big-after-1' },
      { stage: 'after', media: 'photo', file_id: 'big-after-2' },
    ]);
    expect(album.map((c) => c.method)).toEqual(['sendMediaGroup']);
    expect(album[0]!.payload.media).toMatchObject([
      { type: 'photo', media: 'big-after-1', caption: `Заказ №${order.id}: фото 1–2 из 2\n✅ После работ · Пётр Мастеров` },
      { type: 'photo', media: 'big-after-2' },
    ]);
    expect(stranger.map((c) => String(c.payload.text)).join()).not.toContain('После работ');
  });

  it('can be required before completing: the master is told, then completes once a photo is attached', async () => {
    // Setup
    await h.services.settings.set(admin, 'completionNeedsAfterPhoto', true);
    const { order } = await h.services.orders.create(anna, orderInput());
    await workOrder(h, { staff: anna, master: petr }, order.id, 'in_progress');
    const money = { total_amount: '3000', materials_cost: '0', has_review: false, out_of_city: false };

    // Action
    const refused = await h.services.workflow.act(petr, order.id, 'complete', money).catch((err: unknown) => err);
    await h.services.attachments.add(petr, order.id, { stage: 'after', media: 'photo', fileId: 'f1', fileUniqueId: `u${order.id}`, fileName: null });
    const completed = await h.services.workflow.act(petr, order.id, 'complete', money);
    await h.services.settings.set(admin, 'completionNeedsAfterPhoto', false);

    // Assertions
    expect(refused).toBeInstanceOf(ConflictError);
    expect(refused).toMatchObject({ field: 'photo' });
    expect(completed.status).toBe('COMPLETED');
  });
});

describe('places of an order', () => {
  it('a dispatcher pins the address; the master on site checks in; the dispatcher sees where, and how far from the pin', async () => {
    // Setup
    // A master with no other job on site (a location is taken for the job he is at).
    const petr = await makeMaster(t.db, { name: 'Пётр Мастеров' });
    const { order } = await h.services.orders.create(anna, orderInput());
    await workOrder(h, { staff: anna, master: petr }, order.id, 'accepted');
    const master = h.user(petr.telegramId!, 'Пётр');
    const dispatcher = h.user(anna.telegramId!, 'Anna');

    // Action
    await dispatcher.send(`/pin ${order.id}`);
    const pinned = await dispatcher.act('Anna sends the address point', media(dispatcher.id, 'Anna', { location: { latitude: 55.7558, longitude: 37.6173 } }));
    const early = await master.act('Пётр sends his location before arriving', media(master.id, 'Пётр', { location: { latitude: 55.7, longitude: 37.5 } }));
    await h.services.workflow.act(petr, order.id, 'arrive', {});
    await h.telegram.idle();
    const checkIn = await master.act('Пётр sends his location on site', media(master.id, 'Пётр', { location: { latitude: 55.7567, longitude: 37.6173 } }));
    const told = String(dispatcher.last!.payload.text);
    const places = await h.services.places.of(anna, order.id);

    // Assertions
    expect(String(pinned[0]!.payload.text)).toBe(`Адрес заказа №${order.id} отмечен на карте.`);
    expect(String(early[0]!.payload.text)).toContain('когда вы на заказе');
    expect(String(checkIn[0]!.payload.text)).toBe(`📍 Отметка на месте по заказу №${order.id} сохранена.`);
    expect(told.split('\n')).toEqual([
      `📍 Мастер Пётр Мастеров отметился на месте по заказу №${order.id}.`,
      'От метки адреса: 100 м.',
      'https://yandex.ru/maps/?pt=37.6173,55.7567&z=17&l=map',
      'https://www.google.com/maps/search/?api=1&query=55.7567,37.6173',
    ]);
    expect(places).toMatchObject({ pin: { latitude: 55.7558 }, checkIn: { latitude: 55.7567, live: false, live_until: null }, distance: 100 });
  });
});
