import { describe, expect, it } from 'vitest';
import { useTestDatabase } from '../support/db.ts';
import { makeMaster, makeUser, orderInput, telegramId } from '../support/fixtures.ts';
import { buttonsOf, removesKeyboard, replyKeyboardOf, updateId, useBotHarness, type Group } from './harness.ts';

/**
 * The persistent main menu under the input field (a reply keyboard), per
 * role, in the reader's language: shown after /start, a role change and
 * approval; a tap does what the matching command does and ends an open
 * dialogue out loud; clients, pending masters and strangers get none, and
 * no group gets one.
 */
const t = useTestDatabase();
const h = useBotHarness(t);

const STAFF_PERSISTENT = { is_persistent: true, resize_keyboard: true };

/** The commands last set for a person's private chat. */
const commandsOf = (chatId: number) =>
  (
    h.stub
      .callsOf('setMyCommands')
      .filter((c) => (c.payload.scope as { chat_id?: number } | undefined)?.chat_id === chatId)
      .at(-1)?.payload.commands as Array<{ command: string }>
  ).map((c) => c.command);

describe('the reply-keyboard main menu', () => {
  it('comes with approval and role changes; pending masters, clients and strangers get none', async () => {
    // Setup
    const bossP = await makeUser(t.db, ['ADMIN'], 'Boss Roles');
    const boss = h.user(bossP.telegramId!, 'Boss Roles');
    const waiting = await makeMaster(t.db, { name: 'Вася Ждёт', approved: false });
    const vasya = h.user(waiting.telegramId!, 'Вася Ждёт');
    const olga = await makeUser(t.db, [], 'Olga Roles');

    // Action: the pending master writes; the admin approves him; the admin makes Olga a dispatcher, then takes it back
    const [pending] = await vasya.send('/start');
    await boss.send('/masters');
    await boss.press('Вася Ждёт');
    await boss.press('Одобрить');
    const approved = vasya.last;
    await boss.send('/users');
    await boss.press('Olga Roles');
    await boss.press('диспетчер');
    const granted = h.stub.messagesTo(olga.telegramId!).at(-1);
    await boss.press('✓ диспетчер');
    await boss.press('Да, снять роль');
    const revoked = h.stub.messagesTo(olga.telegramId!).at(-1);
    const [stranger] = await h.user(telegramId(), 'Visitor').send('/start');

    // Assertions
    expect(removesKeyboard(pending)).toBe(true);
    expect(approved!.payload.text).toContain('одобрены');
    expect(replyKeyboardOf(approved)).toEqual([['🧰 Мои заказы', '📈 Мои показатели'], ['🌐 Язык']]);
    expect(replyKeyboardOf(granted)).toEqual([
      ['➕ Новый заказ', '📋 Заказы'],
      ['🔎 Поиск', '📊 Отчёты'],
      ['🖥 Пульт', '🌐 Язык'],
    ]);
    expect(removesKeyboard(revoked)).toBe(true);
    expect(removesKeyboard(stranger)).toBe(true);
  });

  it('has each role’s buttons after /start, in the person’s language', async () => {
    // Setup
    const bossP = await makeUser(t.db, ['ADMIN'], 'Boss');
    const boss = h.user(bossP.telegramId!, 'Boss');
    const anna = h.user((await makeUser(t.db, ['DISPATCHER'], 'Anna')).telegramId!, 'Anna');
    const pyotr = await makeMaster(t.db, { name: 'Pyotr' });
    const master = h.user(pyotr.telegramId!, 'Pyotr');
    const john = await makeUser(t.db, ['ADMIN', 'MASTER'], 'John');
    await h.services.users.setLanguage(john, 'en');
    const english = h.user(john.telegramId!, 'John', 'en');

    // Action
    const [admin] = await boss.send('/start');
    const [dispatcher] = await anna.send('/start');
    const [worker] = await master.send('/start');
    const [en] = await english.send('/start');
    await h.services.settings.set(bossP, 'dispatchersReadReports', false);
    const [withoutReports] = await anna.send('/start');
    const [helpWithout] = await anna.send('/help');
    const commandsWithout = commandsOf(anna.id);
    await h.services.settings.set(bossP, 'dispatchersReadReports', true);
    const [helpWith] = await anna.send('/help');

    // Assertions
    expect(replyKeyboardOf(admin)).toEqual([
      ['➕ Новый заказ', '📋 Заказы'],
      ['🔎 Поиск', '📊 Отчёты'],
      ['👷 Мастера', '👥 Пользователи'],
      ['🖥 Пульт', '🌐 Язык'],
    ]);
    expect(admin!.payload.reply_markup).toMatchObject(STAFF_PERSISTENT);
    // A dispatcher reads reports while the setting allows it (as by default); see below for when it does not.
    expect(replyKeyboardOf(dispatcher)).toEqual([
      ['➕ Новый заказ', '📋 Заказы'],
      ['🔎 Поиск', '📊 Отчёты'],
      ['🖥 Пульт', '🌐 Язык'],
    ]);
    expect(replyKeyboardOf(withoutReports)).toEqual([['➕ Новый заказ', '📋 Заказы'], ['🔎 Поиск'], ['🖥 Пульт', '🌐 Язык']]);
    // ...and neither /help, nor the command menu, nor the inline menu offers what the setting forbids
    expect(helpWithout!.payload.text).not.toContain('/reports');
    expect(buttonsOf(helpWithout)).not.toContain('📊 Отчёты');
    expect(commandsWithout).not.toContain('reports');
    expect(helpWith!.payload.text).toContain('/reports');
    expect(buttonsOf(helpWith)).toContain('📊 Отчёты');
    expect(replyKeyboardOf(worker)).toEqual([['🧰 Мои заказы', '📈 Мои показатели'], ['🌐 Язык']]);
    expect(worker!.payload.reply_markup).toMatchObject(STAFF_PERSISTENT);
    // John is an admin without a masters row: no master buttons until he is a usable master.
    expect(replyKeyboardOf(en)).toEqual([
      ['➕ New order', '📋 Orders'],
      ['🔎 Search', '📊 Reports'],
      ['👷 Masters', '👥 Users'],
      ['🖥 Console', '🌐 Language'],
    ]);
  });

  it('a tap does what the command does, in either language, and is never taken as an answer', async () => {
    // Setup
    const anna = await makeUser(t.db, ['DISPATCHER'], 'Anna Taps');
    const pyotr = await makeMaster(t.db, { name: 'Pyotr Taps' });
    await h.services.orders.create(anna, orderInput({ client_address: 'Тверская 7' }));
    const me = h.user(anna.telegramId!, 'Anna Taps');
    const master = h.user(pyotr.telegramId!, 'Pyotr Taps');
    await me.send('/start');
    await master.send('/start');

    // Action
    const [byCommand] = await me.send('/orders');
    const [byTap] = await me.press('📋 Заказы');
    const [myByCommand] = await master.send('/my');
    const [myByTap] = await master.press('🧰 Мои заказы');
    // A keyboard from before a switch to English still works (Telegram keeps it until a new one comes).
    await h.services.users.setLanguage(anna, 'en');
    const [oldLabel] = await me.send('📋 Заказы');

    // Assertions
    expect(byTap!.payload.text).toBe(byCommand!.payload.text);
    expect(byTap!.payload.reply_markup).toEqual(byCommand!.payload.reply_markup);
    expect(myByTap!.payload.text).toBe(myByCommand!.payload.text);
    expect(oldLabel!.payload.text).toBe('Orders by status:');
  });

  it('a tap while an order draft is open ends it out loud; the language button leaves it open', async () => {
    // Setup
    const anna = await makeUser(t.db, ['DISPATCHER'], 'Anna Drafts');
    const me = h.user(anna.telegramId!, 'Anna Drafts');
    await me.send('/start');
    await me.press('Новый заказ');
    await me.press('Стиральные машины');

    // Action: the language button mid-dialogue, then the orders button
    const language = await me.press('🌐 Язык');
    const stillOpen = await me.send('Не сливает воду');
    const orders = await me.press('📋 Заказы');

    // Assertions
    expect(language.map((c) => c.payload.text)).toEqual(['Выберите язык:']);
    expect(String(stillOpen[0]!.payload.text)).toContain('Шаг 3 из 8');
    expect(orders.map((c) => c.payload.text)).toEqual(['Черновик заказа отменён.', 'Заказы по статусам:']);
    const { rows } = await t.db.pool.query(`SELECT count(*)::int AS n FROM bot_conversations WHERE user_id = $1`, [anna.userId]);
    expect(rows).toEqual([{ n: 0 }]);
  });

  it('a client who opens their link loses any keyboard, and a staff label typed by a client shows their order', async () => {
    // Setup
    const anna = await makeUser(t.db, ['DISPATCHER'], 'Anna Links');
    const { order } = await h.services.orders.create(anna, orderInput());
    const [photo] = await h.user(anna.telegramId!, 'Anna Links').send(`/client_link ${order.id}`);
    const token = /start=(c[A-Za-z0-9_-]{43})/.exec(String(photo!.payload.caption))![1]!;
    const client = h.user(telegramId(), 'Ольга Клиент');

    // Action
    const [welcome] = await client.send(`/start ${token}`);
    const typed = await client.send('📋 Заказы');

    // Assertions
    expect(removesKeyboard(welcome)).toBe(true);
    expect(typed).toHaveLength(1);
    expect(String(typed[0]!.payload.text)).toContain(`Заказ №${order.id}`);
    expect(replyKeyboardOf(typed[0])).toBeNull();
  });

  it('a group gets no personal keyboard, and a label typed there is nobody’s tap', async () => {
    // Setup
    const anna = await makeUser(t.db, ['DISPATCHER'], 'Anna Group');
    const group: Group = { id: -100_000_000_000 - updateId(), type: 'supergroup', title: 'Диспетчерская' };
    const me = h.user(anna.telegramId!, 'Anna Group');

    // Action
    const start = await me.sendIn(group, '/start@repair_test_bot');
    const typed = await me.sendIn(group, '📋 Заказы');

    // Assertions
    expect(start.length).toBeGreaterThan(0);
    for (const call of start) expect(replyKeyboardOf(call)).toBeNull();
    expect(typed).toEqual([]);
  });
});
