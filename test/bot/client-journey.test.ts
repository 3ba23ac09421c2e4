import { beforeAll, describe, expect, it } from 'vitest';
import type { Principal } from '../../src/users/principal.ts';
import { useTestDatabase } from '../support/db.ts';
import { makeMaster, makeUser, orderInput, telegramId } from '../support/fixtures.ts';
import { buttonsOf, updateId, useBotHarness, workOrder } from './harness.ts';

/**
 * The client in the loop, as a client lives it: a link from the dispatcher,
 * news at each step, a rating, a message to the dispatcher, a cancellation;
 * and nothing at all for a link or a button that is not theirs.
 */
const t = useTestDatabase();
const h = useBotHarness(t);

let anna: Principal;
let petr: Principal & { masterId: number };

beforeAll(async () => {
  anna = await makeUser(t.db, ['DISPATCHER'], 'Anna');
  petr = await makeMaster(t.db, { name: 'Пётр Мастеров' });
});

async function newOrder(): Promise<number> {
  const { order } = await h.services.orders.create(anna, orderInput({ client_name: 'Ольга Клиентова' }));
  return order.id;
}

/** The dispatcher asks for the client's link; the start parameter from the photo's caption. */
async function linkFor(orderId: number): Promise<string> {
  const dispatcher = h.user(anna.telegramId!, 'Anna');
  const [photo] = await dispatcher.send(`/client_link ${orderId}`);
  expect(photo!.method).toBe('sendPhoto');
  const url = /https:\/\/t\.me\/repair_test_bot\?start=(c[A-Za-z0-9_-]{43})/.exec(String(photo!.payload.caption));
  expect(url).not.toBeNull();
  return url![1]!;
}

const rows = async (sql: string, ...params: unknown[]) => (await t.db.pool.query(sql, params)).rows;

