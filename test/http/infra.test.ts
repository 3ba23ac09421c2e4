import { describe, expect, it } from 'vitest';
import type { Database } from '../../src/db/database.ts';
import type { DbObserver } from '../../src/db/observer.ts';
import { createDatabase } from '../../src/db/pool.ts';
import { createHttpApp, type HttpDeps } from '../../src/http/app.ts';
import { listen } from '../../src/http/server.ts';
import { createServices } from '../../src/services.ts';
import { revokeToken } from '../../src/users/tokens.sql.ts';
import { issueToken } from '../../src/users/tokens.ts';
import { eventually } from '../support/eventually.ts';
import { useApi } from './support.ts';

const api = useApi();

/** Runs `fn` against a second server on the same database with other settings. */
async function withApp<T>(deps: Partial<HttpDeps> & { db?: Database }, fn: (base: string) => Promise<T>): Promise<T> {
  const services = deps.db ? createServices(deps.db, {}, { error: () => {} }) : api.services;
  const app = createHttpApp({ services, expectedMigrations: [], rateLimit: { perMinute: 0, authFailuresPerMinute: 0 }, ...deps });
  const server = await listen(app, 0, '127.0.0.1');
  try {
    return await fn(`http://127.0.0.1:${server.port}`);
  } finally {
    await server.close(1000);
  }
}

const bearer = (token: string) => ({ authorization: `Bearer ${token}` });

