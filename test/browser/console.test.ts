import path from 'node:path';
import type { Page } from 'playwright-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { initDataFor } from '../console/support.ts';
import { eventually } from '../support/eventually.ts';
import { orderInput } from '../support/fixtures.ts';
import { cspViolations, SCREENSHOTS, useConsoleWorld } from './support.ts';

const w = useConsoleWorld();

/** Today in the business time zone (Europe/Moscow, UTC+3 all year). */
const today = () => new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/Moscow' }).format(new Date());
const at = (time: string) => `${today()}T${time}:00+03:00`;

/** Opens the console as Telegram opens a Mini App: the signed init data in the URL fragment. */
function miniAppUrl(initData: string): string {
  return `${w.base}/console/#tgWebAppData=${encodeURIComponent(initData)}&tgWebAppVersion=8.0&tgWebAppPlatform=tdesktop`;
}

async function createOrder(overrides: Record<string, unknown>): Promise<{ id: number; version: number }> {
  const res = await w.api('POST', '/api/v1/orders', { ...orderInput(), ...overrides });
  if (res.status !== 201) throw new Error(`create: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body as unknown as { id: number; version: number };
}

async function statusOf(id: number): Promise<{ status: string; master_id: number | null; refuse_reason: string | null }> {
  return (await w.db.pool.query('SELECT status, master_id, refuse_reason FROM orders WHERE id = $1', [id])).rows[0];
}

const tile = (page: Page, status: string, id: number) => page.locator(`section[data-status="${status}"] [data-order="${id}"]`);

let seeded: Record<string, { id: number; version: number }>;

beforeAll(async () => {
  seeded = {
    washer: await createOrder({
      scheduled_at: at('09:30'),
      client_name: 'Мария Сидорова',
      client_address: 'Москва, Тверская 7, кв. 12',
      description: 'Не сливает воду',
    }),
    oven: await createOrder({
      scheduled_at: at('12:00'),
      equipment_type: 'oven',
      client_name: 'Сергей Волков',
      client_address: 'Москва, Арбат 21',
      description: 'Не греет',
    }),
    tv: await createOrder({ equipment_type: 'tv', client_name: 'Елена Орлова', client_address: 'Москва, Ленинский пр. 45', description: 'Нет изображения' }),
    heater: await createOrder({
      scheduled_at: at('16:00'),
      equipment_type: 'water_heater',
      client_name: 'Олег Новиков',
      client_address: 'Москва, Профсоюзная 3',
    }),
  };
  const assigned = await w.api('POST', `/api/v1/orders/${seeded.heater!.id}/assign`, { master_id: w.masters[1]!.masterId });
  expect(assigned.status).toBe(200);
  // Waiting three hours: the tile shows a breached SLA.
  await w.db.pool.query(`UPDATE orders SET status_changed_at = now() - interval '3 hours' WHERE id = $1`, [seeded.tv!.id]);
});

describe('signing in', () => {
  it('refuses forged init data and shows why; no session, and the fragment leaves the address bar', async () => {
    // Setup
    const page = await (await w.context()).newPage();
    const forged = initDataFor({ id: w.dispatcher.telegramId! }, { token: '555555555:NOT-this-bots-token-at-all' });

    // Action
    await page.goto(miniAppUrl(forged));
    await page.getByRole('alert').waitFor();

    // Assertions
    expect(await page.getByRole('alert').innerText()).toContain('Данные Telegram не подтвердились');
    expect(await page.locator('.board').count()).toBe(0);
    expect((await page.context().cookies()).map((c) => c.name)).not.toContain('rb_session');
    expect(page.url()).toBe(`${w.base}/console/`);
  });

  it('signs in with valid init data and shows the day board by status, in the Telegram language', async () => {
    // Setup
    const context = await w.context();
    const page = await context.newPage();

    // Action
    await page.goto(miniAppUrl(initDataFor({ id: w.dispatcher.telegramId!, language_code: 'ru' })));
    await tile(page, 'NEW', seeded.washer!.id).waitFor();

    // Assertions
    const headings = await page.locator('section.column h2').allInnerTexts();
    expect(headings.map((h) => h.replace(/\s*\d+$/, ''))).toEqual(['Новые', 'Назначены', 'Приняты', 'В работе', 'Длительный ремонт', 'Выполнены']);
    expect(await tile(page, 'NEW', seeded.washer!.id).innerText()).toMatch(/09:30[\s\S]*Стиральные машины[\s\S]*Тверская 7/);
    expect(await tile(page, 'ASSIGNED', seeded.heater!.id).innerText()).toContain('Иван Ключников');
    expect(await tile(page, 'NEW', seeded.tv!.id).locator('[data-sla]').getAttribute('data-sla')).toBe('late');
    expect(page.url()).toBe(`${w.base}/console/`);
    const session = (await context.cookies()).find((c) => c.name === 'rb_session')!;
    expect(session).toMatchObject({ httpOnly: true, sameSite: 'Strict', path: '/' });
    await page.screenshot({ path: path.join(SCREENSHOTS, 'board.png'), fullPage: true });
    expect(await cspViolations(page)).toEqual([]);
  });

  it('speaks English to a Telegram client in English', async () => {
    // Setup
    const page = await (await w.context()).newPage();

    // Action
    await page.goto(miniAppUrl(initDataFor({ id: w.admin.telegramId!, language_code: 'en' })));
    await page.locator('section[data-status="NEW"] h2').waitFor();

    // Assertions
    expect(await page.locator('section[data-status="NEW"] h2').innerText()).toMatch(/^New/);
    expect(await page.getByRole('tab', { name: "Masters' day" }).count()).toBe(1);
  });

  it('signs in outside Telegram with the one-time link the bot sends for /console, which works once', async () => {
    // Setup: the dispatcher asks the bot, as in Telegram (long polling against the stub).
    w.stub.pushUpdate({
      update_id: 900_001,
      message: {
        message_id: 1,
        date: Math.floor(Date.now() / 1000),
        chat: { id: w.dispatcher.telegramId!, type: 'private', first_name: 'Анна' },
        from: { id: w.dispatcher.telegramId!, is_bot: false, first_name: 'Анна', language_code: 'ru' },
        text: '/console',
        entities: [{ type: 'bot_command', offset: 0, length: 8 }],
      },
    });
    const sent = await w.stub.waitFor(
      (c) => c.method === 'sendMessage' && Number(c.payload.chat_id) === w.dispatcher.telegramId && String(c.payload.text).includes('/console/login'),
      20_000,
    );
    const link = /http:\/\/\S+\/console\/login\?token=rl_[A-Za-z0-9_-]{43}/.exec(String(sent.payload.text))?.[0];
    if (!link) throw new Error(`the bot answered: ${String(sent.payload.text)}`);
    const page = await (await w.context({ width: 1280, height: 800 })).newPage();

    // Action
    await page.goto(link);
    await tile(page, 'NEW', seeded.oven!.id).waitFor();
    const second = await (await w.context()).newPage();
    await second.goto(link);
    await second.getByRole('alert').waitFor();

    // Assertions
    expect(page.url()).toBe(`${w.base}/console/`);
    expect(await second.getByRole('alert').innerText()).toContain('недействительна или уже использована');
  });
});

describe('working the board', () => {
  let page: Page;
  beforeAll(async () => {
    page = await (await w.context()).newPage();
    await page.goto(miniAppUrl(initDataFor({ id: w.dispatcher.telegramId! })));
    await page.locator('[data-live="up"]').waitFor();
  });

  it('assigns a master chosen with their load, from the order card', async () => {
    // Setup
    const master = w.masters[0]!;

    // Action
    await tile(page, 'NEW', seeded.washer!.id).click();
    const mapHref = await page.locator('[data-card] a[data-map="yandex"]').getAttribute('href');
    await page.locator('[data-card] [data-action="assign"]').click();
    await page.locator(`[data-master="${master.masterId}"]`).waitFor();
    const choice = await page.locator(`[data-master="${master.masterId}"]`).innerText();
    await page.locator(`[data-master="${master.masterId}"]`).click();
    await page.getByRole('status').filter({ hasText: 'Назначен мастер' }).waitFor();
    await page.keyboard.press('Escape');
    await tile(page, 'ASSIGNED', seeded.washer!.id).waitFor();

    // Assertions
    expect(choice).toMatch(/Пётр Мастеров[\s\S]*сегодня: 0/);
    expect(mapHref).toBe(`https://yandex.ru/maps/?text=${encodeURIComponent('Москва, Тверская 7, кв. 12')}`);
    expect(await statusOf(seeded.washer!.id)).toMatchObject({ status: 'ASSIGNED', master_id: master.masterId });
    expect(await tile(page, 'NEW', seeded.washer!.id).count()).toBe(0);
  });

  it('shows a change made through the API at once, without reloading', async () => {
    // Setup
    const marker = await page.evaluate<number>('window.__marker = Math.random()');

    // Action
    const created = await createOrder({ scheduled_at: at('18:15'), client_name: 'Живой Клиент', client_address: 'Москва, Новый Арбат 1' });
    const createdAt = Date.now();
    await tile(page, 'NEW', created.id).waitFor({ timeout: 10_000 });
    const seenAfter = Date.now() - createdAt;
    await w.api('POST', `/api/v1/orders/${created.id}/assign`, { master_id: w.masters[1]!.masterId });
    await tile(page, 'ASSIGNED', created.id).waitFor({ timeout: 10_000 });

    // Assertions: the same page (no reload), now holding both changes.
    expect(await page.evaluate<number>('window.__marker')).toBe(marker);
    expect(await tile(page, 'ASSIGNED', created.id).innerText()).toContain('Иван Ключников');
    expect(await tile(page, 'NEW', created.id).count()).toBe(0);
    process.stdout.write(`browser: an order created through the API showed on the board after ${seenAfter} ms\n`);
  });

  it('refuses an order with a reason (required), and it leaves the board', async () => {
    // Action
    await tile(page, 'NEW', seeded.oven!.id).click();
    await page.locator('[data-card] [data-action="refuse"]').click();
    await page.getByRole('dialog', { name: 'Отказ' }).getByRole('button', { name: 'Подтвердить' }).click();
    const required = await page.locator('.dialog .error').innerText();
    await page.locator('.dialog textarea[name="reason"]').fill('Клиент купил новую духовку');
    await page.screenshot({ path: path.join(SCREENSHOTS, 'card.png') });
    await page.getByRole('dialog', { name: 'Отказ' }).getByRole('button', { name: 'Подтвердить' }).click();
    await page.locator('[data-card] .status-tag[data-status="REFUSED"]').waitFor();
    await page.keyboard.press('Escape');
    await eventually(async () => expect(await tile(page, 'NEW', seeded.oven!.id).count()).toBe(0));

    // Assertions
    expect(required).toBe('Напишите причину');
    expect(await statusOf(seeded.oven!.id)).toMatchObject({ status: 'REFUSED', refuse_reason: 'Клиент купил новую духовку' });
  });

  it('tells a stale edit what changed meanwhile, keeps the edit, and saves it on the current version', async () => {
    // Setup
    const id = seeded.tv!.id;
    await tile(page, 'NEW', id).click();
    await page.locator('[data-card] [data-action="edit"]').click();
    await page.locator('form.edit input[name="client_address"]').fill('Москва, Ленинский пр. 47, кв. 3');

    // Action: someone else renames the client before this save.
    const current = await w.api('GET', `/api/v1/orders/${id}`);
    const theirs = await fetch(`${w.base}/api/v1/orders/${id}`, {
      method: 'PATCH',
      headers: { authorization: `Bearer ${w.admin.token}`, 'content-type': 'application/json', 'if-match': `"${current.body.version}"` },
      body: JSON.stringify({ client_name: 'Елена Орлова-Смирнова' }),
    });
    await page.locator('form.edit button[type="submit"]').click();
    await page.locator('form.edit .notice').waitFor();
    const notice = await page.locator('form.edit .notice').innerText();
    const kept = await page.locator('form.edit input[name="client_address"]').inputValue();
    const merged = await page.locator('form.edit input[name="client_name"]').inputValue();
    await page.locator('form.edit button[type="submit"]').click();
    await page.locator('[data-card] .facts').waitFor();
    await page.keyboard.press('Escape');
    const row = (await w.db.pool.query('SELECT client_name, client_address FROM orders WHERE id = $1', [id])).rows[0];

    // Assertions
    expect(theirs.status).toBe(200);
    expect(notice).toContain('Заказ изменили, пока вы его редактировали');
    expect(notice).toContain('Изменилось: Клиент');
    expect(kept).toBe('Москва, Ленинский пр. 47, кв. 3');
    expect(merged).toBe('Елена Орлова-Смирнова');
    expect(row).toEqual({ client_name: 'Елена Орлова-Смирнова', client_address: 'Москва, Ленинский пр. 47, кв. 3' });
  });

  it('takes a new order from the header: a wrong field is named and kept, then the order is created once and opens', async () => {
    // Setup
    const before = Number((await w.db.pool.query("SELECT count(*) FROM orders WHERE client_name = 'Нина Звонарёва'")).rows[0].count);

    // Action
    await page.locator('[data-action="new-order"]').click();
    const form = page.locator('form.new-order');
    await form.locator('textarea[name="description"]').fill('Не крутит барабан');
    await form.locator('input[name="client_name"]').fill('Нина Звонарёва');
    await form.locator('input[name="client_phone"]').fill('12');
    await form.locator('input[name="client_address"]').fill('Москва, Мясницкая 10');
    await form.locator('input[name="scheduled_at"]').fill(`${today()}T15:45`);
    await form.locator('button[type="submit"]').click();
    await form.locator('.error').waitFor();
    const invalid = await form.locator('[aria-invalid="true"]').getAttribute('name');
    await form.locator('input[name="client_phone"]').fill('+7 916 555-44-33');
    await form.locator('button[type="submit"]').click();
    await page.locator('[data-card] .status-tag[data-status="NEW"]').waitFor();
    const id = Number(await page.locator('[data-card]').getAttribute('data-card'));
    await page.keyboard.press('Escape');
    await tile(page, 'NEW', id).waitFor();
    const rows = (
      await w.db.pool.query("SELECT id, client_phone, client_address, scheduled_at, dispatcher_id FROM orders WHERE client_name = 'Нина Звонарёва'")
    ).rows;

    // Assertions
    expect(before).toBe(0);
    expect(invalid).toBe('client_phone');
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ id, client_phone: '+79165554433', client_address: 'Москва, Мясницкая 10', dispatcher_id: w.dispatcher.userId });
    expect(new Date(rows[0].scheduled_at as string).getTime()).toBe(Date.parse(at('15:45')));
    expect(await tile(page, 'NEW', id).innerText()).toContain('15:45');
  });

  it("shows masters' day: each master's visits on today's and tomorrow's timeline", async () => {
    // Action
    await page.getByRole('tab', { name: 'День мастеров' }).click();
    await page.locator(`.day[data-date="${today()}"] .lane[data-master="${w.masters[0]!.masterId}"] [data-order="${seeded.washer!.id}"]`).waitFor();
    await page.screenshot({ path: path.join(SCREENSHOTS, 'timeline.png'), fullPage: true });

    // Assertions
    expect(await page.locator('.day').count()).toBe(2);
    expect(
      await page.locator(`.day[data-date="${today()}"] .lane[data-master="${w.masters[1]!.masterId}"] [data-order="${seeded.heater!.id}"]`).innerText(),
    ).toContain('16:00');
    expect(await cspViolations(page)).toEqual([]);
  });
});

