import { describe, expect, it } from 'vitest';
import { useTestDatabase } from '../support/db.ts';
import { makeMaster, makeUser, orderInput, telegramId } from '../support/fixtures.ts';
import { buttonsOf, useBotHarness, type Group } from './harness.ts';

const t = useTestDatabase();
const h = useBotHarness(t);

let nextGroup = -1_000_100;
const newGroup = (title: string): Group => ({ id: nextGroup--, type: 'group', title });

async function workChatOf(masterId: number): Promise<number | null> {
  const { rows } = await t.db.pool.query<{ work_chat_id: string | null }>(`SELECT work_chat_id FROM masters WHERE id = $1`, [masterId]);
  return rows[0]!.work_chat_id === null ? null : Number(rows[0]!.work_chat_id);
}

async function statusOf(orderId: number): Promise<string> {
  const { rows } = await t.db.pool.query<{ status: string }>(`SELECT status FROM orders WHERE id = $1`, [orderId]);
  return rows[0]!.status;
}

/** Sets up an admin, a dispatcher and a master whose group the admin linked by adding the bot to it. */
async function linkedTeam(title: string, masterName: string) {
  const boss = await makeUser(t.db, ['ADMIN'], 'Boss');
  const anna = await makeUser(t.db, ['DISPATCHER'], 'Anna');
  const pyotr = await makeMaster(t.db, { name: masterName });
  const group = newGroup(title);
  const admin = h.user(boss.telegramId!, 'Boss');
  await admin.act('Boss adds the bot to the group', admin.memberUpdate(group, 'left', 'member'));
  await admin.pressIn(group, masterName);
  return { boss, anna, pyotr, group, admin, dispatcher: h.user(anna.telegramId!, 'Anna'), master: h.user(pyotr.telegramId!, masterName) };
}

