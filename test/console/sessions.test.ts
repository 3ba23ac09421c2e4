import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { csrfTokenFor } from '../../src/console/console-auth.ts';
import { makeMaster, makeUser, orderInput } from '../support/fixtures.ts';
import { useApi } from '../http/support.ts';
import { asConsole, consoleConfig, cookiesOf, initDataFor, signInTelegram } from './support.ts';

const api = useApi({ config: consoleConfig('http://console.test') });

describe('console sign-in with Telegram init data', () => {
  it('opens a session: an HttpOnly, SameSite=Strict cookie, and a CSRF token in the body', async () => {
    // Setup
    const telegramId = api.dispatcher.principal.telegramId!;

    // Action
    const res = await api.request('POST', '/api/v1/console/session/telegram', { body: { init_data: initDataFor({ id: telegramId, language_code: 'en' }) } });
    const { jar, raw } = cookiesOf(res);

    // Assertions
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ user: { name: api.dispatcher.principal.name, roles: ['DISPATCHER'] }, language: 'en', time_zone: 'Europe/Moscow' });
    expect(res.body.csrf_token).toBe(csrfTokenFor(jar.rb_session!));
    expect(raw[0]).toMatch(/^rb_session=rs_[A-Za-z0-9_-]{43}; Path=\/; Max-Age=\d+; HttpOnly; SameSite=Strict$/);
    expect(res.text).not.toContain(jar.rb_session!);
    expect(res.headers.get('cache-control')).toBe('no-store');
  });

  it('refuses forged, expired and malformed init data with 401 naming init_data, and creates no session', async () => {
    // Setup
    const id = api.dispatcher.principal.telegramId!;
    const forged = initDataFor({ id }, { token: '111111111:SOMEONE-elses-bot-token-xxxx' });
    const expired = initDataFor({ id }, { ageSeconds: 4000 });
    const before = await api.t.db.pool.query('SELECT count(*)::int AS n FROM console_sessions');

    // Action
    const answers = await Promise.all(
      [forged, expired, 'user=%7B%22id%22%3A1%7D'].map((init_data) => api.request('POST', '/api/v1/console/session/telegram', { body: { init_data } })),
    );
    const after = await api.t.db.pool.query('SELECT count(*)::int AS n FROM console_sessions');

    // Assertions
    expect(answers.map((r) => r.status)).toEqual([401, 401, 401]);
    expect(answers.map((r) => r.body.field)).toEqual(['init_data', 'init_data', 'init_data']);
    expect(answers.map((r) => r.body.reason)).toEqual(['signature', 'expired', 'malformed']);
    expect(answers.every((r) => cookiesOf(r).raw.length === 0)).toBe(true);
    expect(after.rows[0].n).toBe(before.rows[0].n);
  });

  it('lets in admins and dispatchers only: a master or a stranger gets 403', async () => {
    // Setup
    const master = await makeMaster(api.t.db);
    const stranger = await makeUser(api.t.db, []);

    // Action
    const asMaster = await api.request('POST', '/api/v1/console/session/telegram', { body: { init_data: initDataFor({ id: master.telegramId! }) } });
    const asStranger = await api.request('POST', '/api/v1/console/session/telegram', { body: { init_data: initDataFor({ id: stranger.telegramId! }) } });
    const asUnknown = await api.request('POST', '/api/v1/console/session/telegram', { body: { init_data: initDataFor({ id: 999_999_999_991 }) } });

    // Assertions
    expect([asMaster.status, asStranger.status, asUnknown.status]).toEqual([403, 403, 403]);
  });
});