describe('request ids', () => {
  it('echoes a sane X-Request-Id, replaces an insane one, makes one when missing, and names it in problems', async () => {
    // Action
    const sane = await api.request('GET', '/healthz', { headers: { 'x-request-id': 'client-abc.123' } });
    const insane = await api.request('GET', '/healthz', { headers: { 'x-request-id': "' OR 1=1 -- <script>" } });
    const none = await api.request('GET', '/api/v1/nowhere');

    // Assertions
    expect(sane.headers.get('x-request-id')).toBe('client-abc.123');
    expect(insane.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
    expect(none.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
    expect(none.body.request_id).toBe(none.headers.get('x-request-id'));
  });
});

describe('protocol answers', () => {
  it('sends security headers and no X-Powered-By', async () => {
    // Action
    const res = await api.request('GET', '/api/v1/orders', { token: api.admin.token });

    // Assertions
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    expect(res.headers.get('strict-transport-security')).toMatch(/max-age=/);
    expect(res.headers.get('content-security-policy')).toMatch(/default-src 'self'/);
    expect(res.headers.get('x-powered-by')).toBeNull();
  });

  it('answers unknown routes 404, wrong methods 405 with Allow, OPTIONS with Allow, HEAD like GET', async () => {
    // Action
    const unknown = await api.request('GET', '/api/v1/orderz', { token: api.admin.token });
    const wrong = await api.request('DELETE', '/api/v1/orders', { token: api.admin.token });
    const options = await api.request('OPTIONS', '/api/v1/orders/1');
    const head = await api.request('HEAD', '/api/v1/orders/999', { token: api.admin.token });

    // Assertions
    expect(unknown.body).toMatchObject({ status: 404, type: 'urn:repair-bot:problem:not-found' });
    expect(wrong.status).toBe(405);
    expect(wrong.headers.get('allow')).toBe('POST, GET, HEAD, OPTIONS');
    expect(wrong.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    expect(options.status).toBe(204);
    expect(options.headers.get('allow')).toBe('GET, PATCH, DELETE, HEAD, OPTIONS');
    expect(head.status).toBe(404);
    expect(head.text).toBe('');
  });

  it('takes a body just under 64 kB and refuses one just over it with 413', async () => {
    // Setup
    const body = (size: number) =>
      JSON.stringify({ equipment_type: 'oven', description: 'x'.repeat(size), client_name: 'A', client_address: 'B', client_phone: '+79990001122' });

    // Action
    const under = await api.request('POST', '/api/v1/orders', {
      token: api.dispatcher.token,
      raw: body(60_000),
      headers: { 'content-type': 'application/json' },
    });
    const over = await api.request('POST', '/api/v1/orders', {
      token: api.dispatcher.token,
      raw: body(66_000),
      headers: { 'content-type': 'application/json' },
    });

    // Assertions: under the limit the body is read and its field judged
    expect(under.body).toMatchObject({ status: 400, field: 'description' });
    expect(over.body).toMatchObject({ status: 413, field: 'body' });
  });
});

describe('rate limits', () => {
  it('limits requests per token (not per process) and says so with 429 and RateLimit headers', async () => {
    // Setup
    const other = await issueToken(api.t.db, api.dispatcher.principal.userId, 'second', null);

    await withApp({ rateLimit: { perMinute: 5, authFailuresPerMinute: 0 } }, async (base) => {
      // Action
      const first = [];
      for (let i = 0; i < 6; i++) first.push(await fetch(`${base}/api/v1/orders?limit=1`, { headers: bearer(api.dispatcher.token) }));
      const otherToken = await fetch(`${base}/api/v1/orders?limit=1`, { headers: bearer(other.token) });

      // Assertions
      expect(first.map((r) => r.status)).toEqual([200, 200, 200, 200, 200, 429]);
      const limited = first[5]!;
      expect(limited.headers.get('content-type')).toMatch(/^application\/problem\+json/);
      expect(await limited.json()).toMatchObject({ status: 429, type: 'urn:repair-bot:problem:rate-limited' });
      expect(first[0]!.headers.get('ratelimit-policy')).toMatch(/q=5/);
      expect(otherToken.status).toBe(200);
    });
  });

  it('pauses an address that keeps failing authentication', async () => {
    await withApp({ rateLimit: { perMinute: 0, authFailuresPerMinute: 3 } }, async (base) => {
      // Action
      const statuses = [];
      for (let i = 0; i < 5; i++) statuses.push((await fetch(`${base}/api/v1/orders`, { headers: bearer(`rb_${String(i).repeat(43)}`) })).status);

      // Assertions
      expect(statuses).toEqual([401, 401, 401, 429, 429]);
    });
  });

  it('never counts valid requests against the address, however many are in flight', async () => {
    await withApp({ rateLimit: { perMinute: 0, authFailuresPerMinute: 3 } }, async (base) => {
      // Action: 40 valid requests at once from one address, then a bad token, then a valid one.
      const valid = await Promise.all(
        Array.from({ length: 40 }, () => fetch(`${base}/api/v1/orders?limit=1`, { headers: bearer(api.admin.token) }).then((r) => r.status)),
      );
      const bad = (await fetch(`${base}/api/v1/orders`, { headers: bearer(`rb_${'z'.repeat(43)}`) })).status;
      const after = (await fetch(`${base}/api/v1/orders?limit=1`, { headers: bearer(api.admin.token) })).status;

      // Assertions
      expect(new Set(valid)).toEqual(new Set([200]));
      expect([bad, after]).toEqual([401, 200]);
    });
  });

  it('can be switched off (0), as the load tests need', async () => {
    await withApp({ rateLimit: { perMinute: 0, authFailuresPerMinute: 0 } }, async (base) => {
      // Action
      const statuses = await Promise.all(
        Array.from({ length: 50 }, () => fetch(`${base}/api/v1/orders?limit=1`, { headers: bearer(api.admin.token) }).then((r) => r.status)),
      );

      // Assertions
      expect(new Set(statuses)).toEqual(new Set([200]));
    });
  });
});

describe('authentication cache', () => {
  it('looks a token up once per TTL, not once per request', async () => {
    // Setup: a pool whose observer counts token lookups
    let lookups = 0;
    const observer: DbObserver = {
      query: (run, exec) => {
        if (run.query.name === 'tokens.find_token_owner') lookups++;
        return exec();
      },
      connectionAcquired: () => {},
    };
    const db = createDatabase(api.t.url, { min: 0, max: 5, statementTimeoutMs: 10_000, idleTimeoutMs: 1000 }, { error: () => {} }, observer);

    try {
      await withApp({ db, authCacheTtlMs: 60_000 }, async (base) => {
        // Action
        const statuses = await Promise.all(
          Array.from({ length: 40 }, () => fetch(`${base}/api/v1/orders?limit=1`, { headers: bearer(api.dispatcher.token) }).then((r) => r.status)),
        );

        // Assertions
        expect(new Set(statuses)).toEqual(new Set([200]));
        expect(lookups).toBe(1);
      });
    } finally {
      await db.close();
    }
  });

  it('honours a revoked token once the TTL has passed', async () => {
    // Setup
    const { id, token } = await issueToken(api.t.db, api.dispatcher.principal.userId, 'short-lived', null);

    await withApp({ authCacheTtlMs: 300 }, async (base) => {
      const get = () => fetch(`${base}/api/v1/orders?limit=1`, { headers: bearer(token) }).then((r) => r.status);
      expect(await get()).toBe(200);

      // Action
      await revokeToken(api.t.db, id, null);
      const withinTtl = await get();

      // Assertions: cached for now, refused once the 300 ms have passed
      expect(withinTtl).toBe(200);
      await eventually(async () => expect(await get()).toBe(401), { timeout: 3000, what: 'the revoked token to be refused' });
    });
  });

  it('applies a role change made through this instance at once', async () => {
    // Setup
    const dispatcher = await api.caller(['DISPATCHER']);
    expect((await api.request('GET', '/api/v1/orders', { token: dispatcher.token })).status).toBe(200);

    // Action
    const change = await api.request('PUT', `/api/v1/users/${dispatcher.principal.telegramId}/roles`, { token: api.admin.token, body: { roles: ['MASTER'] } });
    const after = await api.request('GET', '/api/v1/orders', { token: dispatcher.token });

    // Assertions
    expect(change.status).toBe(200);
    expect(change.body.roles).toEqual(['MASTER']);
    expect(after.status).toBe(403);
  });
});
