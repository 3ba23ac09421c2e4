import { connect } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHttpApp } from '../../src/http/app.ts';
import { listen, type RunningServer } from '../../src/http/server.ts';
import { createOrder, orderIn, useApi } from './support.ts';

/**
 * Input an outside attacker sent that got through before: timestamps that
 * PostgreSQL rounds or refuses, tampered cursors, non-UTF-8 bodies, text
 * that disguises itself, slow bodies, and a deactivated master. Each answer
 * is a 4xx naming the field, and nothing is written.
 */
const api = useApi();

async function orderCount(): Promise<number> {
  return (await api.t.db.pool.query<{ n: number }>('SELECT count(*)::int AS n FROM orders')).rows[0]!.n;
}

const cursorOf = (createdAt: string, id = 1) => Buffer.from(JSON.stringify([createdAt, id])).toString('base64url');

describe('timestamps', () => {
  const BAD = [
    // Rounds to 10000-01-01 at microsecond precision: was stored as year 10000.
    '9999-12-31T23:59:59.9999995Z',
    '9999-12-31T23:59:59.99999951Z',
    '2030-01-01T10:00:00+23:59',
    '2030-01-01T10:00:00-15:00',
    `2030-01-01T10:00:00.${'1'.repeat(5000)}Z`,
    '2030-01-01T10:00:00.1234567891Z',
    '2030-02-30T10:00:00Z',
    '2031-02-29T10:00:00Z',
    '2030-01-01T10:00:60Z',
    '1899-12-31T23:59:59.9999994Z',
  ];

  it.each(BAD.map((v) => [v.slice(0, 40), v]))('refuses %s as scheduled_at, before anything is written', async (_label, value) => {
    // Setup
    const before = await orderCount();

    // Action
    const res = await api.request('POST', '/api/v1/orders', { token: api.dispatcher.token, body: { ...orderInputWith(value) } });

    // Assertions
    expect(res.status).toBe(400);
    expect(res.body).toMatchObject({ field: 'scheduled_at' });
    expect(await orderCount()).toBe(before);
  });

  it('accepts the last microsecond of 9999, real offsets and nanosecond fractions', async () => {
    // Action
    const answers = await Promise.all(
      ['9999-12-31T23:59:59.999999Z', '9999-12-31T23:59:59.9999994Z', '2030-06-01T10:00:00+14:00', '2030-06-01T10:00:00.123456789-12:00'].map((v) =>
        api.request('POST', '/api/v1/orders', { token: api.dispatcher.token, body: orderInputWith(v) }),
      ),
    );

    // Assertions
    expect(answers.map((r) => r.status)).toEqual([201, 201, 201, 201]);
    expect(answers[1]!.body.scheduled_at).toMatch(/^9999-12-31T23:59:59\.999999/);
  });

  it('refuses impossible dates inside a tampered cursor with 400 naming the cursor', async () => {
    // Setup
    const forged = ['2030-02-30T00:00:00Z', '0000-01-01T00:00:00Z', '2030-13-01T00:00:00Z', '2030-01-01T25:00:00Z', '9999-12-31T23:59:59.9999999Z'];

    // Action
    const answers = await Promise.all(forged.map((c) => api.request('GET', `/api/v1/orders?cursor=${cursorOf(c)}`, { token: api.admin.token })));

    // Assertions
    for (const res of answers) expect(res.body).toMatchObject({ status: 400, field: 'cursor' });
  });
});

function orderInputWith(scheduledAt: string) {
  return {
    equipment_type: 'washing_machine',
    description: 'Leaks',
    client_name: 'Anna',
    client_address: 'Moscow, Lenina 2',
    client_phone: '+79161234567',
    scheduled_at: scheduledAt,
  };
}

describe('text fields', () => {
  const HOSTILE: Array<[string, string]> = [
    ['client_name', 'Ivan\u202EvonaS'],
    ['client_address', 'Lenina 2\u2066 apt 5'],
    ['client_name', 'Ivan\u0085Petrov'],
    ['description', 'broken \uD800 surrogate'],
    ['client_name', 'Ivan \uDC00'],
  ];

  it.each(HOSTILE)('refuses %s with a bidi override, a C1 control or a lone surrogate', async (field, value) => {
    // Setup
    const before = await orderCount();
    const raw = JSON.stringify({ ...orderInputWith('2030-01-01T10:00:00Z'), [field]: value });

    // Action
    const res = await api.request('POST', '/api/v1/orders', { token: api.dispatcher.token, raw, headers: { 'content-type': 'application/json' } });

    // Assertions
    expect(res.status).toBe(400);
    expect(res.body.field).toBe(field);
    expect(await orderCount()).toBe(before);
  });

  it('refuses a body that is not valid UTF-8, naming the field that held the bytes', async () => {
    // Setup
    const before = await orderCount();
    const json = JSON.stringify({ ...orderInputWith('2030-01-01T10:00:00Z'), client_address: 'Lenina XX' });
    const raw = Buffer.from(json, 'utf8');
    const at = raw.indexOf('XX');
    raw[at] = 0xc3; // a lead byte followed by 'X': not UTF-8
    raw[at + 1] = 0xff;

    // Action
    const res = await api.request('POST', '/api/v1/orders', { token: api.dispatcher.token, raw, headers: { 'content-type': 'application/json' } });

    // Assertions
    expect(res.status).toBe(400);
    expect(res.body.field).toBe('client_address');
    expect(await orderCount()).toBe(before);
  });

  it('refuses a search that carries a bidi override', async () => {
    // Action
    const res = await api.request('GET', `/api/v1/search?q=${encodeURIComponent('Iva\u202En')}`, { token: api.dispatcher.token });

    // Assertions
    expect(res.status).toBe(400);
    expect(res.body.field).toBe('q');
  });
});

