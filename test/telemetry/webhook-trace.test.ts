import { createServer, type Server } from 'node:http';
import { SpanKind } from '@opentelemetry/api';
import type { InMemorySpanExporter, ReadableSpan } from '@opentelemetry/sdk-trace';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../src/db/database.ts';
import { migrationsCurrent } from '../../src/db/migrate.ts';
import type { RunningServer } from '../../src/http/server.ts';
import type { Telemetry } from '../../src/telemetry/telemetry.ts';
import { useTestDatabase } from '../support/db.ts';
import { eventually } from '../support/eventually.ts';
import { parseExposition } from './exposition.ts';
import { childrenOf, inMemoryTracing, memoryLogger } from './support.ts';

/**
 * A Telegram update delivered by webhook, traced end to end: the HTTP span
 * of POST /api/v1/telegram/webhook, the update span under it, the handler's
 * SQL and its Bot API call (with the HTTP call to the Bot API) under the
 * update. The bot here is a minimal grammY bot installing the telemetry
 * contract (updateTelemetry, markHandler, botApiTelemetry) exactly as
 * src/bot does, behind the production HTTP app and telemetry wiring,
 * against a local Bot API stub.
 */
const TOKEN = '123456:AAH-test_token_value_not_real_0001';
const t = useTestDatabase();
let exporter: InMemorySpanExporter;
let stub: Server;
let stubCalls: string[] = [];
let http: RunningServer;
let telemetry: Telemetry;
let db: Database;
let base: string;

beforeAll(async () => {
  exporter = await inMemoryTracing();
  stub = createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString()));
    req.on('end', () => {
      stubCalls.push(req.url ?? '');
      res.setHeader('content-type', 'application/json');
      const chatId = (JSON.parse(body || '{}') as { chat_id?: number }).chat_id;
      if (chatId === 429)
        res.end(JSON.stringify({ ok: false, error_code: 429, description: 'Too Many Requests: retry after 1', parameters: { retry_after: 1 } }));
      else res.end(JSON.stringify({ ok: true, result: { message_id: 1, date: 0, chat: { id: chatId, type: 'private' }, text: 'ok' } }));
    });
  });
  await new Promise<void>((r) => stub.listen(0, '127.0.0.1', r));
  const stubPort = (stub.address() as { port: number }).port;

  const { Bot, webhookCallback } = await import('grammy');
  const { botApiTelemetry, markHandler, updateTelemetry } = await import('../../src/telemetry/bot-telemetry.ts');
  const { createTelemetry } = await import('../../src/telemetry/telemetry.ts');
  const { createHttpApp } = await import('../../src/http/app.ts');
  const { default: express } = await import('express');
  const json = express.json();
  const withJsonBody =
    (handler: import('express').RequestHandler): import('express').RequestHandler =>
    (req, res, next) =>
      json(req, res, (err?: unknown) => (err ? next(err) : handler(req, res, next)));
  const { listen } = await import('../../src/http/server.ts');
  const { createServices } = await import('../../src/services.ts');

  const bot = new Bot(TOKEN, {
    botInfo: {
      id: 123456,
      is_bot: true,
      first_name: 'Test',
      username: 'test_bot',
      can_join_groups: false,
      can_read_all_group_messages: false,
      supports_inline_queries: false,
    } as never,
    client: { apiRoot: `http://127.0.0.1:${stubPort}` },
  });
  bot.api.config.use(botApiTelemetry());
  bot.use(updateTelemetry());
  bot.on('message:text', async (ctx) => {
    markHandler(ctx, 'test.echo');
    await migrationsCurrent(db, []);
    await ctx.reply('ok').catch(() => undefined);
  });
  const { logger } = memoryLogger();
  telemetry = createTelemetry({ metricsEnabled: true, slowQueryMs: 100 }, logger, { databaseUrl: t.url });
  const { createDatabase } = await import('../../src/db/pool.ts');
  db = createDatabase(t.url, { min: 0, max: 5, statementTimeoutMs: 10_000, idleTimeoutMs: 10_000 }, logger, telemetry.observer);
  const services = createServices(db, {}, logger);
  telemetry.attach(db, services.changes);
  const app = createHttpApp({
    services,
    expectedMigrations: [],
    before: telemetry.before,
    routers: telemetry.routers,
    // The app mounts the webhook without a body parser (ours reads the body after its secret check).
    telegramWebhook: withJsonBody(webhookCallback(bot, 'express')),
  });
  http = await listen(app, 0, '127.0.0.1');
  base = `http://127.0.0.1:${http.port}`;
});

