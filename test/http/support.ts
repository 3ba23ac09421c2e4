import { afterAll, beforeAll, expect } from 'vitest';
import type { Database } from '../../src/db/database.ts';
import type { UserRole } from '../../src/db/enums.ts';
import { createHttpApp, type HttpDeps } from '../../src/http/app.ts';
import { listen, type RunningServer } from '../../src/http/server.ts';
import type { ConsoleConfig } from '../../src/console/console-services.ts';
import { createServices, type Services } from '../../src/services.ts';
import { ACTIONS, STATUS_MOVES } from '../../src/orders/order-actions.ts';
import type { Principal } from '../../src/users/principal.ts';
import { issueToken } from '../../src/users/tokens.ts';
import { useTestDatabase, type TestDatabase } from '../support/db.ts';
import { makeMaster, makeUser, orderInput } from '../support/fixtures.ts';

export interface Caller {
  token: string;
  principal: Principal;
}

// Test bodies are read loosely; schemas check them where it matters.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export interface ApiResponse<T = any> {
  status: number;
  headers: Headers;
  body: T;
  text: string;
}

export interface Api {
  t: TestDatabase;
  base: string;
  http: RunningServer;
  services: Services;
  admin: Caller;
  dispatcher: Caller;
  /** Approved, active masters. */
  master: Caller & { masterId: number };
  master2: Caller & { masterId: number };
  /** A Telegram user with no role (UNKNOWN). */
  nobody: Caller;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  request<T = any>(
    method: string,
    path: string,
    opts?: { token?: string | null; body?: unknown; raw?: string | Buffer; headers?: Record<string, string> },
  ): Promise<ApiResponse<T>>;
  /** Unexpected errors the app logged (each one was a 500). */
  internalErrors: unknown[];
  /** A new caller with these roles. */
  caller(roles: UserRole[]): Promise<Caller>;
}

export async function tokenFor(db: Database, p: Principal): Promise<string> {
  return (await issueToken(db, p.userId, 'test', null)).token;
}

/**
 * A real HTTP server on port 0 over the file's own cloned database, with a
 * caller per role. Closed before the database is dropped.
 */
export function useApi(
  opts: Partial<Pick<HttpDeps, 'rateLimit' | 'authCacheTtlMs' | 'routers'>> & {
    poolMax?: number;
    /** Settings of the console's services (bot token, public URL, time zone). */
    config?: ConsoleConfig;
    /** Extra wiring of the console (its live hub), made once the services exist. */
    console?: (services: Services, t: TestDatabase) => Promise<HttpDeps['console']>;
  } = {},
): Api {
  const t = useTestDatabase({ poolMax: opts.poolMax ?? 20 });
  const api = { t, internalErrors: [] } as unknown as Api;
  const logger = { error: (obj: object) => api.internalErrors.push(obj), warn: (obj: object) => api.internalErrors.push(obj) };
  beforeAll(async () => {
    api.services = createServices(t.db, { ...opts.config }, { error: () => {} });
    const app = createHttpApp({
      console: await opts.console?.(api.services, t),
      services: api.services,
      expectedMigrations: [],
      rateLimit: opts.rateLimit ?? { perMinute: 0, authFailuresPerMinute: 0 },
      authCacheTtlMs: opts.authCacheTtlMs ?? 5000,
      routers: opts.routers,
      logger,
    });
    api.http = await listen(app, 0, '127.0.0.1');
    api.base = `http://127.0.0.1:${api.http.port}`;
    const withToken = async (p: Principal) => ({ principal: p, token: await tokenFor(t.db, p) });
    api.caller = async (roles) => withToken(await makeUser(t.db, roles, `User ${roles.join('+') || 'none'}`));
    api.admin = await api.caller(['ADMIN']);
    api.dispatcher = await api.caller(['DISPATCHER']);
    api.nobody = await api.caller([]);
    const m1 = await makeMaster(t.db, { name: 'Master One' });
    const m2 = await makeMaster(t.db, { name: 'Master Two' });
    api.master = { ...(await withToken(m1)), masterId: m1.masterId };
    api.master2 = { ...(await withToken(m2)), masterId: m2.masterId };
  });
  afterAll(async () => {
    await api.http?.close(1000);
    // Every answer of the file was planned: nothing reached the 500 path.
    expect(api.internalErrors).toEqual([]);
  });
  api.request = async (method, path, o = {}) => {
    const headers: Record<string, string> = { ...o.headers };
    if (o.token) headers.authorization = `Bearer ${o.token}`;
    let body: string | Buffer | undefined = o.raw;
    if (o.body !== undefined) {
      body = JSON.stringify(o.body);
      headers['content-type'] ??= 'application/json';
    }
    const res = await fetch(`${api.base}${path}`, { method, headers, body });
    const text = await res.text();
    const type = res.headers.get('content-type') ?? '';
    return { status: res.status, headers: res.headers, text, body: /json/.test(type) && text ? JSON.parse(text) : text };
  };
  return api;
}

export { orderInput };

/** Creates an order through the API as the dispatcher; returns its body. */
export async function createOrder(api: Api, overrides: Record<string, unknown> = {}, caller: Caller = api.dispatcher) {
  const res = await api.request('POST', '/api/v1/orders', { token: caller.token, body: { ...orderInput(), ...overrides } });
  if (res.status !== 201) throw new Error(`create failed: ${res.status} ${res.text}`);
  return res.body;
}

/** Valid bodies for each transition, by URL name. */
export function transitionBody(action: string, api: Api): unknown {
  switch (action) {
    case 'assign':
      return { master_id: api.master.masterId };
    case 'decline':
    case 'refuse':
    case 'cancel-accepted':
    case 'client-refused':
      return { reason: 'Because' };
    case 'correct':
      return { total_amount: '2500.00', reason: 'Because' };
    case 'long-repair':
      return { estimated_completion_date: '2031-05-01' };
    case 'complete':
      return { total_amount: '2000.00', materials_cost: '500.00', has_review: false, out_of_city: false };
    case 'reschedule':
      return { scheduled_at: '2031-05-01T10:00:00Z', reason: 'Moved' };
    default:
      return undefined;
  }
}

/** Shortest moves from NEW to each status, found in the transition table itself. */
function pathsFromNew(): Map<string, string[]> {
  const paths = new Map<string, string[]>([['NEW', []]]);
  const queue = ['NEW'];
  while (queue.length > 0) {
    const from = queue.shift()!;
    for (const name of STATUS_MOVES) {
      const rule = ACTIONS[name];
      if (!rule.to || !(rule.from as readonly string[]).includes(from) || paths.has(rule.to)) continue;
      paths.set(rule.to, [...paths.get(from)!, name.replace('_', '-')]);
      queue.push(rule.to);
    }
  }
  return paths;
}
const PATH_TO = pathsFromNew();

/** A new order driven through the API (as an admin) into `status`, assigned to api.master when it has a master. */
export async function orderIn(api: Api, status: string): Promise<{ id: number; version: number }> {
  const { id } = await createOrder(api);
  let version = 1;
  for (const action of PATH_TO.get(status)!) {
    const res = await api.request('POST', `/api/v1/orders/${id}/${action}`, { token: api.admin.token, body: transitionBody(action, api) });
    if (res.status !== 200) throw new Error(`${action} failed: ${res.status} ${res.text}`);
    version = res.body.version;
  }
  return { id, version };
}