describe('media types', () => {
  it('answers 415 to JSON in UTF-16, naming Content-Type', async () => {
    // Setup
    const before = await orderCount();
    const raw = Buffer.from(JSON.stringify(orderInputWith('2030-01-01T10:00:00Z')), 'utf16le');

    // Action
    const res = await api.request('POST', '/api/v1/orders', {
      token: api.dispatcher.token,
      raw,
      headers: { 'content-type': 'application/json; charset=utf-16' },
    });

    // Assertions
    expect(res.status).toBe(415);
    expect(res.body.field).toBe('Content-Type');
    expect(await orderCount()).toBe(before);
  });

  it('still takes an explicit charset=UTF-8', async () => {
    // Action
    const res = await api.request('POST', '/api/v1/orders', {
      token: api.dispatcher.token,
      raw: JSON.stringify(orderInputWith('2030-01-01T10:00:00Z')),
      headers: { 'content-type': 'application/json; charset="UTF-8"' },
    });

    // Assertions
    expect(res.status).toBe(201);
  });
});

describe('a deactivated master', () => {
  it('can no longer read, list or act on their orders; reactivated, they can again', async () => {
    // Setup
    const { id, version } = await orderIn(api, 'ASSIGNED');
    const token = api.master.token;
    expect((await api.request('GET', `/api/v1/orders/${id}`, { token })).status).toBe(200);

    // Action
    const off = await api.request('POST', `/api/v1/masters/${api.master.masterId}/deactivate`, { token: api.admin.token });
    const read = await api.request('GET', `/api/v1/orders/${id}`, { token });
    const list = await api.request('GET', '/api/v1/orders', { token });
    const accept = await api.request('POST', `/api/v1/orders/${id}/accept`, { token, headers: { 'if-match': `"${version}"` } });
    const principal = await api.services.users.byTelegramId(api.master.principal.telegramId!);

    // Assertions
    expect(off.status).toBe(200);
    expect([403, 404]).toContain(read.status);
    expect(list.status).toBe(403);
    expect([403, 404]).toContain(accept.status);
    // The bot resolves people the same way: no orders for them there either.
    expect(principal?.masterId).toBeNull();
    const after = await api.request('GET', `/api/v1/orders/${id}`, { token: api.admin.token });
    expect(after.body).toMatchObject({ status: 'ASSIGNED', version });

    await api.request('POST', `/api/v1/masters/${api.master.masterId}/activate`, { token: api.admin.token });
    expect((await api.request('GET', `/api/v1/orders/${id}`, { token })).status).toBe(200);
  });
});

describe('request timeouts', () => {
  let server: RunningServer;
  beforeAll(async () => {
    const app = createHttpApp({ services: api.services, expectedMigrations: [], rateLimit: { perMinute: 0, authFailuresPerMinute: 0 } });
    server = await listen(app, 0, '127.0.0.1', { headersTimeoutMs: 1000, requestTimeoutMs: 1500 });
  });
  afterAll(() => server.close(500));

  /** Sends `head` and then nothing more; resolves with what the server answered and when. */
  function trickle(head: string): Promise<{ answer: string; ms: number }> {
    return new Promise((resolve, reject) => {
      const started = performance.now();
      const socket = connect(server.port, '127.0.0.1', () => socket.write(head));
      let answer = '';
      socket.on('data', (d) => (answer += d.toString()));
      socket.on('close', () => resolve({ answer, ms: performance.now() - started }));
      socket.on('error', reject);
      socket.setTimeout(15_000, () => socket.destroy(new Error('no answer within 15 s')));
    });
  }

  it('answers 408 to a body that stops arriving, within seconds', async () => {
    // Setup
    const before = await orderCount();
    const head =
      `POST /api/v1/orders HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer ${api.dispatcher.token}\r\n` +
      'Content-Type: application/json\r\nContent-Length: 1000\r\n\r\n{"client_name":';

    // Action
    const { answer, ms } = await trickle(head);

    // Assertions
    expect(answer).toMatch(/^HTTP\/1\.1 408 /);
    expect(answer).toContain('urn:repair-bot:problem:request-timeout');
    expect(ms).toBeLessThan(5000);
    expect(await orderCount()).toBe(before);
  });

  it('answers 408 to headers that stop arriving', async () => {
    // Action
    const { answer, ms } = await trickle('GET /api/v1/orders HTTP/1.1\r\nHost: x\r\nX-Slow: ');

    // Assertions
    expect(answer).toMatch(/^HTTP\/1\.1 408 /);
    expect(ms).toBeLessThan(5000);
  });

  it('lets an ordinary request through', async () => {
    // Action
    const res = await fetch(`http://127.0.0.1:${server.port}/api/v1/orders`, { headers: { authorization: `Bearer ${api.admin.token}` } });

    // Assertions
    expect(res.status).toBe(200);
    expect((await createOrder(api)).id).toBeGreaterThan(0);
  });
});
