import { spawn, type ChildProcess } from 'node:child_process';
import { createServer, type Server } from 'node:http';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SECRET, TOKEN } from '../bot/harness.ts';
import { cloneTemplate } from '../support/db.ts';
import { eventually } from '../support/eventually.ts';
import { telegramId } from '../support/fixtures.ts';
import { startTelegramStub, type TelegramStub } from '../support/telegram-stub.ts';
import { textMessageUpdate } from '../support/telegram-updates.ts';

/**
 * The production path, end to end: `node --import ./src/telemetry/preload.ts
 * src/main.ts` (what `npm start` runs) in a child process, exporting OTLP
 * (http/json, chosen by the standard OTEL_* variables) to a receiver in
 * this test. This proves that the preload really instruments the service
 * under ESM, that a request's SQL spans arrive as its children and that
 * the Bot API's HTTP calls (node-fetch inside grammY, patched through
 * require) get their client spans; the other files prove the details
 * in-process.
 */
interface OtlpSpan {
  traceId: string;
  spanId: string;
  parentSpanId?: string;
  name: string;
  attributes?: Array<{ key: string; value: { stringValue?: string } }>;
}

const ROOT = path.resolve(import.meta.dirname, '../..');
let receiver: Server;
const spans: OtlpSpan[] = [];
let child: ChildProcess;
let base: string;
let telegram: TelegramStub;
let drop: () => Promise<void> = async () => {};

function collect(body: string): void {
  const doc = JSON.parse(body) as { resourceSpans?: Array<{ scopeSpans?: Array<{ spans?: OtlpSpan[] }> }> };
  for (const rs of doc.resourceSpans ?? []) for (const ss of rs.scopeSpans ?? []) spans.push(...(ss.spans ?? []));
}

/** Starts `node --import preload src/main.ts` and resolves when it listens. */
async function startService(databaseUrl: string, otlpEndpoint: string, extra: NodeJS.ProcessEnv = {}): Promise<{ child: ChildProcess; base: string }> {
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    DATABASE_URL: databaseUrl,
    PORT: '0',
    HOST: '127.0.0.1',
    LOG_LEVEL: 'info',
    WARM_UP_REQUESTS: '50',
    OTEL_EXPORTER_OTLP_ENDPOINT: otlpEndpoint,
    OTEL_EXPORTER_OTLP_PROTOCOL: 'http/json',
    OTEL_BSP_SCHEDULE_DELAY: '100',
    ...extra,
  };
  delete env.OTEL_SDK_DISABLED;
  const proc = spawn(process.execPath, ['--import', './src/telemetry/preload.ts', 'src/main.ts'], { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
  const url = await new Promise<string>((resolve, reject) => {
    let out = '';
    proc.stdout.on('data', (c: Buffer) => {
      out += c.toString();
      const port = /"port":(\d+),"msg":"repair-bot listening"/.exec(out)?.[1];
      if (port) resolve(`http://127.0.0.1:${port}`);
    });
    proc.once('exit', (code) => reject(new Error(`service exited with ${code}: ${out}`)));
  });
  return { child: proc, base: url };
}

/** SIGTERM, then the exit code and how long the exit took. */
async function terminate(proc: ChildProcess): Promise<{ code: number | null; ms: number }> {
  const started = Date.now();
  proc.kill('SIGTERM');
  const code = await new Promise<number | null>((r) => proc.once('exit', r));
  return { code, ms: Date.now() - started };
}

beforeAll(async () => {
  receiver = createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString()));
    req.on('end', () => {
      if (req.url === '/v1/traces') collect(body);
      res.setHeader('content-type', 'application/json');
      res.end('{}');
    });
  });
  await new Promise<void>((r) => receiver.listen(0, '127.0.0.1', r));
  telegram = await startTelegramStub();
  const clone = await cloneTemplate();
  drop = clone.drop;
  ({ child, base } = await startService(clone.url, `http://127.0.0.1:${(receiver.address() as { port: number }).port}`, {
    TELEGRAM_BOT_TOKEN: TOKEN,
    TELEGRAM_API_ROOT: telegram.url,
    TELEGRAM_WEBHOOK_URL: 'https://bot.example.invalid/api/v1/telegram/webhook',
    TELEGRAM_WEBHOOK_SECRET: SECRET,
  }));
}, 60_000);

