import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import type { z } from 'zod';
import { apiRoutes } from '../../src/http/api-routes.ts';
import type { AnyRoute } from '../../src/http/route-kit.ts';
import { makeUser } from '../support/fixtures.ts';
import { orderIn, orderInput, transitionBody, useApi, type Api } from '../http/support.ts';
import { brokenInvariants, fingerprint, fuzzRuns } from './invariants.ts';

/**
 * Generated requests against a running service: any route, any caller,
 * generated path ids, query strings, headers and bodies (near-valid ones
 * with a field swapped for a generated value, arbitrary JSON, raw bytes).
 * Never a 5xx; a refused request writes nothing; after every request the
 * data invariants hold. Cases tried and 5xx seen are printed at the end.
 */
// With the bot token and public URL set, so console sign-in is on (off, it answers a planned 503).
const api = useApi({
  config: {
    telegram: { token: '123456789:TEST-token-for-the-stub-only_xyz', apiRoot: undefined, webhookUrl: undefined, webhookSecret: undefined },
    console: {
      publicUrl: 'https://repair.example',
      sessionTtlSeconds: 3600,
      loginLinkTtlSeconds: 600,
      initDataMaxAgeSeconds: 3600,
      heartbeatSeconds: 15,
      assetsDir: undefined,
    },
  },
});
const RUNS = fuzzRuns(150);
const stats = { cases: 0, fiveXx: 0, byClass: {} as Record<string, number> };

// An event stream never ends; revoking a token would only stop the fuzzing callers.
const SKIPPED = new Set(['consoleEvents', 'revokeToken']);
let routes: AnyRoute[];
const ids = { orders: [] as number[], masters: [] as number[], telegram: 0 };

beforeAll(async () => {
  routes = apiRoutes(api.services).filter((r) => !SKIPPED.has(r.operationId) && r.responses[200]?.contentTypes?.includes('text/event-stream') !== true);
  for (const status of ['NEW', 'ASSIGNED', 'ACCEPTED', 'IN_PROGRESS', 'COMPLETED', 'CLOSED', 'REFUSED', 'LONG_REPAIR']) {
    ids.orders.push((await orderIn(api, status)).id);
  }
  ids.masters.push(api.master.masterId, api.master2.masterId);
  ids.telegram = (await makeUser(api.t.db, ['DISPATCHER'], 'Spare')).telegramId!;
}, 60_000);

const EDGE_STRINGS = [
  '',
  ' ',
  '0',
  '-1',
  '1e400',
  'NaN',
  'null',
  '9999-12-31T23:59:59.9999995Z',
  '2030-02-30T10:00:00Z',
  '2030-01-01T10:00:00+23:59',
  '1900-01-01',
  '99999999999.99',
  '1234.567',
  "' OR 1=1 --",
  'Ivan\u202Evon',
  'a\u0085b',
  '\uD800',
  '\u0000',
  'x'.repeat(5000),
  '%00',
  '../../etc/passwd',
  '{"a":1}',
];

const scalar = fc.oneof(
  fc.constantFrom(...EDGE_STRINGS),
  fc.string({ maxLength: 40 }),
  fc.string({ unit: 'binary', maxLength: 40 }),
  fc.integer(),
  fc.double(),
  fc.boolean(),
  fc.constant(null),
);
const value = fc.oneof({ weight: 4, arbitrary: scalar }, { weight: 1, arbitrary: fc.jsonValue({ maxDepth: 2 }) });

function shapeKeys(schema: unknown): string[] {
  const shape = (schema as z.ZodObject | undefined)?.shape;
  return shape ? Object.keys(shape) : [];
}

function validBody(route: AnyRoute, a: Api): Record<string, unknown> {
  switch (route.operationId) {
    case 'createOrder':
      return { ...orderInput() };
    case 'editOrder':
      return { notes: 'edited' };
    case 'createMaster':
      return { telegram_id: ids.telegram, phone: '+79991112233', specialization: 'ovens' };
    case 'setUserRoles':
      return { roles: ['DISPATCHER'] };
    default:
      return (transitionBody(route.path.split('/').at(-1)!, a) as Record<string, unknown> | undefined) ?? {};
  }
}

