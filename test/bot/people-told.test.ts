import { describe, expect, it } from 'vitest';
import { encode } from '../../src/bot/callback-data.ts';
import type { Principal } from '../../src/users/principal.ts';
import { useTestDatabase } from '../support/db.ts';
import { makeMaster, makeUser, telegramId } from '../support/fixtures.ts';
import { tokenFor } from '../http/support.ts';
import { removesKeyboard, replyKeyboardOf, useBotHarness } from './harness.ts';

/**
 * A person is told when they get a role, are registered as a master, are
 * approved or switched on or off (issue #12), whichever edge made the
 * change: the HTTP API tells them as the bot does, in their language,
 * once; the bot does not tell them twice.
 */
const t = useTestDatabase();
const h = useBotHarness(t);

async function call(admin: Principal, method: string, path: string, body?: unknown): Promise<{ status: number; body: Record<string, unknown> }> {
  const res = await fetch(`http://127.0.0.1:${h.http.port}${path}`, {
    method,
    headers: { authorization: `Bearer ${await tokenFor(t.db, admin)}`, 'content-type': 'application/json' },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const answer = (await res.json()) as Record<string, unknown>;
  await h.telegram.idle(); // what the change announced has gone out
  return { status: res.status, body: answer };
}

const textsTo = (chatId: number) => h.stub.messagesTo(chatId).map((c) => c.payload.text as string);

describe('people hear of changes made through the HTTP API', () => {
  it('a master registered, approved and deactivated through the API is told each step once, in English, and the menu follows', async () => {
    // Setup: the person has written to the bot before, in English
    const boss = await makeUser(t.db, ['ADMIN'], 'Boss');
    const newcomer = h.user(telegramId(), 'Sam Fixer', 'en');
    await newcomer.send('/start');
    const before = newcomer.inbox.length;

    // Action
    const created = await call(boss, 'POST', '/api/v1/masters', { telegram_id: newcomer.id, phone: '+79995554433', specialization: 'Fridges' });
    const id = Number(created.body.id);
    const approved = await call(boss, 'POST', `/api/v1/masters/${id}/approve`);
    const again = await call(boss, 'POST', `/api/v1/masters/${id}/approve`);
    const deactivated = await call(boss, 'POST', `/api/v1/masters/${id}/deactivate`);

    // Assertions
    expect([created.status, approved.status, again.status, deactivated.status]).toEqual([201, 200, 200, 200]);
    const told = newcomer.inbox.slice(before);
    expect(told.map((c) => c.payload.text)).toEqual([
      "Hello, Sam Fixer! You are registered as a master and are waiting for an admin's approval.\nOrders will appear here once you are approved. /language changes the language.",
      '✅ You are approved as a master: you will receive orders here.',
      '⛔ Your master account is deactivated: no new orders for now.',
    ]);
    expect(removesKeyboard(told[0])).toBe(true);
    expect(replyKeyboardOf(told[1])!.flat()).toEqual(expect.arrayContaining(['🧰 My orders']));
    expect(removesKeyboard(told[2])).toBe(true);
    const commands = h.stub.callsOf('setMyCommands').filter((c) => (c.payload.scope as { chat_id?: number }).chat_id === newcomer.id);
    expect(commands.map((c) => (c.payload.commands as Array<{ command: string }>).some((x) => x.command === 'my'))).toEqual([false, true, false]);
  });

  it('roles set through the API are told to the person in Russian once; the same roles again and an admin changing their own tell nobody', async () => {
    // Setup
    const boss = await makeUser(t.db, ['ADMIN'], 'Boss');
    const person = h.user(telegramId(), 'Анна');
    await person.send('/start');
    const before = person.inbox.length;

    // Action
    const given = await call(boss, 'PUT', `/api/v1/users/${person.id}/roles`, { roles: ['DISPATCHER'] });
    const same = await call(boss, 'PUT', `/api/v1/users/${person.id}/roles`, { roles: ['DISPATCHER'] });
    const own = await call(boss, 'PUT', `/api/v1/users/${boss.telegramId}/roles`, { roles: ['ADMIN', 'DISPATCHER'] });

    // Assertions
    expect([given.status, same.status, own.status]).toEqual([200, 200, 200]);
    expect(textsTo(person.id).slice(before)).toEqual(['Ваши роли изменены: диспетчер. Команды обновлены, откройте меню: /start']);
    expect(replyKeyboardOf(person.last)!.flat()).toEqual(expect.arrayContaining(['➕ Новый заказ']));
    expect(textsTo(boss.telegramId!)).toEqual([]);
  });

  it('a role taken away through the API is told too', async () => {
    // Setup
    const boss = await makeUser(t.db, ['ADMIN'], 'Boss');
    const dispatcher = await makeUser(t.db, ['DISPATCHER'], 'Вера');

    // Action
    const res = await call(boss, 'PUT', `/api/v1/users/${dispatcher.telegramId}/roles`, { roles: [] });

    // Assertions
    expect(res.status).toBe(200);
    expect(textsTo(dispatcher.telegramId!)).toEqual(['У вас больше нет ролей в боте сервиса ремонта.']);
    expect(removesKeyboard(h.stub.messagesTo(dispatcher.telegramId!).at(-1))).toBe(true);
  });
});

describe('the bot path tells the person exactly once', () => {
  it('approving and activating from the master card sends one message each', async () => {
    // Setup
    const boss = await makeUser(t.db, ['ADMIN'], 'Boss');
    const pending = await makeMaster(t.db, { approved: false, name: 'Пётр Ждущий' });
    const admin = h.user(boss.telegramId!, 'Boss');

    // Action
    await admin.act('Boss opens the master card', admin.callbackUpdate(encode({ type: 'masterCard', masterId: pending.masterId }), 1));
    await admin.press('Одобрить');
    await admin.press('Отключить');
    await admin.press('Включить');

    // Assertions
    expect(textsTo(pending.telegramId!)).toEqual([
      '✅ Вы одобрены как мастер: заказы будут приходить сюда.',
      '⛔ Ваша учётная запись мастера отключена: новых заказов пока не будет.',
      '▶️ Ваша учётная запись мастера снова активна.',
    ]);
  });

  it('a role given in the users screen sends one message; the admin is not told about their own screen', async () => {
    // Setup
    const boss = await makeUser(t.db, ['ADMIN'], 'Boss');
    const person = await makeUser(t.db, [], 'Олег Новый');
    const admin = h.user(boss.telegramId!, 'Boss');

    // Action
    await admin.act('Boss opens the user card', admin.callbackUpdate(encode({ type: 'userCard', telegramId: person.telegramId! }), 1));
    await admin.press('диспетчер');

    // Assertions
    expect(textsTo(person.telegramId!)).toEqual(['Ваши роли изменены: диспетчер. Команды обновлены, откройте меню: /start']);
    expect(textsTo(boss.telegramId!).filter((text) => text.startsWith('Ваши роли'))).toEqual([]);
  });
});
