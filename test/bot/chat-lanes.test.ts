import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createBot, type TelegramBot } from '../../src/bot/create-bot.ts';
import { webhookHandler } from '../../src/bot/runtime.ts';
import { createHttpApp } from '../../src/http/app.ts';
import { listen, type RunningServer } from '../../src/http/server.ts';
import { createServices, type Services } from '../../src/services.ts';
import { createLogger } from '../../src/telemetry/logger.ts';
import { useTestDatabase } from '../support/db.ts';
import { eventually } from '../support/eventually.ts';
import { makeUser } from '../support/fixtures.ts';
import { startTelegramStub, type TelegramStub } from '../support/telegram-stub.ts';

/**
 * A chat's outgoing messages under Telegram's pacing (here 400 ms a
 * message per chat, for speed): a failed update does not hold the chat,
 * replies and apologies overtake queued notifications, a burst of
 * notifications is coalesced and the queue bounded, and at shutdown what is
 * queued is saved for the next instance rather than waited for.
 */
const t = useTestDatabase();
const TOKEN = '123456789:TEST-token-for-the-stub-only_xyz';
const SECRET = 'lanes-secret';
const PACE_MS = 400;

let stub: TelegramStub;
let services: Services;
const logger = createLogger('silent');
const started: Array<{ telegram: TelegramBot; http?: RunningServer }> = [];

beforeAll(async () => {
  stub = await startTelegramStub();
  services = createServices(t.db, {}, { error: () => {} });
});
afterAll(async () => {
  for (const s of started) {
    await s.http?.close(100);
    await s.telegram.stop();
  }
  await stub?.close();
});

function startBot(paceMs = PACE_MS): TelegramBot {
  const telegram = createBot({
    token: TOKEN,
    apiRoot: stub.url,
    services,
    database: t.db,
    settings: { supportContact: 'support', timeZone: 'Europe/Moscow' },
    logger,
    throttle: { global: { maxConcurrent: 50 }, group: { maxConcurrent: 1, minTime: paceMs }, out: { maxConcurrent: 1, minTime: paceMs } },
  });
  started.push({ telegram });
  return telegram;
}

/** A notification nobody can merge with another (two would pass Telegram's 4096 characters). */
const long = (tag: string) => `${tag} ${'·'.repeat(3000)}`;
const textsTo = (chatId: number) => stub.messagesTo(chatId).map((c) => String(c.payload.text));

