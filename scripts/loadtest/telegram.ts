import { randomBytes } from 'node:crypto';
import { startTelegramStub } from '../../test/support/telegram-stub.ts';

/**
 * The telegram scenario's other side: the project's stub Bot API (the bot
 * sends its replies there and k6 reads them back to click the buttons it
 * was given), and the service settings that run the bot by webhook.
 */
export interface TelegramSide {
  fixture: { secret: string; stubUrl: string };
  serviceEnv(port: number): NodeJS.ProcessEnv;
  /** Bot API calls the stub answered, per method: the replies were real HTTP calls. */
  stats(): Record<string, number>;
  stop(): Promise<void>;
}

export async function startTelegram(): Promise<TelegramSide> {
  const stub = await startTelegramStub({ maxCalls: 200_000 });
  const secret = randomBytes(24).toString('base64url');
  return {
    fixture: { secret, stubUrl: stub.url },
    serviceEnv: (port) => ({
      TELEGRAM_BOT_TOKEN: `123456789:${randomBytes(24).toString('base64url')}`,
      TELEGRAM_API_ROOT: stub.url,
      TELEGRAM_WEBHOOK_URL: `http://127.0.0.1:${port}/api/v1/telegram/webhook`,
      TELEGRAM_WEBHOOK_SECRET: secret,
    }),
    stats: () => stub.stats(),
    stop: () => stub.close(),
  };
}