afterAll(async () => {
  if (child && child.exitCode === null) child.kill('SIGKILL');
  await new Promise((r) => receiver?.close(r));
  await telegram?.close();
  await drop();
});

describe('the --import preload in the real entry point', () => {
  it('exports a request span with its SQL spans as children over OTLP', async () => {
    // Action
    expect((await fetch(`${base}/readyz`)).status).toBe(200);
    await eventually(() => expect(spans.map((s) => s.name)).toContain('GET /readyz'), { timeout: 10_000, what: 'the exported GET /readyz span' });
    // Assertions
    const request = spans.find((s) => s.name === 'GET /readyz');
    expect(request).toBeDefined();
    const sql = spans.filter((s) => s.traceId === request!.traceId && s.parentSpanId === request!.spanId).map((s) => s.name);
    expect(sql).toContain('schema.list_applied_migrations');
  });

  it("exports a Bot API call's HTTP client span under its telegram.api span, the token redacted", async () => {
    // Setup: a stranger's /start, answered with a message
    const visitor = telegramId();
    const update = textMessageUpdate({ id: visitor, is_bot: false, first_name: 'Visitor' }, '/start', 910_001);
    // Action
    const res = await fetch(`${base}/api/v1/telegram/webhook`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-telegram-bot-api-secret-token': SECRET },
      body: JSON.stringify(update),
    });
    expect(res.status).toBe(200);
    await telegram.waitFor((c) => c.method === 'sendMessage' && c.payload.chat_id === visitor);
    // Assertions
    const api = await eventually(
      () => {
        const found = spans.find((s) => s.name === 'telegram.api sendMessage');
        expect(found).toBeDefined();
        expect(spans.filter((s) => s.parentSpanId === found!.spanId)).toHaveLength(1);
        return found!;
      },
      { timeout: 10_000, what: 'the exported sendMessage span and its HTTP child' },
    );
    const [outgoing] = spans.filter((s) => s.traceId === api.traceId && s.parentSpanId === api.spanId);
    const url = outgoing!.attributes?.find((a) => a.key === 'url.full')?.value.stringValue;
    expect(url).toMatch(/\/bot<redacted>\/sendMessage$/);
    expect(JSON.stringify(spans)).not.toContain(TOKEN.split(':')[1]);
  });

  it('stops promptly on SIGTERM, flushing spans', async () => {
    // Setup
    await fetch(`${base}/healthz`);
    // Action
    const { code, ms } = await terminate(child);
    // Assertions
    expect(code).toBe(0);
    expect(ms).toBeLessThan(10_000);
    expect(spans.some((s) => s.name === 'GET /healthz')).toBe(true);
  });
});

describe('an OTLP endpoint that refuses connections', () => {
  it('neither breaks requests nor holds up shutdown', async () => {
    // Setup: a port nothing listens on
    const closed = createServer();
    await new Promise<void>((r) => closed.listen(0, '127.0.0.1', r));
    const endpoint = `http://127.0.0.1:${(closed.address() as { port: number }).port}`;
    await new Promise((r) => closed.close(r));
    const clone = await cloneTemplate();
    const svc = await startService(clone.url, endpoint);
    try {
      // Action
      const statuses = [];
      for (let i = 0; i < 5; i++) statuses.push((await fetch(`${svc.base}/readyz`)).status);
      // No pause for exports: the flush at shutdown is the one that must fail without holding it up.
      const { code, ms } = await terminate(svc.child);
      // Assertions
      expect(statuses).toEqual([200, 200, 200, 200, 200]);
      expect(code).toBe(0);
      expect(ms).toBeLessThan(10_000);
    } finally {
      if (svc.child.exitCode === null) svc.child.kill('SIGKILL');
      await clone.drop();
    }
  }, 60_000);
});
