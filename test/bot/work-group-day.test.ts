import { describe, expect, it } from 'vitest';
import { useTestDatabase } from '../support/db.ts';
import { makeMaster, makeUser, orderInput } from '../support/fixtures.ts';
import { statusOf } from '../support/reads.ts';
import { useBotHarness, type Group } from './harness.ts';

/**
 * A master works one order from assignment to settlement in his work group
 * (a supergroup: negative id, from.id is not chat.id), as in the legacy bot:
 * every card, question and answer stays in the group, and his private chat
 * stays quiet (the private-copy setting is off). The transcript of this
 * file is the one the issue asks for.
 */
const t = useTestDatabase();
const h = useBotHarness(t);

describe('a day in a master’s work group', () => {
  it('assigned, accepted, on site, completed with amounts in the group; the dispatcher settles and the group hears it', async () => {
    // Setup: an admin links the group to Pyotr by adding the bot and picking him
    const boss = await makeUser(t.db, ['ADMIN'], 'Boss');
    const anna = await makeUser(t.db, ['DISPATCHER'], 'Anna');
    const pyotr = await makeMaster(t.db, { name: 'Пётр Ключников' });
    const group: Group = { id: -1_001_234_567_890, type: 'supergroup', title: 'Бригада Ключникова' };
    const admin = h.user(boss.telegramId!, 'Boss');
    const dispatcher = h.user(anna.telegramId!, 'Anna');
    const master = h.user(pyotr.telegramId!, 'Пётр Ключников');
    await admin.act('Boss adds the bot to the group', admin.memberUpdate(group, 'left', 'member'));
    await admin.pressIn(group, 'Пётр Ключников');
    const { order } = await h.services.orders.create(anna, orderInput({ client_phone: '+79161234567', client_address: 'Тверская 12, кв. 5' }));

    // Action: the dispatcher assigns in her private chat; the master works in the group
    await dispatcher.send(`/order ${order.id}`);
    await dispatcher.press('Назначить');
    await dispatcher.press('Пётр Ключников');
    await master.pressIn(group, 'Принять');
    await master.pressIn(group, 'На месте');
    await master.pressIn(group, 'Завершить');
    await master.pressIn(group, 'Пропустить'); // photos before the work
    await master.pressIn(group, 'Пропустить'); // and after
    await master.sendIn(group, '12500');
    await master.sendIn(group, '1500');
    await master.pressIn(group, 'Да');
    await master.pressIn(group, 'Нет');
    const confirmed = await master.pressIn(group, 'Подтвердить');
    await dispatcher.send(`/order ${order.id}`);
    await dispatcher.press('Закрыть');
    await dispatcher.press('Да, рассчитать');

    // Assertions
    expect(await statusOf(t.db, order.id)).toBe('CLOSED');
    expect(confirmed.find((c) => c.method === 'answerCallbackQuery')!.payload.text).toBe('Заказ выполнен.');
    const inGroup = h.stub.messagesTo(group.id).map((c) => String(c.payload.text));
    expect(inGroup.some((text) => text.includes('Сколько всего заплатил клиент?'))).toBe(true);
    expect(inGroup.some((text) => text.includes('Сумма: 12 500,00 ₽'))).toBe(true);
    expect(inGroup.at(-1)).toContain(`№${order.id}`);
    expect(master.inbox).toEqual([]);
  });
});
