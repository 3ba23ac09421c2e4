import { describe, expect, it } from 'vitest';
import { useTestDatabase } from '../support/db.ts';
import { makeUser, orderInput, telegramId } from '../support/fixtures.ts';
import { createBot } from '../../src/bot/create-bot.ts';
import { webhookHandler } from '../../src/bot/runtime.ts';
import { createDatabase } from '../../src/db/pool.ts';
import { createHttpApp } from '../../src/http/app.ts';
import { listen } from '../../src/http/server.ts';
import { DEFAULT_COMMISSION } from '../../src/orders/money.ts';
import { createServices } from '../../src/services.ts';
import { createLogger } from '../../src/telemetry/logger.ts';
import { buttonsOf, SECRET, SUPPORT, TOKEN, useBotHarness } from './harness.ts';

const t = useTestDatabase();
const h = useBotHarness(t);

describe('when things go wrong', () => {
  it('a failing handler apologises, rolls its update back, is counted and logged without secrets', async () => {
    // Setup: the equipment list cannot be read (a broken schema, say)
    await h.restart(); // nothing cached
    const anna = await makeUser(t.db, ['DISPATCHER'], 'Anna');
    const me = h.user(anna.telegramId!, 'Anna');
    await t.db.pool.query('ALTER TABLE equipment_types RENAME TO equipment_types_gone');
    const update = me.messageUpdate('/new');
    let replies;
    try {
      // Action
      replies = await me.act('Anna: /new (the database cannot serve it)', update);
    } finally {
      await t.db.pool.query('ALTER TABLE equipment_types_gone RENAME TO equipment_types');
    }

    // Assertions
    expect(replies.map((c) => c.payload.text)).toEqual(['Извините, у нас что-то пошло не так. Попробуйте ещё раз через минуту.']);
    expect(h.telegram.failures).toBe(1);
    const { rows } = await t.db.pool.query('SELECT count(*)::int AS n FROM processed_updates WHERE update_id = $1', [
      (update as { update_id: number }).update_id,
    ]);
    expect(rows[0].n).toBe(0);
    const { rows: conv } = await t.db.pool.query('SELECT count(*)::int AS n FROM bot_conversations');
    expect(conv[0].n).toBe(0);
    const failure = h.logs.map((l) => JSON.parse(l)).find((l) => l.msg === 'bot handler failed');
    expect(failure).toMatchObject({ level: 'error', handler: 'orders.create_start', err: { type: 'DbError' } });

    // The same person carries on once it is fixed
    await me.send('/new');
    expect(me.last!.payload.text).toContain('выберите тип техники');
  });

  it('a 429 from the Bot API is waited out and the message still goes', async () => {
    // Setup
    const anna = await makeUser(t.db, ['DISPATCHER'], 'Anna');
    const me = h.user(anna.telegramId!, 'Anna');
    h.stub.failNext('sendMessage', { retryAfter: 1 });

    // Action
    const replies = await me.send('/start');

    // Assertions: one refused attempt, then the same message delivered
    const attempts = h.stub.calls.filter((c) => c.method === 'sendMessage' && c.payload.chat_id === anna.telegramId);
    expect(attempts.map((c) => c.failed)).toEqual([true, false]);
    expect(attempts[1]!.payload.text).toBe(attempts[0]!.payload.text);
    expect(attempts[1]!.at - attempts[0]!.at).toBeGreaterThanOrEqual(900);
    expect(replies.map((c) => c.method)).toEqual(['sendMessage']);
  });

  it('a database outage answers 503 so that Telegram delivers the update again', async () => {
    // Setup: a second bot whose database is unreachable
    const logs: string[] = [];
    const logger = createLogger('info', { write: (line: string) => void logs.push(line) });
    const dead = createDatabase('postgres://nobody@127.0.0.1:1/none', { min: 0, max: 1, statementTimeoutMs: 1000, idleTimeoutMs: 1000 }, logger);
    const services = createServices(dead, { commission: DEFAULT_COMMISSION }, logger);
    const telegram = createBot({
      token: TOKEN,
      apiRoot: h.stub.url,
      services,
      database: dead,
      settings: { supportContact: SUPPORT, timeZone: 'Europe/Moscow' },
      logger,
    });
    const http = await listen(createHttpApp({ services, expectedMigrations: [], telegramWebhook: webhookHandler(telegram, SECRET, logger) }), 0, '127.0.0.1');
    try {
      // Action
      const res = await fetch(`http://127.0.0.1:${http.port}/api/v1/telegram/webhook`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-telegram-bot-api-secret-token': SECRET },
        body: JSON.stringify(h.user(telegramId(), 'Anna').messageUpdate('/start')),
      });

      // Assertions
      expect(res.status).toBe(503);
      expect(res.headers.get('retry-after')).toBe('5');
      const line = logs.map((l) => JSON.parse(l)).find((l) => l.msg === 'webhook update not handled');
      expect(line).toMatchObject({ level: 'error', err: { type: 'ConnectionError' } });
      expect(logs.join('\n')).not.toContain(TOKEN.split(':')[1]);
    } finally {
      await http.close(100);
      await telegram.stop();
      await dead.close();
    }
  });

  it('logs neither the bot token nor phone numbers', () => {
    const all = h.logs.join('\n');
    expect(h.logs.length).toBeGreaterThan(0);
    expect(all).not.toContain(TOKEN);
    expect(all).not.toContain(TOKEN.split(':')[1]);
    expect(all).not.toMatch(/\+?7\d{10}/);
  });
});

describe('languages', () => {
  it('Russian by default; English after /language, statuses and equipment types included', async () => {
    // Setup
    const anna = await makeUser(t.db, ['DISPATCHER'], 'Anna');
    const { order } = await h.services.orders.create(anna, orderInput({ equipment_type: 'dishwasher' }));
    const me = h.user(anna.telegramId!, 'Anna');

    // Action + assertions: Russian
    await me.send(`/order ${order.id}`);
    expect(me.last!.payload.text).toContain(`Заказ №${order.id} · Новый`);
    expect(me.last!.payload.text).toContain('Техника: Посудомоечная машина');

    // Switch to English
    await me.send('/language');
    const [, menu] = await me.press('English');
    expect(menu!.payload.text).toBe('Language changed. Your roles: dispatcher.');
    expect(buttonsOf(menu)).toEqual(expect.arrayContaining(['➕ New order', '📋 Orders', '🔎 Search']));
    const { rows } = await t.db.pool.query('SELECT language FROM users WHERE id = $1', [anna.userId]);
    expect(rows[0].language).toBe('en');

    await me.send(`/order ${order.id}`);
    expect(me.last!.payload.text).toContain(`Order #${order.id} · New`);
    expect(me.last!.payload.text).toContain('Equipment: Dishwasher');
    expect(buttonsOf(me.last)).toEqual(expect.arrayContaining(['👷 Assign', '❌ Refuse']));

    // And back
    await me.send('/language');
    await me.press('Русский');
    await me.send(`/order ${order.id}`);
    expect(me.last!.payload.text).toContain('Техника: Посудомоечная машина');
  });

  it('a newcomer whose Telegram speaks English is answered in English', async () => {
    const id = telegramId();
    const [hello] = await h.user(id, 'John', 'en').send('/start');
    expect(hello!.payload.text).toContain('Hello! This is the repair service bot.');
  });
});
