import { describe, expect, it } from 'vitest';
import { useTestDatabase } from '../support/db.ts';
import { statusOf } from '../support/reads.ts';
import { makeMaster, makeUser, orderInput, telegramId } from '../support/fixtures.ts';
import { buttonsOf, SECRET, SUPPORT, updateId, useBotHarness } from './harness.ts';

const t = useTestDatabase();
const h = useBotHarness(t);

async function scalar<T>(sql: string, ...params: unknown[]): Promise<T> {
  const { rows } = await t.db.pool.query(sql, params);
  return Object.values(rows[0] as object)[0] as T;
}

/** An order assigned to a fresh master, announced to them, and its Accept button. */
async function assignedOrder() {
  const anna = await makeUser(t.db, ['DISPATCHER'], 'Anna');
  const pyotr = await makeMaster(t.db, { name: 'Pyotr' });
  const { order } = await h.services.orders.create(anna, orderInput());
  const assigned = await h.services.workflow.act(anna, order.id, 'assign', { master_id: pyotr.masterId });
  await h.telegram.idle();
  const master = h.user(pyotr.telegramId!, 'Pyotr');
  return { order: assigned, master, accept: master.findButton('Принять') };
}

const acceptedCount = (orderId: number) =>
  scalar<string>(`SELECT count(*) FROM order_status_history WHERE order_id = $1 AND new_status = 'ACCEPTED'`, orderId).then(Number);

describe('exactly once', () => {
  it('a redelivered update changes nothing, sends nothing and still gets 200', async () => {
    // Setup
    const { order, master, accept } = await assignedOrder();
    const update = master.callbackUpdate(accept.button.callback_data, accept.messageId);

    // Action
    const first = await h.post(update);
    await h.telegram.idle();
    const sentAfterFirst = h.stub.calls.length;
    const again = await h.post(update);
    await h.telegram.idle();

    // Assertions
    expect(first.status).toBe(200);
    expect(again.status).toBe(200);
    expect(h.stub.calls.length).toBe(sentAfterFirst);
    expect(await acceptedCount(order.id)).toBe(1);
    expect(await scalar<number>(`SELECT version FROM orders WHERE id = $1`, order.id)).toBe(order.version + 1);
    expect(Number(await scalar<string>(`SELECT count(*) FROM processed_updates WHERE update_id = $1`, (update as { update_id: number }).update_id))).toBe(1);
  });

  it('a double click on a button acts once and answers the second click politely', async () => {
    // Setup
    const { order, master, accept } = await assignedOrder();
    const clicks = [master.callbackUpdate(accept.button.callback_data, accept.messageId), master.callbackUpdate(accept.button.callback_data, accept.messageId)];

    // Action: both clicks arrive at once
    const statuses = await Promise.all(clicks.map(async (u) => (await h.post(u)).status));
    await h.telegram.idle();

    // Assertions
    expect(statuses).toEqual([200, 200]);
    expect(await acceptedCount(order.id)).toBe(1);
    const toasts = h.stub
      .callsOf('answerCallbackQuery')
      .filter((c) => clicks.some((u) => (u as { callback_query: { id: string } }).callback_query.id === c.payload.callback_query_id));
    expect(toasts.map((c) => c.payload.text).sort()).toEqual([`Заказ №${order.id} тем временем изменился: теперь он «Принят». Ничего не сделано.`, 'Принято.']);
  });

  it('a conversation step replayed by Telegram is taken once', async () => {
    // Setup
    const anna = await makeUser(t.db, ['DISPATCHER'], 'Anna');
    const me = h.user(anna.telegramId!, 'Anna');
    await me.send('/new');
    await me.press('Телевизор');
    const step = me.messageUpdate('Нет изображения');

    // Action
    await me.act('Anna: Нет изображения', step);
    await me.act('(Telegram redelivers the same update)', step);

    // Assertions: one step forward, not two
    const row = await t.db.pool.query(`SELECT step, data FROM bot_conversations WHERE chat_id = $1`, [anna.telegramId]);
    expect(row.rows).toEqual([{ step: 'client_name', data: { equipment_type: 'tv', description: 'Нет изображения' } }]);
    expect(me.inbox.filter((c) => String(c.payload.text).includes('имя клиента?'))).toHaveLength(1);
  });
});