describe('the client of an order', () => {
  it('follows it from the link to the rating, and can write to the dispatcher', async () => {
    // Setup
    const id = await newOrder();
    const token = await linkFor(id);
    const olga = h.user(telegramId(), 'Ольга');
    const dispatcher = h.user(anna.telegramId!, 'Anna');

    // Action: the client opens the link.
    const joined = await olga.send(`/start ${token}`);

    // Assertions
    expect(joined.map((c) => String(c.payload.text))).toEqual([
      `Здравствуйте! Это ваш заказ №${id}. Здесь мы будем сообщать, как идут дела.`,
      expect.stringContaining(`Заказ №${id}: Стиральн`),
    ]);
    expect(String(joined[1]!.payload.text)).toContain('Статус: принят, подбираем мастера');
    expect(buttonsOf(joined[1])).toEqual(['Отменить заказ', '✉️ Написать диспетчеру', '🔄 Статус']);

    // Action: the work goes on; the client hears of each step.
    await workOrder(h, { staff: anna, master: petr }, id, 'completed');
    const news = olga.inbox.slice(joined.length).map((c) => String(c.payload.text));
    h.transcript.push('(Anna assigns Пётр; he accepts, arrives and completes: 10 000 ₽)', ...news.map((n) => `< bot: ${n.replaceAll('\n', '\n    ')}`));

    // Assertions
    expect(news).toEqual([
      expect.stringMatching(new RegExp(`^👷 По заказу №${id} назначен мастер Пётр\\. Визит: `)),
      expect.stringMatching(new RegExp(`^✅ Мастер Пётр подтвердил визит по заказу №${id}`)),
      `📍 Мастер Пётр на месте (заказ №${id}).`,
      `🏁 Работа по заказу №${id} выполнена. К оплате: 10 000.00 ₽.\nОцените, пожалуйста, работу мастера:`,
    ]);
    expect(olga.inbox.map((c) => String(c.payload.text)).join('\n')).not.toMatch(/Мастеров|\+7999|79990001122/);
    expect(buttonsOf(olga.last)).toEqual(['★', '★★', '★★★', '★★★★', '★★★★★']);

    // Action: a low rating with a comment, then a second rating attempt.
    await olga.press('★★');
    const ratedReply = String(olga.last!.payload.text);
    await olga.send('Опоздал на час');
    const commentReply = String(olga.last!.payload.text);
    const again = await olga.act('Ольга presses [★★★★★] again', olga.callbackUpdate(`cl:r:${id}:5`, 1));

    // Assertions
    expect(ratedReply).toBe('Спасибо за оценку 2 из 5! Если хотите, напишите комментарий одним сообщением.');
    expect(commentReply).toBe('Спасибо, комментарий сохранён.');
    expect(again.map((c) => c.payload.text).filter(Boolean)).toEqual(['Сейчас это уже нельзя сделать.']);
    expect(await rows('SELECT score, comment, master_id FROM order_ratings WHERE order_id = $1', id)).toEqual([
      { score: 2, comment: 'Опоздал на час', master_id: petr.masterId },
    ]);
    const alerts = dispatcher.inbox.map((c) => String(c.payload.text)).filter((s) => s.startsWith('⚠️ Низкая оценка'));
    expect(alerts).toEqual([
      `⚠️ Низкая оценка 2 из 5 по заказу №${id} (мастер Пётр Мастеров). Комментарий: —`,
      `⚠️ Низкая оценка 2 из 5 по заказу №${id} (мастер Пётр Мастеров). Комментарий: Опоздал на час`,
    ]);

    // Action: a message for the dispatcher.
    await olga.press('Написать диспетчеру');
    const prompt = String(olga.last!.payload.text);
    await olga.send('Спасибо, но впредь предупреждайте');

    // Assertions
    expect(prompt).toContain('передам его диспетчеру');
    expect(String(olga.last!.payload.text)).toBe('Сообщение передано диспетчеру.');
    expect(String(dispatcher.last!.payload.text)).toBe(`✉️ Клиент Ольга по заказу №${id} пишет:\nСпасибо, но впредь предупреждайте`);
    expect(
      await rows(
        "SELECT action FROM audit_log WHERE entity_id = $1 AND action LIKE 'order.client%' OR (entity_id = $1 AND action = 'order.rated') ORDER BY id",
        id,
      ),
    ).toEqual([{ action: 'order.client_link' }, { action: 'order.client_joined' }, { action: 'order.rated' }, { action: 'order.client_message' }]);
  });

  it('can cancel before the master arrives, and the dispatcher is told; not once the master is on site', async () => {
    // Setup
    const id = await newOrder();
    const olga = h.user(telegramId(), 'Ольга');
    await olga.send(`/start ${await linkFor(id)}`);
    const late = await newOrder();
    await olga.send(`/start ${await linkFor(late)}`);
    await workOrder(h, { staff: anna, master: petr }, late, 'in_progress');

    // Action
    await olga.act('Ольга presses [Отменить заказ]', olga.callbackUpdate(`cl:c:${id}`, 1));
    const confirm = olga.last!;
    await olga.press('Да, отменить заказ');
    const lateCard = await olga.act('Ольга presses [🔄 Статус] on the other order', olga.callbackUpdate(`cl:s:${late}`, 1));
    const tooLate = await olga.act('Ольга presses a stale [Да, отменить заказ]', olga.callbackUpdate(`cl:cy:${late}`, 1));

    // Assertions
    expect(String(confirm.payload.text)).toBe(`Отменить заказ №${id}? Мастер не приедет.`);
    expect(await rows('SELECT status, refuse_reason FROM orders WHERE id = $1', id)).toEqual([
      { status: 'REFUSED', refuse_reason: 'Клиент отменил заказ в боте' },
    ]);
    const history = await rows('SELECT new_status, actor_id FROM order_status_history WHERE order_id = $1 ORDER BY id DESC LIMIT 1', id);
    expect(history).toEqual([{ new_status: 'REFUSED', actor_id: expect.anything() }]);
    const client = await rows('SELECT user_id FROM order_clients WHERE order_id = $1', id);
    expect(history[0]!.actor_id).toBe(client[0]!.user_id);
    expect(h.user(anna.telegramId!, 'Anna').inbox.map((c) => String(c.payload.text))).toContain(
      `❌ Клиент отменил заказ №${id}. Причина: Клиент отменил заказ в боте`,
    );
    expect(buttonsOf(lateCard.at(-1))).not.toContain('Отменить заказ');
    expect(tooLate.map((c) => c.payload.text).filter(Boolean)).toEqual(['Сейчас это уже нельзя сделать.']);
    expect(await rows('SELECT status FROM orders WHERE id = $1', late)).toEqual([{ status: 'IN_PROGRESS' }]);
  });
});

