import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.ts';
import { startService } from '../../src/app-runtime.ts';
import { createLogger } from '../../src/telemetry/logger.ts';
import { useTestDatabase } from '../support/db.ts';
import { eventually } from '../support/eventually.ts';
import { telegramId } from '../support/fixtures.ts';
import { startTelegramStub, type TelegramStub } from '../support/telegram-stub.ts';
import { SECRET, TOKEN } from './harness.ts';

/** The bot as `npm start` runs it: chosen by configuration, started and stopped with the service. */
const t = useTestDatabase();
let stub: TelegramStub;

beforeAll(async () => {
  stub = await startTelegramStub({ maxPollSeconds: 1 });
});
afterAll(async () => {
  await stub.close();
});

function config(extra: Record<string, string>) {
  return loadConfig({
    DATABASE_URL: t.url,
    PORT: '0',
    HOST: '127.0.0.1',
    LOG_LEVEL: 'silent',
    PG_POOL_MIN: '0',
    PG_POOL_MAX: '5',
    WARM_UP_REQUESTS: '50',
    TELEGRAM_BOT_TOKEN: TOKEN,
    TELEGRAM_API_ROOT: stub.url,
    ...extra,
  });
}

function hello(id: number, updateId: number) {
  const from = { id, is_bot: false, first_name: 'Visitor' };
  return {
    update_id: updateId,
    message: {
      message_id: 1,
      date: Math.floor(Date.now() / 1000),
      chat: { id, type: 'private' },
      from,
      text: '/start',
      entities: [{ type: 'bot_command', offset: 0, length: 6 }],
    },
  };
}

describe('the service runs the bot', () => {
  it('by webhook when TELEGRAM_WEBHOOK_URL is set: registers it with the secret and serves it', async () => {
    // Setup
    stub.reset();
    const service = await startService(
      config({ TELEGRAM_WEBHOOK_URL: 'https://bot.example.invalid/api/v1/telegram/webhook', TELEGRAM_WEBHOOK_SECRET: SECRET }),
      createLogger('silent'),
    );
    const visitor = telegramId();
    try {
      // Action
      const res = await fetch(`http://127.0.0.1:${service.http.port}/api/v1/telegram/webhook`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-telegram-bot-api-secret-token': SECRET },
        body: JSON.stringify(hello(visitor, 900_001)),
      });
      await service.bot!.telegram.idle();

      // Assertions
      expect(res.status).toBe(200);
      expect(stub.callsOf('setWebhook').map((c) => c.payload)).toEqual([
        {
          url: 'https://bot.example.invalid/api/v1/telegram/webhook',
          secret_token: SECRET,
          allowed_updates: ['message', 'edited_message', 'callback_query', 'my_chat_member'],
        },
      ]);
      expect(stub.callsOf('getUpdates')).toEqual([]);
      expect(stub.messagesTo(visitor)).toHaveLength(1);
    } finally {
      await service.stop();
    }
  });

  it('by long polling otherwise, and stops polling on shutdown', async () => {
    // Setup
    stub.reset();
    const service = await startService(config({}), createLogger('silent'));
    const visitor = telegramId();

    // Action
    stub.pushUpdate(hello(visitor, 900_002));
    const reply = await stub.waitFor((c) => c.method === 'sendMessage' && c.payload.chat_id === visitor, 10_000);
    await service.stop();
    const stoppedAt = Date.now();
    // The poll cut short by stop() is recorded once it has ended. A runner still
    // polling would keep a poll open (each lasts up to a second), or have one
    // recorded with an arrival after stop.
    await eventually(() => expect(stub.openPolls()).toBe(0), { timeout: 5000, what: 'no long poll open after stop' });

    // Assertions
    expect(stub.callsOf('deleteWebhook')).toHaveLength(1);
    expect(reply.payload.text).toContain('Здравствуйте!');
    expect(stub.callsOf('getUpdates').length).toBeGreaterThan(0);
    expect(stub.callsOf('getUpdates').filter((c) => c.at > stoppedAt)).toEqual([]);
  });
});