describe('who may do what', () => {
  it('a stranger sees only the contact information, whatever they send', async () => {
    // Setup
    const { order, accept } = await assignedOrder();
    const strangerId = telegramId();
    const stranger = h.user(strangerId, 'Eve');

    // Action
    const [hello] = await stranger.send('/start');
    const forged = await stranger.act('Eve presses a forged Accept button', stranger.callbackUpdate(accept.button.callback_data, 1));
    await stranger.send('/orders');

    // Assertions
    expect(hello!.payload.text).toContain(SUPPORT);
    expect(hello!.payload.text).toContain(String(strangerId));
    expect(buttonsOf(hello)).toEqual([]);
    expect(stranger.inbox.every((c) => String(c.payload.text).includes(SUPPORT))).toBe(true);
    expect(forged.map((c) => c.method)).toEqual(['answerCallbackQuery', 'sendMessage']);
    expect(await statusOf(t.db, order.id)).toBe('ASSIGNED');
    expect(
      await scalar<string[]>(`SELECT ARRAY(SELECT role FROM user_roles r WHERE r.user_id = u.id) FROM users u WHERE telegram_id = $1`, strangerId),
    ).toEqual([]);
  });

  it('forged or malformed button data gets a polite answer, never an error', async () => {
    // Setup
    const anna = await makeUser(t.db, ['DISPATCHER'], 'Anna');
    const me = h.user(anna.telegramId!, 'Anna');
    const forgeries = ['', 'rm -rf', 'oa:zz:1:1', 'oa:ac:1', 'oa:ac:99999999:1', "oc:1' OR 1=1 --", 'ls:q', 'ur:1:255', 'x'.repeat(64)];

    // Action
    const answers = [];
    for (const data of forgeries) answers.push(...(await me.act(`Anna presses a button with data "${data}"`, me.callbackUpdate(data, 1))));

    // Assertions
    const toasts = answers.filter((c) => c.method === 'answerCallbackQuery').map((c) => c.payload.text);
    expect(toasts).toHaveLength(forgeries.length);
    // A dispatcher pressing a well-formed Accept on a missing order is refused by role before anything is looked up.
    expect(new Set(toasts)).toEqual(new Set(['Эта кнопка недействительна.', 'У вас нет прав на это действие.']));
    expect(toasts.filter((x) => x === 'Эта кнопка недействительна.')).toHaveLength(forgeries.length - 1);
    expect(h.telegram.failures).toBe(0);
  });

  it('a master cannot act on an order that is not theirs', async () => {
    // Setup
    const { order, accept } = await assignedOrder();
    const other = await makeMaster(t.db, { name: 'Other' });
    const intruder = h.user(other.telegramId!, 'Other');

    // Action
    const [toast] = await intruder.act("Other presses Pyotr's Accept button", intruder.callbackUpdate(accept.button.callback_data, 1));

    // Assertions
    expect(toast!.payload.text).toBe('Не найдено: возможно, удалено или это не ваш заказ.');
    expect(await statusOf(t.db, order.id)).toBe('ASSIGNED');
  });
});

describe('the webhook endpoint', () => {
  it('refuses a wrong or missing secret token with 401 and records nothing', async () => {
    // Setup
    const update = h.user(telegramId(), 'Mallory').messageUpdate('/start');
    const before = h.stub.calls.length;

    // Action
    const wrong = await h.post(update, 'not-the-secret');
    const missing = await fetch(h.webhookUrl, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(update) });

    // Assertions
    expect(wrong.status).toBe(401);
    expect(missing.status).toBe(401);
    // The same problem+json as every other route: its type, its request id.
    expect(wrong.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    expect(await wrong.json()).toMatchObject({
      type: 'urn:repair-bot:problem:unauthenticated',
      status: 401,
      field: 'X-Telegram-Bot-Api-Secret-Token',
      request_id: expect.any(String),
    });
    expect(Number(await scalar<string>(`SELECT count(*) FROM processed_updates WHERE update_id = $1`, (update as { update_id: number }).update_id))).toBe(0);
    expect(h.stub.calls.length).toBe(before);
  });

  it('answers 400 to a body that is not an update', async () => {
    const statuses = [];
    for (const body of ['{"message":{}}', '{"update_id":"7"}', '[]', '{"update_id":-1}']) {
      const res = await fetch(h.webhookUrl, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-telegram-bot-api-secret-token': SECRET },
        body,
      });
      statuses.push(res.status);
    }
    const broken = await fetch(h.webhookUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-telegram-bot-api-secret-token': SECRET },
      body: '{"update_id":',
    });
    expect(statuses).toEqual([400, 400, 400, 400]);
    expect(broken.status).toBe(400);
  });

  it('ignores what the bot does not handle (group messages, edits) with 200', async () => {
    const id = updateId();
    const res = await h.post({
      update_id: id,
      message: { message_id: 1, date: 0, chat: { id: -100123, type: 'group', title: 'Team' }, from: { id: 5, is_bot: false, first_name: 'G' }, text: '/start' },
    });
    const edit = await h.post({
      update_id: updateId(),
      edited_message: { message_id: 1, date: 0, edit_date: 1, chat: { id: 5, type: 'private' }, from: { id: 5, is_bot: false, first_name: 'G' }, text: 'x' },
    });
    await h.telegram.idle();
    expect([res.status, edit.status]).toEqual([200, 200]);
    expect(h.stub.messagesTo(-100123)).toEqual([]);
  });
});
