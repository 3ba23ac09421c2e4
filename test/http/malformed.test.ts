import { beforeAll, describe, expect, it } from 'vitest';
import type { z } from 'zod';
import { apiRoutes } from '../../src/http/api-routes.ts';
import type { AnyRoute } from '../../src/http/route-kit.ts';
import { createOrder, orderInput, transitionBody, useApi, type Api } from './support.ts';

/**
 * Every API route, fed malformed input generated from its own declaration:
 * bad path ids, bad and unknown query parameters, broken JSON, wrong
 * content types, huge bodies, extra fields, and for every body field wrong
 * types, oversized strings and SQL metacharacters. Each answer must be a
 * 4xx problem (400 naming the field where one is at fault), and the whole
 * database must be exactly as before.
 */
const api = useApi();

const SQL = [
  "' OR 1=1 --",
  "'; DROP TABLE orders; --",
  '" OR ""="',
  '1; SELECT pg_sleep(5)',
  "\\'; --",
  "%' AND '1'='1",
  '$1::int8',
  'NULL',
  "1' UNION SELECT token_hash FROM api_tokens --",
  "🙂') OR ('a'='a",
];
const BAD_IDS = ['abc', '-1', '0', '1.5', '1e3', '0x10', ' 1', '9'.repeat(30), ...SQL];
/** Path parameters that are codes (equipment types, workbook kinds), not ids. */
const CODE_PARAMS: Record<string, string> = { code: 'oven', kind: 'settlement' };
const BAD_CODES = ['A', '1abc', ' x', 'x'.repeat(41), 'ab-c', ...SQL];
const BROKEN_JSON = ['{', '{"a":', '[1,2', "{'a':1}", 'null', '"text"', '123', 'true', '{"a":1}}', '\u0000'];
const WRONG_VALUES: unknown[] = [
  ...[123, -1, 0, 1.5, 2 ** 53 + 2, 9.3e18, true, {}, [], [1], null, 'x'.repeat(5000), { $gt: '' }],
  // Out of range for PostgreSQL or not real: must be refused by validation, never reach SQL.
  ...[
    '0000-01-01T00:00:00Z',
    '9999-12-31T23:59:59-12:00',
    '2025-02-30T10:00:00Z',
    '0000-01-01',
    '2025-02-29',
    '-1.00',
    '1e3',
    '99999999999.99',
    '1.234',
    'ADMIN\u0000',
  ],
];
const HUGE = 'x'.repeat(1024 * 1024);

let routes: AnyRoute[];
const ids = { order: 0, master: 0, telegram: 0 };

interface Case {
  name: string;
  method: string;
  path: string;
  body?: string;
  headers?: Record<string, string>;
  /** Exact status expected; otherwise any 4xx. */
  status?: number;
  field?: string;
}

function validBody(route: AnyRoute, a: Api): Record<string, unknown> | undefined {
  if (!route.body) return undefined;
  switch (route.operationId) {
    case 'createOrder':
      return { ...orderInput() };
    case 'editOrder':
      return { notes: 'edited' };
    case 'createMaster':
      return { telegram_id: 4242424242, phone: '+79991112233', specialization: 'ovens' };
    case 'setUserRoles':
      return { roles: ['DISPATCHER'] };
    case 'consoleSignInTelegram':
      return { init_data: 'query_id=not-signed' };
    case 'addEquipmentType':
      return { code: 'hood', name_ru: 'Вытяжки', name_en: 'Hoods' };
    case 'changeEquipmentType':
      return { name_ru: 'Вытяжки' };
    case 'reorderEquipmentTypes':
      return { codes: ['oven'] };
    case 'changeDefaultCommissionRule':
    case 'changeTypeCommissionRule':
    case 'changeRefusalFeeRule':
      return {
        threshold: '7000.00',
        rate_below: 40,
        rate_above: 50,
        review_bonus: 10,
        review_bonus_enabled: true,
        out_of_city_bonus: 10,
        out_of_city_bonus_enabled: true,
        senior_floor: 50,
      };
    case 'settleMasterOrders':
      return { order_ids: [ids.order] };
    default:
      return (transitionBody(route.path.split('/').at(-1)!, a) as Record<string, unknown> | undefined) ?? {};
  }
}

function pathOf(route: AnyRoute, replace: Record<string, string> = {}): string {
  let path = route.path;
  for (const [param, valid] of Object.entries(CODE_PARAMS)) path = path.replace(`{${param}}`, replace[param] ?? valid);
  return path
    .replace('{id}', replace.id ?? String(route.tag === 'masters' || route.path.startsWith('/api/v1/masters/') ? ids.master : ids.order))
    .replace('{telegram_id}', replace.telegram_id ?? String(ids.telegram));
}