describe('outgoing queue of a chat', () => {
  it('coalesces a burst of notifications into one message, keeping every line and button', async () => {
    // Setup
    const telegram = startBot();
    const chat = 7_000_001;

    // Action: one goes out at once, the other seven wait for the pace and merge
    await Promise.all(
      Array.from({ length: 8 }, (_, i) =>
        telegram.bot.api.sendMessage(chat, `Order ${i + 1}: status changed`, {
          reply_markup: { inline_keyboard: [[{ text: 'Open', callback_data: `oc:${i + 1}` }]] },
        }),
      ),
    );

    // Assertions
    const sent = stub.messagesTo(chat);
    expect(sent).toHaveLength(2);
    const all = sent.map((c) => String(c.payload.text)).join('\n');
    for (let i = 1; i <= 8; i++) expect(all).toContain(`Order ${i}: status changed`);
    const buttons = sent.flatMap((c) => (c.payload.reply_markup as { inline_keyboard: Array<Array<{ callback_data: string }>> }).inline_keyboard.flat());
    expect(buttons.map((b) => b.callback_data).sort()).toEqual(['oc:1', 'oc:2', 'oc:3', 'oc:4', 'oc:5', 'oc:6', 'oc:7', 'oc:8'].sort());
  });

  it('is bounded: past 20 waiting messages the oldest are dropped, not kept forever', async () => {
    // Setup
    const telegram = startBot(5);
    const chat = 7_000_002;

    // Action
    const results = await Promise.allSettled(Array.from({ length: 25 }, (_, i) => telegram.bot.api.sendMessage(chat, long(`n${i}`))));

    // Assertions: the first went at once, 20 waited, the 4 oldest waiting were dropped
    expect(results.filter((r) => r.status === 'rejected')).toHaveLength(4);
    expect(textsTo(chat).map((s) => s.split(' ')[0])).toEqual(['n0', ...Array.from({ length: 20 }, (_, i) => `n${i + 5}`)]);
  });

  it('lets a failed update apologise ahead of queued notifications without holding the chat', async () => {
    // Setup: a dispatcher whose chat has a second and a half of notifications queued
    const telegram = startBot();
    const http = await listen(createHttpApp({ services, expectedMigrations: [], telegramWebhook: webhookHandler(telegram, SECRET, logger) }), 0, '127.0.0.1');
    started.at(-1)!.http = http;
    const anna = await makeUser(t.db, ['DISPATCHER'], 'Anna');
    const chat = anna.telegramId!;
    const queued = Array.from({ length: 6 }, (_, i) => telegram.bot.api.sendMessage(chat, long(`bulk${i}`)));
    let updateId = 500_000;
    const post = (text: string) =>
      fetch(`http://127.0.0.1:${http.port}/api/v1/telegram/webhook`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-telegram-bot-api-secret-token': SECRET },
        body: JSON.stringify({
          update_id: ++updateId,
          message: {
            message_id: updateId,
            date: Math.floor(Date.now() / 1000),
            chat: { id: chat, type: 'private' },
            from: { id: chat, is_bot: false, first_name: 'Anna' },
            text,
          },
        }),
      });

    // Action: an update that fails (its table is gone), then the next one from the same chat
    await t.db.pool.query('ALTER TABLE equipment_types RENAME TO equipment_types_gone');
    const t0 = performance.now();
    let failed: Response;
    try {
      failed = await post('/new');
    } finally {
      await t.db.pool.query('ALTER TABLE equipment_types_gone RENAME TO equipment_types');
    }
    const next = await post('/start');
    const handledMs = performance.now() - t0;
    await eventually(() => expect(textsTo(chat).length).toBeGreaterThanOrEqual(8), { timeout: 10_000, what: 'every message to the chat' });
    await Promise.all(queued);

    // Assertions
    expect(failed.status).toBe(200);
    expect(next.status).toBe(200);
    // Both updates were handled while most of the queue was still waiting.
    expect(handledMs).toBeLessThan(PACE_MS * 3);
    const order = textsTo(chat).map((s) => (s.startsWith('bulk') ? 'bulk' : s.includes('Извините') ? 'apology' : 'reply'));
    expect(order.indexOf('apology')).toBeLessThan(3);
    expect(order.indexOf('reply')).toBeLessThan(4);
    expect(order.filter((o) => o === 'bulk')).toHaveLength(6);
  });

  it('at shutdown saves what is queued for the next instance instead of waiting for it', async () => {
    // Setup
    const first = startBot();
    const chat = 7_000_003;
    const queued = Array.from({ length: 6 }, (_, i) => first.bot.api.sendMessage(chat, long(`saved${i}`)));
    await eventually(() => expect(textsTo(chat)).toHaveLength(1), { what: 'the first message in flight' });

    // Action
    const t0 = performance.now();
    await first.stop();
    const stopMs = performance.now() - t0;
    await Promise.all(queued);
    const { rows } = await t.db.pool.query<{ n: number }>('SELECT count(*)::int AS n FROM bot_outbox WHERE chat_id = $1', [chat]);
    const sentBefore = textsTo(chat).length;
    const second = startBot();
    const resent = await second.sendSaved();

    // Assertions
    expect(stopMs).toBeLessThan(PACE_MS * 3);
    expect(rows[0]!.n + sentBefore).toBe(6);
    expect(rows[0]!.n).toBeGreaterThanOrEqual(3);
    expect(resent).toBe(rows[0]!.n);
    expect(textsTo(chat).map((s) => s.split(' ')[0])).toEqual(Array.from({ length: 6 }, (_, i) => `saved${i}`));
    const left = await t.db.pool.query<{ n: number }>('SELECT count(*)::int AS n FROM bot_outbox');
    expect(left.rows[0]!.n).toBe(0);
  });
});
