import { describe, expect, it } from 'vitest';
import { useTestDatabase } from '../support/db.ts';
import { makeMaster, makeUser, orderInput } from '../support/fixtures.ts';
import { buttonsOf, useBotHarness } from './harness.ts';

const t = useTestDatabase();
const h = useBotHarness(t);

type Command = { command: string; description: string };
const commandsSetFor = (chatId: number) =>
  h.stub
    .callsOf('setMyCommands')
    .filter((c) => (c.payload.scope as { chat_id?: number } | undefined)?.chat_id === chatId)
    .map((c) => (c.payload.commands as Command[]).map((x) => x.command));

describe('finding one’s way', () => {
  it('staff filters count orders, lists say where, when and who, Back leads up, an empty list offers the next step', async () => {
    // Setup: an empty database of orders first
    const anna = await makeUser(t.db, ['DISPATCHER'], 'Anna');
    const pyotr = await makeMaster(t.db, { name: 'Pyotr' });
    const me = h.user(anna.telegramId!, 'Anna');

    // An empty list offers a new order
    await me.send('/orders');
    await me.press('Новый');
    expect(me.last!.payload.text).toBe('Новый: заказов нет.');
    expect(buttonsOf(me.last)).toEqual(['➕ Новый заказ', '« Назад']);

    // Orders appear: counts on the filters, lines in the list
    const { order: first } = await h.services.orders.create(anna, orderInput({ client_address: 'Тверская 1', scheduled_at: '2027-05-25T11:00:00Z' }));
    const { order: second } = await h.services.orders.create(anna, orderInput({ client_address: 'Арбат 2' }));
    await h.services.workflow.act(anna, second.id, 'assign', { master_id: pyotr.masterId });
    await h.telegram.idle();
    const [filters] = await me.send('/orders');
    expect(buttonsOf(filters)).toEqual(expect.arrayContaining(['Все открытые (2)', 'Новый (1)', 'Назначен (1)', 'Закрыт', '« Назад']));

    const listed = await me.press('Все открытые');
    expect(listed.find((c) => c.method === 'editMessageText')!.payload.text).toBe(
      ['Все открытые:', `№${second.id} · Арбат 2 · время не назначено · Pyotr`, `№${first.id} · Тверская 1 · 25.05.2027 14:00 · не назначен`].join('\n'),
    );

    // Back from the list to the filters (the same message), from the filters to the menu
    const back = await me.press('Назад');
    expect(back.find((c) => c.method === 'editMessageText')!.payload.text).toBe('Заказы по статусам:');
    const home = await me.press('Назад');
    expect(home.find((c) => c.method === 'editMessageText')!.payload.text).toContain('Здравствуйте, Anna');

    // A card leads back to the list
    await me.send(`/order ${first.id}`);
    expect(buttonsOf(me.last)).toContain('« К списку');
  });

  it('/help and the command menu list only what the roles allow, in the person’s language; role changes are told', async () => {
    // Setup
    const boss = await makeUser(t.db, ['ADMIN'], 'Boss');
    const pyotr = await makeMaster(t.db, { name: 'Pyotr Helpful' });
    await h.services.users.setLanguage(pyotr, 'en');
    const master = h.user(pyotr.telegramId!, 'Pyotr Helpful', 'en');
    const admin = h.user(boss.telegramId!, 'Boss');

    // Action
    const [masterHelp] = await master.send('/help');
    const [adminHelp] = await admin.send('/help');
    await master.send('/start');

    // Assertions: help by role
    expect(masterHelp!.payload.text).toContain('/my: my orders');
    expect(masterHelp!.payload.text).not.toContain('/new');
    expect(masterHelp!.payload.text).not.toContain('/masters');
    expect(adminHelp!.payload.text).toContain('/masters: мастера');
    expect(adminHelp!.payload.text).not.toContain('/my:');
    // The command menu, scoped to the master's chat, in English
    const set = h.stub
      .callsOf('setMyCommands')
      .filter((c) => (c.payload.scope as { chat_id?: number }).chat_id === pyotr.telegramId)
      .at(-1)!;
    expect((set.payload.commands as Command[]).find((c) => c.command === 'my')!.description).toBe('my orders');
    expect(commandsSetFor(pyotr.telegramId!).at(-1)).toEqual(['start', 'order', 'my', 'stats', 'language', 'help', 'cancel']);

    // Action: the admin makes the master a dispatcher too
    await admin.send('/users');
    await admin.press('Pyotr Helpful');
    await admin.press('диспетчер');

    // Assertions: told, and the menu follows
    expect(master.last!.payload.text).toBe('Your roles changed: dispatcher, master. Commands updated, open the menu: /start');
    expect(commandsSetFor(pyotr.telegramId!).at(-1)).toEqual(expect.arrayContaining(['new', 'orders', 'my']));
  });

  it('sets the command menu again only when it changed', async () => {
    // Setup
    const olga = await makeUser(t.db, ['DISPATCHER'], 'Olga Menu');
    const boss = await makeUser(t.db, ['ADMIN'], 'Boss Menu');
    const me = h.user(olga.telegramId!, 'Olga Menu');
    const admin = h.user(boss.telegramId!, 'Boss Menu');

    // Action: /start three times, then a role is added and /start again
    await me.send('/start');
    await me.send('/start');
    await me.send('/start');
    const beforeRoleChange = commandsSetFor(olga.telegramId!).length;
    await admin.send('/users');
    await admin.press('Olga Menu');
    await admin.press('администратор');
    await me.send('/start');

    // Assertions: one call for the three identical menus; the changed roles set it again
    expect(beforeRoleChange).toBe(1);
    expect(commandsSetFor(olga.telegramId!).length).toBeGreaterThan(1);
  });
});