function queryKeys(route: AnyRoute): string[] {
  return route.query ? Object.keys((route.query as z.ZodObject).shape) : [];
}

/** A valid query string for routes that need one. */
function validQuery(route: AnyRoute): Record<string, string> {
  const q: Record<string, string> = {};
  if (queryKeys(route).includes('from')) Object.assign(q, { from: '2024-01-01', to: '2024-02-01' });
  if (queryKeys(route).includes('format')) q.format = 'csv';
  if (queryKeys(route).includes('q')) q.q = 'Petrov';
  return q;
}

function qs(q: Record<string, string>): string {
  const s = new URLSearchParams(q).toString();
  return s ? `?${s}` : '';
}

function casesFor(route: AnyRoute, a: Api): Case[] {
  const method = route.method.toUpperCase();
  const body = validBody(route, a);
  const json = body === undefined ? undefined : JSON.stringify(body);
  const headers = { 'content-type': 'application/json', ...(route.operationId === 'editOrder' ? { 'if-match': '"1"' } : {}) };
  const base = { method, headers, body: json };
  const query = validQuery(route);
  const cases: Case[] = [];
  const tag = `${method} ${route.path}`;

  for (const param of route.path.match(/\{(\w+)\}/g)?.map((p) => p.slice(1, -1)) ?? []) {
    for (const bad of param in CODE_PARAMS ? BAD_CODES : BAD_IDS) {
      cases.push({
        ...base,
        name: `${tag} path ${param}=${bad}`,
        path: pathOf(route, { [param]: encodeURIComponent(bad) }) + qs(query),
        status: 400,
        field: param,
      });
    }
  }
  cases.push({ ...base, name: `${tag} unknown query`, path: pathOf(route) + qs({ ...query, evil: "' OR 1=1 --" }), status: 400, field: 'evil' });
  cases.push({ ...base, name: `${tag} huge query`, path: pathOf(route) + qs({ ...query, x: HUGE }) });
  for (const key of queryKeys(route)) {
    cases.push({
      ...base,
      name: `${tag} repeated ${key}`,
      path: `${pathOf(route)}${qs(query)}${qs(query) ? '&' : '?'}${key}=1&${key}=2`,
      status: 400,
      field: key,
    });
    for (const bad of SQL) {
      // Free text: q is searched literally (see below); a delete's reason is stored as given (parameterized).
      if (key === 'q' || key === 'reason') continue;
      cases.push({ ...base, name: `${tag} query ${key}=${bad}`, path: pathOf(route) + qs({ ...query, [key]: bad }), status: 400, field: key });
    }
  }
  const path = pathOf(route) + qs(query);
  if (route.body && body) {
    for (const broken of BROKEN_JSON) cases.push({ ...base, name: `${tag} broken JSON ${broken}`, path, body: broken, status: 400 });
    cases.push({ ...base, name: `${tag} array body`, path, body: '[]', status: 400, field: 'body' });
    for (const type of ['text/plain', 'application/x-www-form-urlencoded', 'multipart/form-data; boundary=x', 'application/xml']) {
      cases.push({ ...base, name: `${tag} content-type ${type}`, path, headers: { ...headers, 'content-type': type }, status: 415 });
    }
    cases.push({ ...base, name: `${tag} 1 MB body`, path, body: JSON.stringify({ ...body, description: HUGE }), status: 413 });
    cases.push({ ...base, name: `${tag} extra field`, path, body: JSON.stringify({ ...body, is_admin: true }), status: 400, field: 'is_admin' });
    cases.push({
      ...base,
      name: `${tag} __proto__`,
      path,
      body: json === '{}' ? '{"__proto__":{"polluted":1}}' : `{"__proto__":{"polluted":1},${json!.slice(1)}`,
      status: 400,
      field: '__proto__',
    });
    const shape = (route.body as z.ZodObject).shape as Record<string, z.ZodType>;
    for (const [field, schema] of Object.entries(shape)) {
      for (const bad of [...WRONG_VALUES, ...SQL, HUGE]) {
        if (schema.safeParse(bad).success) continue; // valid free text: stored literally (see below)
        const big = bad === HUGE;
        cases.push({
          ...base,
          name: `${tag} ${field}=${JSON.stringify(bad).slice(0, 40)}`,
          path,
          body: JSON.stringify({ ...body, [field]: bad }),
          status: big ? 413 : 400,
          field: big ? 'body' : field,
        });
      }
    }
  }
  return cases;
}