afterAll(async () => {
  await telemetry?.stop();
  await http?.close(1000);
  await db?.close();
  await new Promise((r) => stub?.close(r));
});

function update(id: number, chatId: number): string {
  return JSON.stringify({
    update_id: id,
    message: { message_id: id, date: 0, chat: { id: chatId, type: 'private' }, from: { id: chatId, is_bot: false, first_name: 'U' }, text: 'hello' },
  });
}

async function post(body: string): Promise<number> {
  return (await fetch(`${base}/api/v1/telegram/webhook`, { method: 'POST', headers: { 'content-type': 'application/json' }, body })).status;
}

const one = (spans: ReadableSpan[], name: string) => {
  const found = spans.filter((s) => s.name === name);
  expect(found.map((s) => s.name)).toEqual([name]);
  return found[0]!;
};

describe('webhook update traces', () => {
  it('nest update, SQL and Bot API spans under the webhook request, with the token redacted', async () => {
    // Setup
    exporter.reset();
    stubCalls = [];
    // Action
    expect(await post(update(1, 42))).toBe(200);
    // The request's span ends after its answer, the reply's once the Bot API has answered.
    await eventually(
      () =>
        expect(exporter.getFinishedSpans().map((s) => s.name)).toEqual(expect.arrayContaining(['POST /api/v1/telegram/webhook', 'telegram.api sendMessage'])),
      { what: 'the webhook and reply spans' },
    );
    // Assertions
    const spans = exporter.getFinishedSpans();
    const request = one(spans, 'POST /api/v1/telegram/webhook');
    expect(request.kind).toBe(SpanKind.SERVER);
    const upd = one(spans, 'telegram.update message');
    expect(upd.parentSpanContext?.spanId).toBe(request.spanContext().spanId);
    expect(upd.attributes['telegram.handler']).toBe('test.echo');
    const children = childrenOf(spans, upd).map((s) => s.name);
    expect(children).toEqual(expect.arrayContaining(['schema.list_applied_migrations', 'telegram.api sendMessage']));
    const api = one(spans, 'telegram.api sendMessage');
    const outgoing = childrenOf(spans, api);
    expect(outgoing.map((s) => s.kind)).toEqual([SpanKind.CLIENT]);
    expect(stubCalls[0]).toContain(TOKEN);
    expect(JSON.stringify(spans.map((s) => [s.name, s.attributes, s.events]))).not.toContain('test_token_value');
    expect(outgoing[0]!.attributes['url.full']).toMatch(/\/bot<redacted>\/sendMessage$/);
  });

  it('counts updates by type and handler, and Bot API calls by method and outcome', async () => {
    // Action
    expect(await post(update(2, 429))).toBe(200);
    const text = await (await fetch(`${base}/metrics`, { headers: { accept: 'application/openmetrics-text' } })).text();
    // Assertions
    const families = parseExposition(text, 'openmetrics');
    const counts = (name: string) => families.get(name)!.samples.filter((s) => s.name === `${name}_count`);
    expect(counts('telegram_bot_update_duration_seconds').map((s) => [s.labels, s.value])).toEqual([[{ update_type: 'message', handler: 'test.echo' }, 2]]);
    const api = counts('telegram_bot_api_request_duration_seconds').map((s) => [s.labels.method, s.labels.outcome, s.value]);
    expect(api).toEqual(
      expect.arrayContaining([
        ['sendMessage', 'success', 1],
        ['sendMessage', 'rate_limited', 1],
      ]),
    );
    const buckets = families.get('telegram_bot_update_duration_seconds')!.samples.filter((s) => s.name.endsWith('_bucket'));
    expect(buckets.map((s) => s.labels.le)).toContain('0.1');
    const traced = buckets.find((s) => s.exemplar)?.exemplar?.labels.trace_id;
    expect(exporter.getFinishedSpans().some((s) => s.name === 'telegram.update message' && s.spanContext().traceId === traced)).toBe(true);
  });
});
