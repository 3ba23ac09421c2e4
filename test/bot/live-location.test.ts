import { beforeAll, describe, expect, it } from 'vitest';
import type { Principal } from '../../src/users/principal.ts';
import { useTestDatabase } from '../support/db.ts';
import { makeMaster, makeUser, orderInput } from '../support/fixtures.ts';
import { auditOf } from '../support/reads.ts';
import { buttonsOf, keyboardOf, updateId, useBotHarness, workOrder } from './harness.ts';

/**
 * "On site" with a live location: the check-in follows the shared message's
 * edits while the sharing lasts, and the dispatcher reads the latest point,
 * when it was seen and how far it is from the pin on the order card.
 */
const t = useTestDatabase();
const h = useBotHarness(t);

let anna: Principal;

beforeAll(async () => {
  anna = await makeUser(t.db, ['DISPATCHER'], 'Anna');
});

const PIN = { latitude: 55.7558, longitude: 37.6173 };
const now = () => Math.floor(Date.now() / 1000);
const chat = (id: number, name: string) => ({ chat: { id, type: 'private', first_name: name }, from: { id, is_bot: false, first_name: name } });

/** The message that starts sharing: Telegram's own send time and live_period. */
function liveMessage(from: { id: number; name: string }, messageId: number, date: number, at: { latitude: number; longitude: number }): object {
  return { update_id: updateId(), message: { message_id: messageId, date, ...chat(from.id, from.name), location: { ...at, live_period: 900 } } };
}

/** Telegram's edit of that message as the master moves (no live_period: the sharing stopped). */
function moved(from: { id: number; name: string }, messageId: number, date: number, at: { latitude: number; longitude: number }, live = true): object {
  const location = live ? { ...at, live_period: 900 } : at;
  return { update_id: updateId(), edited_message: { message_id: messageId, date, edit_date: now(), ...chat(from.id, from.name), location } };
}

async function onSite() {
  const petr = await makeMaster(t.db, { name: 'Пётр Мастеров' });
  const { order } = await h.services.orders.create(anna, orderInput());
  await h.services.places.pin(anna, order.id, PIN);
  await workOrder(h, { staff: anna, master: petr }, order.id, 'in_progress');
  return { petr, orderId: order.id, master: h.user(petr.telegramId!, 'Пётр') };
}