async function checksum(): Promise<Record<string, string>> {
  const tables = await api.t.db.pool.query<{ name: string }>(
    `SELECT table_name AS name FROM information_schema.tables WHERE table_schema = 'public' AND table_type = 'BASE TABLE' ORDER BY 1`,
  );
  const out: Record<string, string> = {};
  for (const { name } of tables.rows) {
    // Table names come from the catalog, not from input. last_used_at is bookkeeping of authentication.
    const r = await api.t.db.pool.query(
      `SELECT count(*) || ':' || coalesce(md5(string_agg((to_jsonb(t) - 'last_used_at')::text, '|' ORDER BY (to_jsonb(t) - 'last_used_at')::text)), '') AS sum FROM ${name} t`,
    );
    out[name] = r.rows[0].sum;
  }
  return out;
}

async function runAll(cases: Case[], token: string, parallel = 8) {
  const answers: Array<{ c: Case; status: number; body: Record<string, unknown> | string; type: string | null }> = [];
  let next = 0;
  await Promise.all(
    Array.from({ length: parallel }, async () => {
      while (next < cases.length) {
        const c = cases[next++]!;
        const res = await api.request(c.method, c.path, { token, raw: c.body, headers: c.headers });
        answers.push({ c, status: res.status, body: res.body, type: res.headers.get('content-type') });
      }
    }),
  );
  return answers;
}

beforeAll(async () => {
  routes = apiRoutes(api.services);
  ids.order = (await createOrder(api)).id;
  ids.master = api.master.masterId;
  ids.telegram = api.nobody.principal.telegramId!;
});

describe('malformed input on every endpoint', () => {
  it('answers each case 4xx (400 naming the field where one is at fault) and leaves every table as it was', async () => {
    // Setup
    const cases = routes.flatMap((r) => casesFor(r, api));
    const sqlInAuth = routes
      .filter((r) => !r.public)
      .map((r) => ({ name: `${r.method} ${r.path} auth`, method: r.method.toUpperCase(), path: pathOf(r), status: 401 }));
    const before = await checksum();

    // Action
    const answers = await runAll(cases, api.admin.token);
    const unauth = await Promise.all(
      sqlInAuth.flatMap((c) =>
        SQL.filter((b) => /^[\x20-\xff]*$/.test(b)).map(async (bad) => ({
          c,
          status: (await api.request(c.method, c.path, { headers: { authorization: `Bearer ${bad}` } })).status,
        })),
      ),
    );
    const after = await checksum();

    // Assertions
    expect(cases.length).toBeGreaterThan(1400);
    const wrong = answers.filter(({ c, status, body }) => {
      if (status < 400 || status > 499) return true;
      if (c.status !== undefined && status !== c.status) return true;
      return c.field !== undefined && typeof body === 'object' && !((body.field as string | undefined) ?? '').startsWith(c.field);
    });
    expect(wrong.map((w) => `${w.c.name} -> ${w.status} ${JSON.stringify(w.body).slice(0, 200)}`)).toEqual([]);
    for (const a of answers) expect(a.type, a.c.name).toMatch(/^application\/problem\+json/);
    for (const u of unauth) expect(u.status, u.c.name).toBe(401);
    expect(after).toEqual(before);
  }, 120_000);

  it('searches SQL metacharacters literally and finds nothing', async () => {
    // Action
    const answers = await Promise.all(SQL.map((q) => api.request('GET', `/api/v1/search${qs({ q })}`, { token: api.dispatcher.token })));

    // Assertions
    for (const res of answers) {
      expect(res.status).toBe(200);
      expect(res.body.items).toEqual([]);
    }
  });
});

describe('SQL metacharacters in free text', () => {
  it('are stored and returned verbatim, touching no other row', async () => {
    // Setup
    const ordersBefore = await api.t.db.pool.query('SELECT count(*)::int AS n FROM orders');

    // Action
    const created = await Promise.all(
      SQL.map((text) =>
        api.request('POST', '/api/v1/orders', {
          token: api.dispatcher.token,
          body: { ...orderInput(), description: text, client_name: text, client_address: text, notes: text, scheduled_note: text.slice(0, 200) },
          headers: { 'idempotency-key': `sql-${text.replace(/[^\x21-\x7E]/g, '_')}` },
        }),
      ),
    );
    const ordersAfter = await api.t.db.pool.query('SELECT count(*)::int AS n FROM orders');

    // Assertions
    created.forEach((res, i) => {
      expect(res.status).toBe(201);
      expect(res.body).toMatchObject({ description: SQL[i], client_name: SQL[i], client_address: SQL[i], notes: SQL[i] });
    });
    expect(ordersAfter.rows[0].n).toBe(ordersBefore.rows[0].n + SQL.length);
    const found = await api.request('GET', `/api/v1/search${qs({ q: "' OR 1=1 --" })}`, { token: api.dispatcher.token });
    expect(found.body.items.map((o: { client_name: string }) => o.client_name)).toEqual(["' OR 1=1 --"]);
  });
});
