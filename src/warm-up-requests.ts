import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Database } from './db/database.ts';
import { actAs } from './http/self-requests.ts';
import { unmeasured } from './telemetry/unmeasured.ts';
import type { Principal } from './users/principal.ts';
import { toPrincipal } from './users/users-service.ts';
import { listUsersWithRole } from './users/users.sql.ts';

/** What the warm-up did, for the start-up log. */
export interface RequestWarmUp {
  requests: number;
  durationMs: number;
  /** Answers by status code: reads 200, the refused writes 400 or 404. */
  statuses: Record<string, number>;
}

interface Step {
  method: 'GET' | 'POST';
  path: string;
  body?: unknown;
  /** Sent as a master of the database rather than the admin (a master's lists and actions take other paths). */
  asMaster?: boolean;
}

interface Sample {
  orders: Array<{ id: number; client_name: string; client_phone: string | null }>;
  masterId: number;
  cursor: string | null;
}

const OPEN = 'NEW,ASSIGNED,ACCEPTED,IN_PROGRESS,LONG_REPAIR';
const MASTER_OPEN = 'ASSIGNED,ACCEPTED,IN_PROGRESS,LONG_REPAIR';
/** The loopback server's own header: which of its two principals a request acts as. */
const AS_MASTER = 'x-warm-up-as-master';
/** A valid order id no sequence here reaches (validate.ts: above 2^53 is "no such id"): its actions answer 404 from the database. */
const NO_ORDER = Number.MAX_SAFE_INTEGER;

/**
 * The API's hot requests as people make them, in one round. Every one is a
 * read, or a write the service refuses (an order body missing its fields,
 * a status change of an order that cannot exist): the warm-up changes
 * no row.
 */
function round(s: Sample, from: string, to: string, i: number): Step[] {
  const order = s.orders[i % Math.max(1, s.orders.length)];
  const id = order?.id ?? NO_ORDER;
  const word = order?.client_name.split(' ')[0] ?? 'warm';
  const digits = String((i * 7919) % 1_000_000).padStart(6, '0');
  const get = (path: string): Step => ({ method: 'GET', path: `/api/v1${path}` });
  const post = (path: string, body: unknown): Step => ({ method: 'POST', path: `/api/v1${path}`, body });
  return [
    get('/orders?status=NEW&limit=20'),
    get('/orders?status=CLOSED&limit=20'),
    get(`/orders?status=${OPEN}&limit=20${s.cursor ? `&cursor=${encodeURIComponent(s.cursor)}` : ''}`),
    get(`/orders/${id}`),
    get(`/orders/${s.orders[(i + 1) % Math.max(1, s.orders.length)]?.id ?? NO_ORDER}`),
    { ...get(`/orders?status=${MASTER_OPEN}&limit=20`), asMaster: true },
    get(`/orders/${id}/history`),
    get(`/search?q=${digits}`),
    get(`/search?q=${encodeURIComponent(word)}`),
    get(`/search?q=${encodeURIComponent(order?.client_phone?.slice(-7) ?? digits)}`),
    get(`/search?q=%23${id}`),
    get('/masters?assignable=true&limit=50'),
    get(`/reports/summary?from=${from}&to=${to}`),
    get(`/reports/masters?from=${from}&to=${to}`),
    post('/orders', { description: 'warm-up' }),
    post(`/orders/${NO_ORDER}/assign`, { master_id: s.masterId }),
    { ...post(`/orders/${NO_ORDER}/accept`, {}), asMaster: true },
    { ...post(`/orders/${NO_ORDER}/arrive`, {}), asMaster: true },
    { ...post(`/orders/${NO_ORDER}/complete`, { total_amount: '1000.00', materials_cost: '0.00', has_review: false, out_of_city: false }), asMaster: true },
    post(`/orders/${NO_ORDER}/close`, {}),
  ];
}

/** Sends one request and reads its answer whole (so the connection is reused); its status and body text. */
async function call(base: string, step: Step): Promise<{ status: number; text: string }> {
  const res = await fetch(base + step.path, {
    method: step.method,
    headers: { ...(step.body === undefined ? {} : { 'content-type': 'application/json' }), ...(step.asMaster ? { [AS_MASTER]: '1' } : {}) },
    body: step.body === undefined ? undefined : JSON.stringify(step.body),
  });
  return { status: res.status, text: await res.text() };
}

/** A read's JSON answer, or null when it was not a 200. */
async function read<T>(base: string, path: string): Promise<Partial<T> | null> {
  const { status, text } = await call(base, { method: 'GET', path: `/api/v1${path}` });
  return status === 200 ? (JSON.parse(text) as Partial<T>) : null;
}

/** Orders, a master and a page cursor the requests can name, read through the API itself. */
async function sample(base: string): Promise<Sample> {
  const page = await read<{ items: Sample['orders'] }>(base, '/orders?status=CLOSED&limit=20');
  const open = await read<{ next_cursor: string | null }>(base, `/orders?status=${OPEN}&limit=20`);
  const masters = await read<{ items: Array<{ id: number }> }>(base, '/masters?assignable=true&limit=1');
  return { orders: page?.items ?? [], masterId: masters?.items?.[0]?.id ?? 0, cursor: open?.next_cursor ?? null };
}

function day(offsetDays: number): string {
  return new Date(Date.now() + offsetDays * 86_400_000).toISOString().slice(0, 10);
}

/**
 * Sends `count` of the API's hot requests (or as many as `budgetMs`
 * allows), `concurrency` at a time, through `app` before the service
 * listens, as an admin and a master of the database, over a loopback
 * server of its own that is closed afterwards. A fresh process runs its
 * request path in V8's interpreter, and its connections have planned only
 * warm-up.ts's statements: its first seconds of traffic cost the service a
 * third more CPU and PostgreSQL twice its steady CPU, with the event loop
 * held 55-134 ms at a time (BENCHMARKS.md, ninth pass); these requests pay
 * that instead. They and their queries are unmeasured (no metric, span or
 * log line). Null when there is no admin to act as.
 */
export async function warmRequests(
  app: (req: IncomingMessage, res: ServerResponse) => void,
  db: Database,
  opts: { count: number; budgetMs: number; concurrency: number },
): Promise<RequestWarmUp | null> {
  const admin = (await listUsersWithRole(db, 'ADMIN'))[0];
  if (!admin || opts.count <= 0) return null;
  const principal: Principal = toPrincipal(admin);
  const master = (await listUsersWithRole(db, 'MASTER')).map(toPrincipal).find((p) => p.masterId !== null) ?? principal;
  const server = createServer((req, res) => {
    actAs(req, req.headers[AS_MASTER] ? master : principal);
    unmeasured(() => app(req, res));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const started = performance.now();
  const statuses: Record<string, number> = {};
  let sent = 0;
  try {
    const s = await sample(base);
    const from = day(-7);
    const to = day(0);
    // One sequence of rounds, each worker taking its next request: every kind runs however few are sent.
    const steps: Step[] = [];
    for (let i = 0; steps.length < opts.count; i++) steps.push(...round(s, from, to, i));
    const worker = async () => {
      while (sent < opts.count && performance.now() - started < opts.budgetMs) {
        const { status } = await call(base, steps[sent++]!);
        statuses[status] = (statuses[status] ?? 0) + 1;
      }
    };
    await Promise.all(Array.from({ length: opts.concurrency }, worker));
  } finally {
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }
  return { requests: sent, durationMs: Math.round(performance.now() - started), statuses };
}