describe('on a phone-sized screen', () => {
  it('shows the board one column at a time and the card full width; first load stays under 200 kB', async () => {
    // Setup
    const context = await w.context({ width: 390, height: 844 });
    const page = await context.newPage();
    const cdp = await context.newCDPSession(page);
    await cdp.send('Network.enable');
    const bytes = new Map<string, number>();
    const urls = new Map<string, string>();
    cdp.on('Network.requestWillBeSent', (e) => urls.set(e.requestId, e.request.url));
    cdp.on('Network.loadingFinished', (e) => bytes.set(e.requestId, e.encodedDataLength));

    // Action
    await page.goto(miniAppUrl(initDataFor({ id: w.dispatcher.telegramId! })));
    await page.locator('section[data-status="NEW"] .tile').first().waitFor();
    await page.screenshot({ path: path.join(SCREENSHOTS, 'board-phone.png') });
    await page.locator('section[data-status="NEW"] .tile').first().click();
    await page.locator('[data-card] .facts').waitFor();
    await page.screenshot({ path: path.join(SCREENSHOTS, 'card-phone.png') });

    // Assertions
    const column = await page.locator('section[data-status="NEW"]').boundingBox();
    const card = await page.locator('[data-card]').boundingBox();
    expect(column!.width).toBeGreaterThan(300);
    expect(column!.width).toBeLessThan(390);
    expect(card!.width).toBe(390);
    let assets = 0;
    let all = 0;
    for (const [id, n] of bytes) {
      all += n;
      if (/\/console\/(assets\/|$)/.test(urls.get(id) ?? '')) assets += n;
    }
    expect(assets).toBeGreaterThan(5_000);
    expect(assets).toBeLessThan(200 * 1024);
    process.stdout.write(`browser: first load transferred ${assets} bytes of page, script, style and icon (${all} with the API calls)\n`);
    expect(await cspViolations(page)).toEqual([]);
  });
});
