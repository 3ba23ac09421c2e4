import { existsSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { afterAll, beforeAll } from 'vitest';
import { freePort } from '../../scripts/lib/free-port.ts';
import type { Database } from '../../src/db/database.ts';
import { registerEnumArrayTypes } from '../../src/db/enum-arrays.ts';
import { createDatabase } from '../../src/db/pool.ts';
import type { Principal } from '../../src/users/principal.ts';
import { BOT_TOKEN } from '../console/support.ts';
import { tokenFor } from '../http/support.ts';
import { cloneTemplate } from '../support/db.ts';
import { makeMaster, makeUser } from '../support/fixtures.ts';
import { startServiceProcess, type ServiceProcess } from '../support/service-process.ts';
import { startTelegramStub, type TelegramStub } from '../support/telegram-stub.ts';

/**
 * The console as a person meets it: the real service process (bot by long
 * polling against the Bot API stub) on its own database, and Debian's
 * Chromium driven by playwright-core. Nothing downloads a browser: without
 * /usr/bin/chromium these tests fail, they never skip.
 */
const CHROMIUM = '/usr/bin/chromium';
export const SCREENSHOTS = path.resolve(import.meta.dirname, '../../test-results/console');

export interface ConsoleWorld {
  base: string;
  service: ServiceProcess;
  stub: TelegramStub;
  db: Database;
  browser: Browser;
  admin: Principal & { token: string };
  dispatcher: Principal;
  masters: Array<Principal & { masterId: number }>;
  /** A fresh browser profile (no cookies) with CSP violations recorded in window.__cspViolations. */
  context(viewport?: { width: number; height: number }): Promise<BrowserContext>;
  /** Calls the API as the admin (a bearer token), as another client would. */
  api(method: string, path: string, body?: unknown): Promise<{ status: number; body: Record<string, unknown> }>;
}

export function useConsoleWorld(): ConsoleWorld {
  const w = {} as ConsoleWorld;
  let drop: () => Promise<void> = async () => {};
  const contexts: BrowserContext[] = [];
  beforeAll(async () => {
    if (!existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} is missing: apt-get install chromium (.ci/run does)`);
    await mkdir(SCREENSHOTS, { recursive: true });
    const clone = await cloneTemplate();
    drop = clone.drop;
    w.db = createDatabase(clone.url, { min: 0, max: 4, statementTimeoutMs: 30_000, idleTimeoutMs: 10_000 }, { error: () => {} });
    await registerEnumArrayTypes(w.db);
    const admin = await makeUser(w.db, ['ADMIN'], 'Ольга Админова');
    w.admin = { ...admin, token: await tokenFor(w.db, admin) };
    w.dispatcher = await makeUser(w.db, ['DISPATCHER'], 'Анна Диспетчерова');
    w.masters = [await makeMaster(w.db, { name: 'Пётр Мастеров' }), await makeMaster(w.db, { name: 'Иван Ключников' })];
    w.stub = await startTelegramStub({ maxPollSeconds: 1 });
    const port = await freePort();
    w.base = `http://127.0.0.1:${port}`;
    w.service = await startServiceProcess({
      DATABASE_URL: clone.url,
      PORT: String(port),
      CONSOLE_PUBLIC_URL: w.base,
      TELEGRAM_BOT_TOKEN: BOT_TOKEN,
      TELEGRAM_API_ROOT: w.stub.url,
      CONSOLE_HEARTBEAT_SECONDS: '2',
      RATE_LIMIT_PER_MINUTE: '0',
      RATE_LIMIT_AUTH_FAILURES_PER_MINUTE: '0',
      PG_POOL_MIN: '0',
    });
    w.browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: [
        '--headless',
        '--no-sandbox',
        '--disable-gpu',
        '--disable-quic',
        '--no-first-run',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
      ],
    });
    w.context = async (viewport = { width: 1440, height: 900 }) => {
      const ctx = await w.browser.newContext({ viewport, locale: 'ru-RU', timezoneId: 'Asia/Yekaterinburg' });
      // Runs in the page, before its own scripts (a string: this file is compiled without the DOM library).
      await ctx.addInitScript({
        content: `window.__cspViolations = []; document.addEventListener('securitypolicyviolation', (e) => window.__cspViolations.push(e.violatedDirective + ' ' + e.blockedURI));`,
      });
      contexts.push(ctx);
      return ctx;
    };
    w.api = async (method, path, body) => {
      const res = await fetch(`${w.base}${path}`, {
        method,
        headers: { authorization: `Bearer ${w.admin.token}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
      return { status: res.status, body: (await res.json().catch(() => ({}))) as Record<string, unknown> };
    };
  });
  afterAll(async () => {
    for (const ctx of contexts) await ctx.close().catch(() => undefined);
    await w.browser?.close();
    w.service?.kill();
    await w.stub?.close();
    await w.db?.close();
    await drop();
  });
  return w;
}

export async function cspViolations(page: Page): Promise<string[]> {
  return page.evaluate<string[]>('window.__cspViolations');
}
