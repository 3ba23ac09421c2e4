import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cloneTemplate } from '../support/db.ts';
import { eventually } from '../support/eventually.ts';
import { startServiceProcess, type ServiceProcess } from '../support/service-process.ts';

/**
 * The real process with a small pool (PG_POOL_MAX=3) whose every connection
 * is stuck on a row lock another session holds: the rest of the API and
 * /readyz must still answer at once (503 busy past the wait queue, /readyz
 * "pool saturated"), and a statement blocked on a lock must give up after
 * PG_LOCK_TIMEOUT_MS with a clear 503, not wait for the statement timeout.
 */
const POOL_MAX = 3;
let clone: Awaited<ReturnType<typeof cloneTemplate>>;
let service: ServiceProcess | undefined;
let token: string | undefined;
const lockers: pg.Client[] = [];
let watcher: pg.Client;

beforeAll(async () => {
  clone = await cloneTemplate();
  watcher = new pg.Client({ connectionString: clone.url });
  await watcher.connect();
});

afterAll(async () => {
  service?.kill();
  await service?.exited;
  for (const l of [...lockers, watcher]) await l?.end().catch(() => undefined);
  await clone?.drop();
});

async function freshService(env: Record<string, string>): Promise<void> {
  if (service) {
    service.kill();
    await service.exited;
  }
  service = await startServiceProcess({ DATABASE_URL: clone.url, PG_POOL_MIN: '0', PG_POOL_MAX: String(POOL_MAX), ...env });
  token ??= service.token;
}

function api(path: string, init: RequestInit = {}): Promise<Response> {
  return fetch(`${service!.base}/api/v1${path}`, {
    ...init,
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json', ...init.headers },
  });
}

async function createOrder(): Promise<number> {
  const res = await api('/orders', {
    method: 'POST',
    body: JSON.stringify({ equipment_type: 'oven', description: 'Saturate', client_name: 'A', client_address: 'B', client_phone: '+79990001122' }),
  });
  expect(res.status).toBe(201);
  return ((await res.json()) as { id: number }).id;
}

/** A session of the test's own that holds these orders' rows locked. */
async function lockRows(ids: number[]): Promise<pg.Client> {
  const locker = new pg.Client({ connectionString: clone.url });
  await locker.connect();
  lockers.push(locker);
  await locker.query('BEGIN');
  await locker.query('SELECT 1 FROM orders WHERE id = ANY ($1::int8[]) FOR UPDATE', [ids]);
  return locker;
}

function edit(id: number): Promise<Response> {
  return api(`/orders/${id}`, { method: 'PATCH', headers: { 'if-match': '"1"' }, body: JSON.stringify({ notes: 'waits for the lock' }) });
}

/** Read outside any transaction: pg_stat_activity is a snapshot taken once per transaction. */
async function serviceSessionsWaitingOnLocks(): Promise<number> {
  const r = await watcher.query<{ n: number }>(
    `SELECT count(*)::int AS n FROM pg_stat_activity WHERE application_name = 'repair-bot' AND wait_event_type = 'Lock' AND datname = current_database()`,
  );
  return r.rows[0]!.n;
}

async function timed<T>(work: () => Promise<T>): Promise<{ value: T; ms: number }> {
  const started = performance.now();
  const value = await work();
  return { value, ms: performance.now() - started };
}

describe('every connection stuck on a row lock', () => {
  it('other routes fail fast with 503 busy and Retry-After, /readyz says "pool saturated" within a second, and all recovers', async () => {
    // Setup: as many edits as connections, each waiting on a row the locker holds
    await freshService({ PG_POOL_WAIT_MS: '3000', PG_POOL_QUEUE_MAX: '2', PG_LOCK_TIMEOUT_MS: '0' });
    const ids = [await createOrder(), await createOrder(), await createOrder()];
    const locker = await lockRows(ids);
    const stuck = ids.map(edit);
    for (const s of stuck) s.catch(() => undefined); // awaited below; a failed test must not leave them unhandled
    await eventually(
      async () => {
        const n = await serviceSessionsWaitingOnLocks();
        if (n < POOL_MAX) throw new Error(`${n} of ${POOL_MAX} connections wait on the lock`);
      },
      { what: 'every pooled connection to wait on the lock' },
    );

    // Action: two callers fill the wait queue; the ones after them, and /readyz, must not wait
    const queued = [api('/orders?limit=1'), api('/orders?limit=1')];
    await eventually(
      async () => {
        const metrics = await (await fetch(`${service!.base}/metrics`)).text();
        if (!/^db_client_connection_pending_requests(\{[^}]*\})? 2$/m.test(metrics)) throw new Error('the wait queue is not full yet');
      },
      { what: 'two callers to wait for a connection', timeout: 2500 },
    );
    const pastQueue = await timed(() => api('/orders?limit=1'));
    const ready = await timed(() => fetch(`${service!.base}/readyz`));
    const health = await fetch(`${service!.base}/healthz`);
    const queuedAnswers = await Promise.all(queued);

    // Assertions
    expect(pastQueue.value.status).toBe(503);
    expect(pastQueue.value.headers.get('retry-after')).toMatch(/^\d+$/);
    expect(((await pastQueue.value.json()) as { type: string }).type).toBe('urn:repair-bot:problem:busy');
    expect(pastQueue.ms).toBeLessThan(1000);
    expect(ready.value.status).toBe(503);
    expect(await ready.value.json()).toEqual({ status: 'unavailable', reason: 'pool saturated' });
    expect(ready.ms).toBeLessThan(1000);
    expect(health.status).toBe(200);
    for (const res of queuedAnswers) {
      expect(res.status).toBe(503);
      expect(res.headers.get('retry-after')).toMatch(/^\d+$/);
    }
    console.info(`[figures] saturated pool: 503 past the queue in ${pastQueue.ms.toFixed(0)} ms, /readyz in ${ready.ms.toFixed(0)} ms`);

    // Recovery: the lock goes, the stuck edits finish, the instance is ready again
    await locker.query('COMMIT');
    for (const res of await Promise.all(stuck)) expect(res.status).toBe(200);
    const after = await fetch(`${service!.base}/readyz`);
    expect(after.status).toBe(200);
  }, 60_000);

  it('a transition blocked on a row lock gives up after PG_LOCK_TIMEOUT_MS with 503 locked', async () => {
    // Setup
    await freshService({ PG_LOCK_TIMEOUT_MS: '300' });
    const id = await createOrder();
    const locker = await lockRows([id]);

    // Action
    const blocked = await timed(() => api(`/orders/${id}/refuse`, { method: 'POST', body: JSON.stringify({ reason: 'Client changed their mind' }) }));
    await locker.query('ROLLBACK');

    // Assertions
    expect(blocked.value.status).toBe(503);
    expect(blocked.value.headers.get('retry-after')).toMatch(/^\d+$/);
    expect(((await blocked.value.json()) as { type: string }).type).toBe('urn:repair-bot:problem:locked');
    expect(blocked.ms).toBeLessThan(3000);
    console.info(`[figures] transition blocked on a row lock (lock_timeout 300 ms): 503 locked in ${blocked.ms.toFixed(0)} ms`);
    const order = (await (await api(`/orders/${id}`)).json()) as { status: string; version: number };
    expect(order).toMatchObject({ status: 'NEW', version: 1 });
  }, 60_000);
});