describe('a console session', () => {
  it('reads the API with the cookie alone', async () => {
    // Setup
    const s = await signInTelegram(api, api.dispatcher.principal.telegramId!);

    // Action
    const board = await api.request('GET', '/api/v1/console/board', { headers: asConsole(s, false) });
    const orders = await api.request('GET', '/api/v1/orders?limit=1', { headers: asConsole(s, false) });
    const session = await api.request('GET', '/api/v1/console/session', { headers: asConsole(s, false) });

    // Assertions
    expect([board.status, orders.status, session.status]).toEqual([200, 200, 200]);
    expect(session.body.csrf_token).toBe(s.csrf);
  });

  it('needs its own X-CSRF-Token for every change; without it nothing is written', async () => {
    // Setup
    const s = await signInTelegram(api, api.dispatcher.principal.telegramId!);
    const other = await signInTelegram(api, api.admin.principal.telegramId!);
    const body = orderInput({ client_name: 'CSRF probe' });

    // Action
    const none = await api.request('POST', '/api/v1/orders', { body, headers: asConsole(s, false) });
    const wrong = await api.request('POST', '/api/v1/orders', { body, headers: { cookie: s.cookie, 'x-csrf-token': other.csrf } });
    const written = await api.t.db.pool.query(`SELECT count(*)::int AS n FROM orders WHERE client_name = 'CSRF probe'`);
    const right = await api.request('POST', '/api/v1/orders', { body, headers: asConsole(s) });

    // Assertions
    expect([none.status, wrong.status]).toEqual([403, 403]);
    expect(none.body.field).toBe('X-CSRF-Token');
    expect(written.rows[0].n).toBe(0);
    expect(right.status).toBe(201);
    expect(right.body.dispatcher_name).toBe(api.dispatcher.principal.name);
  });

  it('obeys the roles of the services: a dispatcher may not delete an order', async () => {
    // Setup
    const s = await signInTelegram(api, api.dispatcher.principal.telegramId!);
    const created = await api.request('POST', '/api/v1/orders', { body: orderInput(), headers: asConsole(s) });

    // Action
    const res = await api.request('DELETE', `/api/v1/orders/${created.body.id}`, { headers: asConsole(s) });

    // Assertions
    expect(res.status).toBe(403);
  });

  it('ends at sign-out (this one, or all of a user), and an expired one is refused', async () => {
    // Setup
    const id = api.admin.principal.telegramId!;
    const [a, b, c] = [await signInTelegram(api, id), await signInTelegram(api, id), await signInTelegram(api, id)];
    const hash = createHash('sha256').update(c.cookie.split('=')[1]!).digest();

    // Action
    const out = await api.request('DELETE', '/api/v1/console/session', { headers: asConsole(a) });
    const aAfter = await api.request('GET', '/api/v1/console/session', { headers: asConsole(a, false) });
    const bStill = await api.request('GET', '/api/v1/console/session', { headers: asConsole(b, false) });
    const all = await api.request('DELETE', '/api/v1/console/sessions', { headers: asConsole(b) });
    const bAfter = await api.request('GET', '/api/v1/console/session', { headers: asConsole(b, false) });
    await api.t.db.pool.query(
      `UPDATE console_sessions SET revoked_at = NULL, created_at = now() - interval '2 hours', expires_at = now() - interval '1 minute' WHERE token_hash = $1`,
      [hash],
    );
    const expired = await api.request('GET', '/api/v1/console/board', { headers: asConsole(c, false) });

    // Assertions
    expect(out.status).toBe(204);
    expect(cookiesOf(out).raw[0]).toMatch(/^rb_session=; Path=\/; Max-Age=0; HttpOnly; SameSite=Strict$/);
    expect(aAfter.status).toBe(401);
    expect(bStill.status).toBe(200);
    expect(all.status).toBe(204);
    expect(bAfter.status).toBe(401);
    expect(expired.status).toBe(401);
    expect(expired.body.field).toBe('Cookie');
  });

  it('leaves bearer tokens as they were; a token has no console session', async () => {
    // Action
    const orders = await api.request('GET', '/api/v1/orders?limit=1', { token: api.dispatcher.token });
    const session = await api.request('GET', '/api/v1/console/session', { token: api.dispatcher.token });

    // Assertions
    expect(orders.status).toBe(200);
    expect(session.status).toBe(404);
  });
});

describe('one-time login links from the bot', () => {
  it('redirects to the console without the token, and the sign-in spends it once', async () => {
    // Setup
    const link = await api.services.console.auth.issueLoginLink(api.dispatcher.principal);
    const path = new URL(link.url).pathname + new URL(link.url).search;
    const token = new URL(link.url).searchParams.get('token')!;

    // Action
    const redirect = await fetch(`${api.base}${path}`, { redirect: 'manual' });
    const pending = cookiesOf(redirect);
    const first = await api.request('POST', '/api/v1/console/session/link', { body: {}, headers: { cookie: `rb_login=${pending.jar.rb_login}` } });
    const again = await api.request('POST', '/api/v1/console/session/link', { body: { token } });
    const stored = await api.t.db.pool.query('SELECT token_hash, used_at FROM console_login_links');

    // Assertions
    expect(redirect.status).toBe(303);
    expect(redirect.headers.get('location')).toBe('/console/');
    expect(pending.raw[0]).toMatch(/^rb_login=rl_[A-Za-z0-9_-]{43}; Path=\/api\/v1\/console\/session; Max-Age=600; HttpOnly; SameSite=Strict$/);
    expect(first.status).toBe(200);
    expect(first.body.user.name).toBe(api.dispatcher.principal.name);
    expect(cookiesOf(first).jar.rb_session).toMatch(/^rs_/);
    expect(again.status).toBe(401);
    expect(again.body.field).toBe('token');
    // Stored hashed: the token itself is nowhere in the table.
    expect(stored.rows.some((r) => (r.token_hash as Buffer).equals(createHash('sha256').update(token).digest()))).toBe(true);
    expect(JSON.stringify(stored.rows)).not.toContain(token.slice(3));
  });

  it('refuses an expired link, and gives links to staff only', async () => {
    // Setup
    const link = await api.services.console.auth.issueLoginLink(api.admin.principal);
    const token = new URL(link.url).searchParams.get('token')!;
    await api.t.db.pool.query(
      `UPDATE console_login_links SET created_at = now() - interval '1 hour', expires_at = now() - interval '1 minute' WHERE token_hash = $1`,
      [createHash('sha256').update(token).digest()],
    );

    // Action
    const res = await api.request('POST', '/api/v1/console/session/link', { body: { token } });
    const asMaster = await api.services.console.auth.issueLoginLink(api.master.principal).catch((err: Error) => err);

    // Assertions
    expect(res.status).toBe(401);
    expect(asMaster).toBeInstanceOf(Error);
    expect((asMaster as Error).message).toMatch(/admins and dispatchers/);
  });
});
