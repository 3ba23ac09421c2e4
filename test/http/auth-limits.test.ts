import { connect } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createBot, type TelegramBot } from '../../src/bot/create-bot.ts';
import { webhookHandler } from '../../src/bot/runtime.ts';
import { createHttpApp } from '../../src/http/app.ts';
import { listen, type RunningServer } from '../../src/http/server.ts';
import { createLogger } from '../../src/telemetry/logger.ts';
import { telegramId } from '../support/fixtures.ts';
import { startTelegramStub, type TelegramStub } from '../support/telegram-stub.ts';
import { useApi } from './support.ts';

/**
 * Failed authentications are limited per client address and per presented
 * credential, separately: one client guessing tokens behind a shared proxy
 * must not lock out the valid tokens of everyone else. The webhook's wrong
 * secrets count too, and it reads no body before the secret is right.
 */
const api = useApi();
const LIMIT = 5;
const SECRET = 'webhook-secret-for-limits';
const BOT_TOKEN = '123456789:TEST-token-for-the-stub-only_xyz';

let server: RunningServer;
let base: string;
let stub: TelegramStub;
let telegram: TelegramBot;
beforeAll(async () => {
  stub = await startTelegramStub();
  const logger = createLogger('silent');
  telegram = createBot({
    token: BOT_TOKEN,
    apiRoot: stub.url,
    services: api.services,
    database: api.t.db,
    settings: { supportContact: 'support', timeZone: 'Europe/Moscow' },
    logger,
  });
  const app = createHttpApp({
    services: api.services,
    expectedMigrations: [],
    rateLimit: { perMinute: 0, authFailuresPerMinute: LIMIT },
    // The test's own address is the trusted proxy: X-Forwarded-For names the client.
    trustProxy: 'loopback',
    telegramWebhook: webhookHandler(telegram, SECRET, logger),
  });
  server = await listen(app, 0, '127.0.0.1');
  base = `http://127.0.0.1:${server.port}`;
});
afterAll(async () => {
  await server?.close(500);
  await telegram?.stop();
  await stub?.close();
});

const BAD_TOKEN = (i: number) => `rb_${String(i).padStart(43, 'x')}`;

function get(token: string | null, client: string): Promise<Response> {
  const headers: Record<string, string> = { 'x-forwarded-for': client };
  if (token) headers.authorization = `Bearer ${token}`;
  return fetch(`${base}/api/v1/orders`, { headers });
}

async function failFrom(client: string, times: number, token: (i: number) => string = BAD_TOKEN): Promise<number[]> {
  const statuses: number[] = [];
  for (let i = 0; i < times; i++) statuses.push((await get(token(i), client)).status);
  return statuses;
}

describe('failed authentications', () => {
  it('limit the address, but a valid token from it still gets through', async () => {
    // Setup: the valid token has been used before from elsewhere
    expect((await get(api.dispatcher.token, '203.0.113.9')).status).toBe(200);

    // Action
    const guesses = await failFrom('203.0.113.1', LIMIT + 1);
    const valid = await get(api.dispatcher.token, '203.0.113.1');
    const another = await get(api.admin.token, '203.0.113.1');

    // Assertions
    expect(guesses).toEqual([...Array<number>(LIMIT).fill(401), 429]);
    expect(valid.status).toBe(200);
    // Never seen by this instance: the address's limit applies to it.
    expect(another.status).toBe(429);
  });

  it('refuse with Retry-After and RateLimit headers', async () => {
    // Setup
    await failFrom('203.0.113.2', LIMIT);

    // Action
    const res = await get(BAD_TOKEN(99), '203.0.113.2');

    // Assertions
    expect(res.status).toBe(429);
    const retryAfter = Number(res.headers.get('retry-after'));
    expect(retryAfter).toBeGreaterThanOrEqual(1);
    expect(retryAfter).toBeLessThanOrEqual(60);
    expect(res.headers.get('ratelimit-policy')).toBe(`"auth-failures";q=${LIMIT};w=60`);
    expect(res.headers.get('ratelimit')).toBe(`"auth-failures";r=0;t=${retryAfter}`);
    expect(await res.json()).toMatchObject({ status: 429, type: 'urn:repair-bot:problem:rate-limited' });
  });

  it('limit one token tried from many addresses', async () => {
    // Action
    const statuses: number[] = [];
    for (let i = 0; i < LIMIT + 1; i++) statuses.push((await get(BAD_TOKEN(7), `198.51.100.${i + 1}`)).status);
    const otherToken = await get(BAD_TOKEN(8), '198.51.100.200');

    // Assertions
    expect(statuses).toEqual([...Array<number>(LIMIT).fill(401), 429]);
    expect(otherToken.status).toBe(401);
  });

  it('are counted per client behind the trusted proxy, not per proxy', async () => {
    // Setup
    await failFrom('192.0.2.10', LIMIT);

    // Action
    const other = await get(BAD_TOKEN(1234), '192.0.2.11');
    const same = await get(BAD_TOKEN(1235), '192.0.2.10');

    // Assertions
    expect(other.status).toBe(401);
    expect(same.status).toBe(429);
  });
});

describe('the webhook', () => {
  const update = () => ({ update_id: 1, message: { message_id: 1, date: 1, chat: { id: telegramId(), type: 'private' }, text: 'hi' } });
  const post = (secret: string, client: string, body: string = JSON.stringify(update())) =>
    fetch(`${base}/api/v1/telegram/webhook`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-telegram-bot-api-secret-token': secret, 'x-forwarded-for': client },
      body,
    });

  it('counts wrong secrets as failed authentications', async () => {
    // Action
    const statuses: number[] = [];
    for (let i = 0; i < LIMIT + 1; i++) statuses.push((await post(`wrong-${i}`, '203.0.113.50')).status);

    // Assertions
    expect(statuses).toEqual([...Array<number>(LIMIT).fill(401), 429]);
  });

  it('answers a wrong secret before reading the body', async () => {
    // Setup: headers promise a large body that never comes
    const head =
      'POST /api/v1/telegram/webhook HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n' +
      'X-Forwarded-For: 203.0.113.60\r\nX-Telegram-Bot-Api-Secret-Token: wrong\r\nContent-Length: 200000\r\n\r\n{';

    // Action
    const answer = await new Promise<string>((resolve, reject) => {
      const socket = connect(server.port, '127.0.0.1', () => socket.write(head));
      let got = '';
      socket.on('data', (d) => {
        got += d.toString();
        if (got.includes('\r\n\r\n')) {
          socket.destroy();
          resolve(got);
        }
      });
      socket.on('error', reject);
      socket.setTimeout(5000, () => socket.destroy(new Error('no answer without the body')));
    });

    // Assertions
    expect(answer).toMatch(/^HTTP\/1\.1 401 /);
  });

  it('refuses a body larger than any Telegram update (413), and takes a real-sized one', async () => {
    // Setup
    const big = JSON.stringify({ ...update(), padding: 'x'.repeat(300 * 1024) });
    const real = JSON.stringify({ ...update(), update_id: 2, message: { ...update().message, text: 'я'.repeat(4096) } });

    // Action
    const tooBig = await post(SECRET, '203.0.113.70', big);
    const ok = await post(SECRET, '203.0.113.70', real);

    // Assertions
    expect(tooBig.status).toBe(413);
    expect(ok.status).toBe(200);
  });
});