describe("masters' work groups", () => {
  it('an admin adds the bot to a group and picks the master; anyone else adding it is told to ask an admin', async () => {
    // Setup
    const boss = await makeUser(t.db, ['ADMIN'], 'Boss');
    const anna = await makeUser(t.db, ['DISPATCHER'], 'Anna');
    const pyotr = await makeMaster(t.db, { name: 'Pyotr' });
    const group = newGroup('Пётр и помощник');
    const other = newGroup('Чужая группа');
    const admin = h.user(boss.telegramId!, 'Boss');
    const dispatcher = h.user(anna.telegramId!, 'Anna');

    // Action: the dispatcher adds the bot elsewhere; the admin adds it to Pyotr's group
    const [refused] = await dispatcher.act('Anna adds the bot', dispatcher.memberUpdate(other, 'left', 'member'));
    const [ask] = await admin.act('Boss adds the bot', admin.memberUpdate(group, 'left', 'member'));
    const picked = await admin.pressIn(group, 'Pyotr');

    // Assertions
    expect(refused!.payload.chat_id).toBe(other.id);
    expect(refused!.payload.text).toContain('может только администратор');
    expect(refused!.payload.text).toContain('/link@repair_test_bot');
    expect(ask!.payload.chat_id).toBe(group.id);
    expect(ask!.payload.text).toContain('Чья это рабочая группа?');
    expect(ask!.payload.text).toContain('отвечайте через «Ответить»');
    expect(buttonsOf(ask)).toEqual(expect.arrayContaining(['👷 Pyotr · washing machines', '🗂 Группа диспетчеров']));
    const edited = picked.find((c) => c.method === 'editMessageText')!;
    expect(edited.payload.chat_id).toBe(group.id);
    expect(edited.payload.text).toContain('это рабочая группа мастера Pyotr');
    expect(await workChatOf(pyotr.masterId)).toBe(group.id);
    const audit = await t.db.pool.query(`SELECT actor_id, details FROM audit_log WHERE action = 'master.work_chat'`);
    expect(audit.rows).toEqual([{ actor_id: boss.userId, details: { work_chat_id: group.id, was_work_chat_id: null } }]);

    // Adding it again says what the group already is
    const [again] = await admin.act('Boss adds the bot again', admin.memberUpdate(group, 'left', 'member'));
    expect(again!.payload.text).toContain('уже подключена: мастер Pyotr');
  });

  it('the master works an order from his group: only he may press, /cmd@bot works, chatter is left alone', async () => {
    // Setup
    const { anna, pyotr, group, master, dispatcher } = await linkedTeam('Бригада Петра', 'Pyotr Group');
    const helper = h.user(telegramId(), 'Помощник');
    const ivan = await makeMaster(t.db, { name: 'Ivan' });
    const otherMaster = h.user(ivan.telegramId!, 'Ivan');
    const { order } = await h.services.orders.create(anna, orderInput({ client_phone: '+79161234567' }));

    // Action: the dispatcher assigns from the bot
    await dispatcher.send(`/order ${order.id}`);
    await dispatcher.press('Назначить');
    await dispatcher.press('Pyotr Group');

    // Assertions: the card with Accept/Decline went to the group, not privately (the setting is off)
    const card = h.stub.messagesTo(group.id).at(-1)!;
    expect(card.payload.text).toContain('🔔 Pyotr Group, вам новый заказ. Примите его или откажитесь.');
    expect(card.payload.text).not.toContain('79161234567');
    expect(buttonsOf(card)).toEqual(['✅ Принять', '✖️ Отказаться', '🗺 Яндекс Карты', '🗺 Google Maps']);
    expect(master.inbox).toEqual([]);

    // Someone without a role, then another master, press Accept: politely refused, nothing changes
    const [strangerToast] = await helper.pressIn(group, 'Принять');
    expect(strangerToast!.payload.text).toBe('Эта кнопка не для вас: действовать может только тот, кому адресован заказ.');
    const [otherToast] = (await otherMaster.pressIn(group, 'Принять')).filter((c) => c.method === 'answerCallbackQuery');
    expect(otherToast!.payload.text).toContain('Эта кнопка не для вас');
    expect(await statusOf(order.id)).toBe('ASSIGNED');

    // Pyotr accepts and arrives in the group; the card is redrawn there and the dispatcher hears of it
    const accepted = await master.pressIn(group, 'Принять');
    const redrawn = accepted.find((c) => c.method === 'editMessageText')!;
    expect(redrawn.payload.chat_id).toBe(group.id);
    expect(redrawn.payload.text).toContain('· Принят');
    expect(dispatcher.last!.payload.text).toBe(`✅ Pyotr Group принял заказ №${order.id}.`);
    await master.pressIn(group, 'На месте');
    expect(await statusOf(order.id)).toBe('IN_PROGRESS');
    expect(h.stub.messagesTo(group.id).at(-1)!.payload.text).toContain('Телефон: +79161234567');

    // Commands addressed to this bot are taken; to another bot, and plain chatter, are not
    const mine = await master.sendIn(group, '/my@repair_test_bot');
    expect(mine.at(-1)!.payload.chat_id).toBe(group.id);
    expect(buttonsOf(mine.at(-1))).toEqual(expect.arrayContaining([expect.stringContaining(`#${order.id}`)]));
    expect(await master.sendIn(group, '/my@some_other_bot')).toEqual([]);
    expect(await master.sendIn(group, 'Еду, буду через 20 минут')).toEqual([]);

    // A long repair asks in the group with a forced reply (privacy mode), and the reply is taken
    await master.pressIn(group, 'Длительный ремонт');
    const question = h.stub.messagesTo(group.id).at(-1)!;
    expect(question.payload.text).toContain(`Когда будет готов заказ №${order.id}?`);
    expect(question.payload.reply_markup).toMatchObject({ force_reply: true });
    await master.sendIn(group, '20.12.2099');
    await master.sendIn(group, 'Подшипник барабана'); // parts needed
    await master.sendIn(group, '4500'); // estimated cost
    await master.sendIn(group, '1500'); // prepayment
    expect(await statusOf(order.id)).toBe('LONG_REPAIR');
    expect(pyotr.masterId).toBeGreaterThan(0);
  });

  it('follows the group to a supergroup, and unlinks it when the bot is removed (admins are told)', async () => {
    // Setup
    const { boss, anna, pyotr, group, master, admin } = await linkedTeam('Бригада', 'Pavel');
    const supergroup: Group = { id: -1_009_000_000_001, type: 'supergroup', title: 'Бригада' };

    // Action: the group becomes a supergroup
    await master.act('the group is upgraded', master.messageWith({ migrate_to_chat_id: supergroup.id }, undefined, group));
    const { order } = await h.services.orders.create(anna, orderInput());
    await h.services.workflow.act(anna, order.id, 'assign', { master_id: pyotr.masterId });
    await h.telegram.idle();

    // Assertions: the link moved, and the next card went to the new chat
    expect(await workChatOf(pyotr.masterId)).toBe(supergroup.id);
    expect(h.stub.messagesTo(supergroup.id).map((c) => String(c.payload.text))).toEqual([
      'Группа «Бригада» стала супергруппой: привязка перенесена.',
      expect.stringContaining('🔔 Pavel, вам новый заказ'),
    ]);

    // Action: the master removes the bot from the supergroup
    await master.act('Pyotr removes the bot', master.memberUpdate(supergroup, 'member', 'left'));

    // Assertions: unlinked, admins told, and the next message goes to Pyotr privately
    expect(await workChatOf(pyotr.masterId)).toBeNull();
    expect(admin.last!.payload.text).toBe('Бот удалён из группы «Бригада» (Pavel). Отвязано: мастер Pavel. Уведомления теперь идут в личные чаты.');
    await h.services.workflow.act(anna, order.id, 'unassign', {});
    await h.telegram.idle();
    expect(master.last!.payload.text).toBe(`Заказ №${order.id} больше не назначен на вас.`);
    expect(boss.userId).toBeGreaterThan(0);
  });

  it("an admin picks a master's group with Telegram's chat picker (request_chat)", async () => {
    // Setup
    const boss = await makeUser(t.db, ['ADMIN'], 'Boss');
    const pyotr = await makeMaster(t.db, { name: 'Semyon' });
    const admin = h.user(boss.telegramId!, 'Boss');
    const group = newGroup('Semyon team');

    // Action
    await admin.send('/masters');
    await admin.press('Semyon');
    expect(admin.last!.payload.text).toContain('Рабочая группа: нет');
    await admin.press('Рабочая группа');
    const picker = admin.last!.payload.reply_markup as {
      keyboard: Array<Array<{ text: string; request_chat: { request_id: number; chat_is_channel: boolean } }>>;
    };
    const shared = await admin.act(
      'Boss picks a group',
      admin.messageWith({ chat_shared: { request_id: picker.keyboard[0]![0]!.request_chat.request_id, chat_id: group.id, title: group.title } }),
    );

    // Assertions
    expect(picker.keyboard[0]![0]!.request_chat).toMatchObject({ request_id: pyotr.masterId, chat_is_channel: false });
    expect(await workChatOf(pyotr.masterId)).toBe(group.id);
    expect(shared.find((c) => c.payload.chat_id === boss.telegramId)!.payload).toMatchObject({
      text: 'Группа «Semyon team» теперь рабочая группа мастера Semyon.',
      reply_markup: { remove_keyboard: true },
    });
    expect(shared.find((c) => c.payload.chat_id === group.id)!.payload.text).toContain('это рабочая группа мастера Semyon');

    // A dispatcher cannot do it
    const anna = await makeUser(t.db, ['DISPATCHER'], 'Anna');
    const dispatcher = h.user(anna.telegramId!, 'Anna');
    const [refused] = await dispatcher.act('Anna forges a shared chat', dispatcher.messageWith({ chat_shared: { request_id: pyotr.masterId, chat_id: -42 } }));
    expect(refused!.payload.text).toBe('У вас нет прав на это действие.');
    expect(await workChatOf(pyotr.masterId)).toBe(group.id);
  });
});