describe('a live location on site', () => {
  it('moves the check-in with each edit, silently, until the master stops sharing; the card shows the last point', async () => {
    // Setup
    const { orderId, master } = await onSite();
    const dispatcher = h.user(anna.telegramId!, 'Anna');
    const other = h.user((await makeMaster(t.db)).telegramId!, 'Иван');
    const sent = now();

    // Action: shares, moves twice, someone else "edits" the same message id in his chat, stops, then a late edit.
    const started = await master.act('Пётр shares his live location', liveMessage(master, 7001, sent, { latitude: 55.76, longitude: 37.6173 }));
    const told = String(dispatcher.last!.payload.text);
    const firstMove = await master.act('Telegram: Пётр moved', moved(master, 7001, sent, { latitude: 55.758, longitude: 37.6173 }));
    await master.act('Telegram: Пётр moved again', moved(master, 7001, sent, { latitude: 55.7567, longitude: 37.6173 }));
    const following = await h.services.places.of(anna, orderId);
    const card = (await dispatcher.send(`/order ${orderId}`)).at(-1)!;
    const forged = await other.act('Иван edits a message 7001 of his own', moved(other, 7001, sent, { latitude: 10, longitude: 10 }));
    await master.act('Telegram: Пётр stopped sharing', moved(master, 7001, sent, { latitude: 55.7567, longitude: 37.6173 }, false));
    const late = await master.act('Telegram: a late edit after the stop', moved(master, 7001, sent, { latitude: 55.9, longitude: 37.9 }));
    const stopped = await h.services.places.of(anna, orderId);

    // Assertions
    expect(String(started[0]!.payload.text)).toBe(
      `📍 Отметка на месте по заказу №${orderId} сохранена. Пока вы делитесь геопозицией, диспетчер видит, где вы.`,
    );
    expect(told.split('\n')).toEqual([
      `📍 Мастер Пётр Мастеров отметился на месте по заказу №${orderId}.`,
      'От метки адреса: 467 м.',
      expect.stringMatching(/^Геопозиция транслируется до \d\d\.\d\d\.\d{4} \d\d:\d\d: последнее место — в карточке заказа\.$/),
      'https://yandex.ru/maps/?pt=37.6173,55.76&z=17&l=map',
      'https://www.google.com/maps/search/?api=1&query=55.76,37.6173',
    ]);
    expect(firstMove).toEqual([]);
    expect(following).toMatchObject({ checkIn: { latitude: 55.7567, live: true }, distance: 100 });
    expect(Date.parse(following.checkIn!.live_until!)).toBe((sent + 900) * 1000);
    expect(String(card.payload.text)).toMatch(
      /📍 Мастер делится геопозицией до \d\d\.\d\d\.\d{4} \d\d:\d\d, последний раз виден: .+\. От метки адреса: 100 м\./,
    );
    expect(keyboardOf(card).flat()).toContainEqual({ text: '📍 Мастер на карте', url: 'https://yandex.ru/maps/?pt=37.6173,55.7567&z=17&l=map' });
    expect(forged).toEqual([]);
    expect(late).toEqual([]);
    expect(stopped.checkIn).toMatchObject({ latitude: 55.7567, longitude: 37.6173 });
    expect(Date.parse(stopped.checkIn!.live_until!)).toBeLessThanOrEqual(Date.now());
    expect(stopped.distance).toBe(100);
    expect((await auditOf(t.db, { action: 'order.place_live', entityId: orderId })).map((a) => a.details)).toEqual([
      { stopped: false },
      { stopped: false },
      { stopped: true },
    ]);
  });

  it('is not followed past its live period, nor once the order has left the site', async () => {
    // Setup
    const { petr, orderId, master } = await onSite();
    const dispatcher = h.user(anna.telegramId!, 'Anna');
    const longAgo = now() - 1000; // shared 1000 s ago for 900 s: over

    // Action
    await master.act('Пётр shared a live location that has since ended', liveMessage(master, 7101, longAgo, { latitude: 55.7567, longitude: 37.6173 }));
    const afterEnd = await master.act('Telegram: an edit after the period', moved(master, 7101, longAgo, { latitude: 55.9, longitude: 37.9 }));
    const ended = await h.services.places.of(anna, orderId);
    const card = String((await dispatcher.send(`/order ${orderId}`)).at(-1)!.payload.text);
    await master.act('Пётр shares live again', liveMessage(master, 7102, now(), { latitude: 55.7567, longitude: 37.6173 }));
    await h.services.workflow.act(petr, orderId, 'complete', { total_amount: '1000', materials_cost: '0', has_review: false, out_of_city: false });
    await h.telegram.idle();
    await master.act('Telegram: an edit after completing', moved(master, 7102, now(), { latitude: 55.9, longitude: 37.9 }));
    const completed = await h.services.places.of(anna, orderId);

    // Assertions
    expect(afterEnd).toEqual([]);
    expect(ended.checkIn).toMatchObject({ latitude: 55.7567, live: true });
    expect(card).toMatch(/📍 Мастер отметился на месте: .+\. От метки адреса: 100 м\./);
    expect(completed.checkIn).toMatchObject({ latitude: 55.7567 });
    expect(await auditOf(t.db, { action: 'order.place_live', entityId: orderId })).toEqual([]);
  });
});

describe('a plain location', () => {
  it('checks in once, and the card says when, without a live line', async () => {
    // Setup
    const { orderId, master } = await onSite();
    const dispatcher = h.user(anna.telegramId!, 'Anna');

    // Action
    const [reply] = await master.act('Пётр sends his location', {
      update_id: updateId(),
      message: { message_id: 7201, date: now(), ...chat(master.id, 'Пётр'), location: { latitude: 55.7558, longitude: 37.6173 } },
    });
    const card = (await dispatcher.send(`/order ${orderId}`)).at(-1)!;

    // Assertions
    expect(String(reply!.payload.text)).toBe(`📍 Отметка на месте по заказу №${orderId} сохранена.`);
    expect(String(card.payload.text)).toMatch(/📍 Мастер отметился на месте: .+\. От метки адреса: 0 м\./);
    expect(buttonsOf(card)).toContain('📍 Мастер на карте');
  });
});

describe('other edited messages', () => {
  it('are not answered: an edit is no new word, from staff or from a stranger', async () => {
    // Setup
    const stranger = h.user(990_000_777, 'Незнакомец');
    const dispatcher = h.user(anna.telegramId!, 'Anna');
    const edit = (who: { id: number; name: string }) => ({
      update_id: updateId(),
      edited_message: { message_id: 1, date: now() - 60, edit_date: now(), ...chat(who.id, who.name), text: 'исправил опечатку' },
    });

    // Action
    const fromStranger = await stranger.act('a stranger edits a message', edit(stranger));
    const fromStaff = await dispatcher.act('Anna edits a message', edit(dispatcher));

    // Assertions
    expect(fromStranger).toEqual([]);
    expect(fromStaff).toEqual([]);
  });
});