describe('what a client cannot reach', () => {
  it('gets nothing from a forged, malformed, replaced or expired link', async () => {
    // Setup
    const id = await newOrder();
    const replaced = await linkFor(id);
    const current = await linkFor(id);
    const other = await newOrder();
    const expired = await linkFor(other);
    await t.db.pool.query("UPDATE order_client_links SET created_at = now() - interval '2 days', expires_at = now() - interval '1 day' WHERE order_id = $1", [
      other,
    ]);
    const mallory = h.user(telegramId(), 'Mallory');

    // Action
    const answers = [];
    for (const payload of [`c${'A'.repeat(43)}`, 'c123', replaced, expired]) answers.push(await mallory.send(`/start ${payload}`));
    const valid = await mallory.send(`/start ${current}`);

    // Assertions
    for (const a of answers) expect(String(a[0]!.payload.text)).toMatch(/^Ссылка недействительна или устарела/);
    expect(String(valid[0]!.payload.text)).toContain(`ваш заказ №${id}`);
    expect(await rows('SELECT order_id FROM order_clients WHERE user_id = (SELECT id FROM users WHERE telegram_id = $1)', mallory.id)).toEqual([
      { order_id: id },
    ]);
  });

  it("answers a client's buttons for another order with nothing, and changes nothing", async () => {
    // Setup
    const mine = await newOrder();
    const theirs = await newOrder();
    await workOrder(h, { staff: anna, master: petr }, theirs, 'completed');
    const olga = h.user(telegramId(), 'Ольга');
    await olga.send(`/start ${await linkFor(mine)}`);

    // Action
    const replies = [];
    for (const data of [`cl:s:${theirs}`, `cl:c:${theirs}`, `cl:cy:${theirs}`, `cl:w:${theirs}`, `cl:r:${theirs}:1`, `cl:r:${theirs}:9`, 'cl:zz:1']) {
      replies.push(...(await olga.act(`Ольга presses forged ${data}`, olga.callbackUpdate(data, 1))));
    }
    const texts = replies.map((c) => c.payload.text).filter(Boolean);

    // Assertions
    expect(texts).toEqual([
      'Такого заказа у вас нет.',
      'Такого заказа у вас нет.',
      'Такого заказа у вас нет.',
      'Такого заказа у вас нет.',
      'Такого заказа у вас нет.',
      expect.stringMatching(/кнопк/i),
      expect.stringMatching(/кнопк/i),
    ]);
    expect(await rows('SELECT status FROM orders WHERE id = $1', theirs)).toEqual([{ status: 'COMPLETED' }]);
    expect(await rows('SELECT count(*)::int AS n FROM order_ratings WHERE order_id = $1', theirs)).toEqual([{ n: 0 }]);
    expect(await rows('SELECT count(*)::int AS n FROM order_clients WHERE order_id = $1', theirs)).toEqual([{ n: 0 }]);
  });

  it('sees only their own orders when writing anything else, never the staff menu', async () => {
    // Setup
    const id = await newOrder();
    const olga = h.user(telegramId(), 'Ольга');
    await olga.send(`/start ${await linkFor(id)}`);

    // Action
    const menu = await olga.send('/start');
    const orders = await olga.send('/orders');
    const stranger = await h.user(telegramId(), 'Visitor').send('/start');

    // Assertions
    for (const reply of [menu, orders]) {
      expect(reply).toHaveLength(1);
      expect(String(reply[0]!.payload.text)).toContain(`Заказ №${id}`);
      expect(buttonsOf(reply[0])).not.toContain('➕ Новый заказ');
    }
    expect(String(stranger[0]!.payload.text)).toContain('Call +7 495 000-00-00');
    expect(updateId()).toBeGreaterThan(0);
  });
});