describe("the dispatchers' group", () => {
  it('gets new orders once an admin links it; without one, every admin and dispatcher but the author is told', async () => {
    // Setup
    const boss = await makeUser(t.db, ['ADMIN'], 'Boss');
    const anna = await makeUser(t.db, ['DISPATCHER'], 'Anna');
    const olga = await makeUser(t.db, ['DISPATCHER'], 'Olga');
    const admin = h.user(boss.telegramId!, 'Boss');
    const group = newGroup('Диспетчерская');

    // Action: a new order with no group set
    const { order: first } = await h.services.orders.create(anna, orderInput({ client_address: 'Тверская 1' }));
    await h.telegram.idle();

    // Assertions: privately, to the others
    const text = `🆕 Новый заказ №${first.id}: Стиральная машина, Тверская 1. Нужен мастер (Anna).`;
    expect(h.stub.messagesTo(olga.telegramId!).at(-1)!.payload.text).toBe(text);
    expect(admin.last!.payload.text).toBe(text);
    expect(h.stub.messagesTo(anna.telegramId!)).toEqual([]);

    // Action: the admin makes a group the dispatchers' group; a new order follows
    await admin.act('Boss adds the bot', admin.memberUpdate(group, 'left', 'member'));
    await admin.pressIn(group, 'Группа диспетчеров');
    const before = h.stub.messagesTo(olga.telegramId!).length;
    const { order: second } = await h.services.orders.create(anna, orderInput({ client_address: 'Арбат 2' }));
    await h.telegram.idle();

    // Assertions: to the group only
    expect(await h.services.settings.dispatcherChatId()).toBe(group.id);
    expect(h.stub.messagesTo(group.id).at(-1)!.payload.text).toBe(`🆕 Новый заказ №${second.id}: Стиральная машина, Арбат 2. Нужен мастер (Anna).`);
    expect(buttonsOf(h.stub.messagesTo(group.id).at(-1))).toEqual(['Открыть заказ']);
    expect(h.stub.messagesTo(olga.telegramId!)).toHaveLength(before);
  });

  it('hears "client is waiting", reopenings and SLA breaches; the master gets the phone in his work group', async () => {
    // Setup: a dispatchers' group and a master with a work group, linked from the groups themselves
    const boss = await makeUser(t.db, ['ADMIN'], 'Boss');
    const anna = await makeUser(t.db, ['DISPATCHER'], 'Anna');
    const fedor = await makeMaster(t.db, { name: 'Fedor' });
    const admin = h.user(boss.telegramId!, 'Boss');
    const desk = newGroup('Диспетчерская 2');
    const team = newGroup('Бригада Фёдора');
    await admin.act('Boss adds the bot', admin.memberUpdate(desk, 'left', 'member'));
    await admin.pressIn(desk, 'Группа диспетчеров');
    await admin.act('Boss adds the bot', admin.memberUpdate(team, 'left', 'member'));
    await admin.pressIn(team, 'Fedor');
    const { order } = await h.services.orders.create(anna, orderInput({ client_phone: '+79161234567', client_name: 'Мария' }));
    await h.services.workflow.act(anna, order.id, 'assign', { master_id: fedor.masterId });
    const dispatcher = h.user(anna.telegramId!, 'Anna');

    // Action: the dispatcher taps "client is waiting" on the card
    await dispatcher.send(`/order ${order.id}`);
    await dispatcher.press('Клиент ждёт');

    // Assertions
    expect(h.stub.messagesTo(team.id).at(-1)!.payload.text).toBe(
      `⏰ Клиент по заказу №${order.id} ждёт вас! Позвоните: +79161234567 (Мария), адрес: Moscow, Tverskaya 1, apt 5.`,
    );
    expect(h.stub.messagesTo(desk.id).at(-1)!.payload.text).toBe(`⏰ Клиент по заказу №${order.id} ждёт: мастеру Fedor напомнили (Anna).`);
    expect(h.stub.messagesTo(fedor.telegramId!)).toEqual([]); // his group only

    // Action: refused, then reopened by the admin; an SLA breach
    await h.services.workflow.act(anna, order.id, 'refuse', { reason: 'Клиент не отвечает' });
    await h.services.workflow.act(boss, order.id, 'reopen', {});
    await h.telegram.idle();
    await h.telegram.notifier.slaBreached((await h.services.orders.get(boss, order.id)) as never, 120);
    await h.telegram.idle();

    // Assertions
    expect(
      h.stub
        .messagesTo(desk.id)
        .slice(-2)
        .map((c) => c.payload.text),
    ).toEqual([`♻️ Заказ №${order.id} снова в работе (Boss).`, `⚠️ Заказ №${order.id} в статусе «Новый» дольше 2 ч.`]);
  });
});