const caseArb = fc.record({
  route: fc.nat(),
  // Weighted towards requests that can succeed, so writes happen and the invariants mean something.
  caller: fc.oneof(
    { weight: 6, arbitrary: fc.constantFrom('admin', 'dispatcher', 'master') },
    { weight: 1, arbitrary: fc.constantFrom('master2', 'nobody', 'none', 'garbage') },
  ),
  pathId: fc.oneof(
    { weight: 6, arbitrary: fc.constantFrom('order', 'master', 'telegram') },
    { weight: 1, arbitrary: fc.constantFrom(...EDGE_STRINGS) },
    { weight: 1, arbitrary: fc.string({ unit: 'binary', maxLength: 12 }) },
    { weight: 1, arbitrary: fc.bigInt() },
  ),
  query: fc.oneof(
    { weight: 3, arbitrary: fc.constant([]) },
    { weight: 2, arbitrary: fc.array(fc.tuple(fc.oneof(fc.constant('known'), fc.string({ maxLength: 8 })), fc.nat(), scalar), { minLength: 1, maxLength: 4 }) },
  ),
  bodyKind: fc.constantFrom('near-valid', 'near-valid', 'near-valid', 'json', 'raw', 'none'),
  swap: fc.oneof({ weight: 2, arbitrary: fc.constant([]) }, { weight: 3, arbitrary: fc.array(fc.tuple(fc.nat(), value), { minLength: 1, maxLength: 3 }) }),
  json: fc.jsonValue({ maxDepth: 3 }),
  raw: fc.uint8Array({ maxLength: 200 }),
  contentType: fc.oneof(
    { weight: 8, arbitrary: fc.constant('application/json') },
    {
      weight: 1,
      arbitrary: fc.constantFrom(
        'application/json; charset=utf-8',
        'application/json; charset=utf-16',
        'application/json; charset=latin1',
        'application/merge-patch+json',
        'text/plain',
        'application/x-www-form-urlencoded',
        'multipart/form-data; boundary=x',
        '',
      ),
    },
  ),
  ifMatch: fc.oneof(
    { weight: 3, arbitrary: fc.constant(undefined) },
    { weight: 1, arbitrary: fc.oneof(fc.constantFrom('"1"', '"2"', '*', 'W/"1"', '"99999999999999999999"'), fc.string({ maxLength: 12 })) },
  ),
  extraHeader: fc.option(
    fc.tuple(fc.constantFrom('idempotency-key', 'x-request-id', 'last-event-id', 'accept', 'accept-encoding'), fc.string({ maxLength: 60 })),
    {
      nil: undefined,
    },
  ),
});

type Case = typeof caseArb extends fc.Arbitrary<infer T> ? T : never;

/** Every byte of the UTF-8 form percent-encoded (encodeURIComponent refuses lone surrogates). */
const pct = (s: string) => [...Buffer.from(s, 'utf8')].map((b) => `%${b.toString(16).padStart(2, '0')}`).join('');

/** A header value fetch will send: generated strings lose what HTTP cannot carry. */
const headerSafe = (s: string) => s.replace(/[^\x20-\x7E]/g, '');

function requestOf(c: Case): { method: string; path: string; headers: Record<string, string>; body?: string | Buffer } {
  const route = routes[c.route % routes.length]!;
  const id =
    c.pathId === 'order'
      ? String(ids.orders[c.route % ids.orders.length])
      : c.pathId === 'master'
        ? String(ids.masters[0])
        : c.pathId === 'telegram'
          ? String(ids.telegram)
          : String(c.pathId);
  const path = route.path.replace(/\{[a-z_]+\}/g, /^[0-9]+$/.test(id) ? id : pct(id));
  const keys = shapeKeys(route.query);
  const params = new URLSearchParams();
  for (const [key, pick, v] of c.query)
    params.append(key === 'known' && keys.length ? keys[pick % keys.length]! : key, typeof v === 'string' ? v : JSON.stringify(v));
  const headers: Record<string, string> = {};
  const token = c.caller === 'none' ? null : c.caller === 'garbage' ? 'rb_' + 'x'.repeat(43) : api[c.caller].token;
  if (token) headers.authorization = `Bearer ${token}`;
  if (c.contentType) headers['content-type'] = c.contentType;
  if (c.ifMatch !== undefined) headers['if-match'] = headerSafe(c.ifMatch);
  if (c.extraHeader) headers[c.extraHeader[0]] = headerSafe(c.extraHeader[1]);
  let body: string | Buffer | undefined;
  if (c.bodyKind === 'near-valid') {
    const b = validBody(route, api);
    const fields = [...new Set([...Object.keys(b), ...shapeKeys(route.body)])];
    for (const [pick, v] of c.swap) if (fields.length) b[fields[pick % fields.length]!] = v;
    body = JSON.stringify(b);
  } else if (c.bodyKind === 'json') body = JSON.stringify(c.json);
  else if (c.bodyKind === 'raw') body = Buffer.from(c.raw);
  const method = route.method.toUpperCase();
  return { method, path: `${path}${params.size ? `?${params.toString()}` : ''}`, headers, body: method === 'GET' ? undefined : body };
}

describe('generated requests', () => {
  it(
    'never get a 5xx, never half-write, and leave every invariant intact',
    async () => {
      await fc.assert(
        fc.asyncProperty(caseArb, async (c) => {
          // Setup
          const req = requestOf(c);
          const before = await fingerprint(api.t.db);

          // Action
          const res = await fetch(`${api.base}${req.path}`, { method: req.method, headers: req.headers, body: req.body });
          await res.arrayBuffer();

          // Assertions
          stats.cases++;
          const cls = `${Math.floor(res.status / 100)}xx`;
          stats.byClass[cls] = (stats.byClass[cls] ?? 0) + 1;
          if (res.status >= 500) stats.fiveXx++;
          expect(res.status, `${req.method} ${req.path}`).toBeLessThan(500);
          if (res.status >= 400) expect(await fingerprint(api.t.db), `${req.method} ${req.path} answered ${res.status} but wrote`).toBe(before);
          expect(await brokenInvariants(api.t.db)).toEqual({});
        }),
        { numRuns: RUNS },
      );
      console.log(`API fuzz: ${stats.cases} cases, ${stats.fiveXx} 5xx, by class ${JSON.stringify(stats.byClass)}`);
      expect(stats.cases).toBe(RUNS);
    },
    Math.max(60_000, RUNS * 400),
  );
});
