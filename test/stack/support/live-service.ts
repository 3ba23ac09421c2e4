import { loadConfig } from '../../../src/config.ts';
import type { Database } from '../../../src/db/database.ts';
import { defineQuery } from '../../../src/db/query.ts';
import { startService, type RunningService } from '../../../src/app-runtime.ts';
import { createLogger } from '../../../src/telemetry/logger.ts';
import { makeMaster } from '../../support/fixtures.ts';
import { issueToken } from '../../../src/users/tokens.ts';
import { textMessageUpdate } from '../../support/telegram-updates.ts';

const STUB_BOT_TOKEN = '123456:stack-test-token-aaaaaaaaaaaa';
const WEBHOOK_SECRET = 'stack-test-secret';

/** A private /start from someone the bot does not know, as Telegram would post it. */
function startCommandUpdate(updateId: number): Record<string, unknown> {
  return textMessageUpdate({ id: 7_000_000 + updateId, is_bot: false, first_name: 'Stranger', language_code: 'ru' }, '/start', updateId);
}

/**
 * The service as main.ts starts it, on a test database, on a free port;
 * with `botApiRoot`, also the Telegram bot by webhook against that stub.
 */
export async function startLiveService(databaseUrl: string, botApiRoot?: string): Promise<RunningService> {
  const bot = botApiRoot
    ? {
        TELEGRAM_BOT_TOKEN: STUB_BOT_TOKEN,
        TELEGRAM_API_ROOT: botApiRoot,
        TELEGRAM_WEBHOOK_URL: 'https://bot.example.invalid/api/v1/telegram/webhook',
        TELEGRAM_WEBHOOK_SECRET: WEBHOOK_SECRET,
      }
    : {};
  const config = loadConfig({
    DATABASE_URL: databaseUrl,
    PORT: '0',
    HOST: '127.0.0.1',
    LOG_LEVEL: 'silent',
    PG_POOL_MIN: '1',
    PG_POOL_MAX: '10',
    WARM_UP_REQUESTS: '50',
    ...bot,
  });
  return startService(config, createLogger('silent'));
}

/** Posts a /start update to the webhook as Telegram would; returns the HTTP status. */
export async function postBotUpdate(t: Traffic, updateId: number): Promise<number> {
  const res = await fetch(`${t.base}/api/v1/telegram/webhook`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-telegram-bot-api-secret-token': WEBHOOK_SECRET },
    body: JSON.stringify(startCommandUpdate(updateId)),
  });
  await res.arrayBuffer();
  return res.status;
}

/**
 * A statement that takes `seconds` on the server, run through the service's
 * own Database (so its observer times it like any query). Test-only: not in
 * src, so query-types.test.ts does not see it.
 */
const sleepQuery = defineQuery({
  name: 'stack_test.sleep_over_threshold',
  text: 'SELECT true AS slept FROM pg_sleep($1::float8)',
  params: { seconds: 'float8' },
  columns: { slept: 'bool' },
});

export async function runSlowQuery(db: Database, seconds: number): Promise<void> {
  await db.one(sleepQuery, { seconds });
}

export interface Traffic {
  base: string;
  adminToken: string;
  masterId: number;
  masterToken: string;
}

/** An admin token and an approved master, made the way the CLI and the API would. */
export async function prepareTraffic(service: RunningService, db: Database): Promise<Traffic> {
  const admin = service.bootstrapToken;
  if (!admin) throw new Error('expected the service to bootstrap an admin on the fresh database');
  const master = await makeMaster(db, { name: 'Stack Master' });
  const { token } = await issueToken(db, master.userId, 'stack-test', null);
  return { base: `http://127.0.0.1:${service.http.port}`, adminToken: admin, masterId: master.masterId, masterToken: token };
}

async function call(
  t: Traffic,
  method: string,
  path: string,
  body?: unknown,
  token = t.adminToken,
): Promise<{ status: number; body: Record<string, unknown> }> {
  const res = await fetch(`${t.base}${path}`, {
    method,
    headers: { authorization: `Bearer ${token}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  return { status: res.status, body: text.startsWith('{') ? (JSON.parse(text) as Record<string, unknown>) : {} };
}

async function expectOk(t: Traffic, method: string, path: string, body?: unknown, token?: string): Promise<Record<string, unknown>> {
  const res = await call(t, method, path, body, token);
  if (res.status >= 300) throw new Error(`${method} ${path} answered ${res.status}: ${JSON.stringify(res.body)}`);
  return res.body;
}

/**
 * One round of what users do: an order taken from NEW to CLOSED (so every
 * business counter and the revenue query have data), reads of lists, cards,
 * search and reports, probes, a scrape, and a request for a path that does
 * not exist (a 404 under the "unmatched" route).
 */
export async function driveRound(t: Traffic, round: number): Promise<void> {
  const order = await expectOk(t, 'POST', '/api/v1/orders', {
    equipment_type: 'washing_machine',
    description: `Does not drain (round ${round})`,
    client_name: 'Ivan Petrov',
    client_address: 'Moscow, Tverskaya 1',
    client_phone: '+79161234567',
  });
  const id = order.id as number;
  await expectOk(t, 'POST', `/api/v1/orders/${id}/assign`, { master_id: t.masterId });
  await expectOk(t, 'POST', `/api/v1/orders/${id}/accept`, undefined, t.masterToken);
  await expectOk(t, 'POST', `/api/v1/orders/${id}/arrive`, undefined, t.masterToken);
  await expectOk(
    t,
    'POST',
    `/api/v1/orders/${id}/complete`,
    { total_amount: '9000.00', materials_cost: '1000.00', has_review: true, out_of_city: false },
    t.masterToken,
  );
  await expectOk(t, 'POST', `/api/v1/orders/${id}/close`);
  // An order left waiting, so the pipeline shows more than one status.
  await expectOk(t, 'POST', '/api/v1/orders', {
    equipment_type: 'oven',
    description: 'No heat',
    client_name: 'Anna',
    client_address: 'Tula',
    client_phone: '89001112233',
  });
  await expectOk(t, 'GET', '/api/v1/orders?limit=20');
  await expectOk(t, 'GET', `/api/v1/orders/${id}`);
  await expectOk(t, 'GET', `/api/v1/orders/${id}/history`);
  await expectOk(t, 'GET', '/api/v1/search?q=Petrov');
  const from = new Date(Date.now() - 86_400_000).toISOString();
  const to = new Date(Date.now() + 60_000).toISOString();
  await expectOk(t, 'GET', `/api/v1/reports/summary?from=${from}&to=${to}`);
  await expectOk(t, 'GET', '/api/v1/masters');
  for (const path of ['/healthz', '/readyz', '/metrics']) await expectOk(t, 'GET', path);
  await call(t, 'GET', `/no/such/path/${round}`);
}
