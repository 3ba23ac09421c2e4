import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createBot, type TelegramBot } from '../../src/bot/create-bot.ts';
import { startPolling } from '../../src/bot/runtime.ts';
import { createServices } from '../../src/services.ts';
import { createLogger } from '../../src/telemetry/logger.ts';
import { useTestDatabase } from '../support/db.ts';
import { makeUser } from '../support/fixtures.ts';
import { startTelegramStub, type TelegramStub } from '../support/telegram-stub.ts';
import { SUPPORT, TOKEN } from './harness.ts';

const t = useTestDatabase();
let stub: TelegramStub;
let telegram: TelegramBot;

beforeAll(async () => {
  stub = await startTelegramStub({ maxPollSeconds: 1 });
  const services = createServices(t.db, {}, { error: () => {} });
  telegram = createBot({
    token: TOKEN,
    apiRoot: stub.url,
    services,
    database: t.db,
    settings: { supportContact: SUPPORT, timeZone: 'Europe/Moscow' },
    logger: createLogger('silent'),
  });
});

afterAll(async () => {
  await telegram.stop();
  await stub.close();
});

describe('long polling (grammY runner)', () => {
  it('fetches updates with getUpdates, answers them, records them once, and stops cleanly', async () => {
    // Setup
    const anna = await makeUser(t.db, ['DISPATCHER'], 'Anna');
    const from = { id: anna.telegramId!, is_bot: false, first_name: 'Anna' };
    const message = (id: number, text: string) => ({
      update_id: id,
      message: {
        message_id: id,
        date: Math.floor(Date.now() / 1000),
        chat: { id: from.id, type: 'private' },
        from,
        text,
        entities: [{ type: 'bot_command', offset: 0, length: text.length }],
      },
    });

    // Action
    const runner = await startPolling(telegram, createLogger('silent'));
    stub.pushUpdate(message(501, '/start'));
    stub.pushUpdate(message(502, '/help'));
    const help = await stub.waitFor((c) => c.method === 'sendMessage' && String(c.payload.text).startsWith('Что вы можете:'), 10_000);
    await telegram.idle();
    await runner.stop();

    // Assertions
    expect(stub.callsOf('deleteWebhook')).toHaveLength(1);
    const polls = stub.callsOf('getUpdates');
    expect(polls.length).toBeGreaterThanOrEqual(1);
    expect(polls[0]!.payload.allowed_updates).toEqual(['message', 'edited_message', 'callback_query', 'my_chat_member']);
    const texts = stub.messagesTo(from.id).map((c) => String(c.payload.text));
    expect(texts[0]).toContain('Здравствуйте, Anna');
    expect(help.payload.chat_id).toBe(from.id);
    const { rows } = await t.db.pool.query('SELECT update_id FROM processed_updates ORDER BY update_id');
    expect(rows.map((r) => Number(r.update_id))).toEqual([501, 502]);
    expect(runner.isRunning()).toBe(false);
  });
});
