import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHttpApp } from '../../src/http/app.ts';
import { listen, type RunningServer } from '../../src/http/server.ts';
import { decodeCursor } from '../../src/orders/cursor.ts';
import { createServices } from '../../src/services.ts';
import { prepareAccounts, type Fixture } from '../../scripts/loadtest/accounts.ts';
import { useTestDatabase } from '../support/db.ts';
import { orderInput } from '../support/fixtures.ts';

// The load-test harness's accounts, against a real service: the k6
// scenarios rely on each token acting in exactly its role.
const t = useTestDatabase();
let server: RunningServer;
let base: string;

beforeAll(async () => {
  const services = createServices(t.db, {}, { error: () => {} });
  server = await listen(createHttpApp({ services, expectedMigrations: [], rateLimit: { perMinute: 0, authFailuresPerMinute: 0 } }), 0, '127.0.0.1');
  base = `http://127.0.0.1:${server.port}`;
});
afterAll(() => server.close(1000));

async function call(token: string, method: string, path: string, body?: unknown): Promise<{ status: number; body: Record<string, unknown> }> {
  const res = await fetch(`${base}/api/v1${path}`, {
    method,
    headers: { authorization: `Bearer ${token}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return { status: res.status, body: (await res.json().catch(() => ({}))) as Record<string, unknown> };
}

describe('prepareAccounts', () => {
  let first: Fixture;

  it('creates an admin, dispatchers and approved masters whose tokens act in exactly their roles', async () => {
    // Action
    first = await prepareAccounts(t.url, base, { dispatchers: 2, masters: 3 });

    // Assertions
    expect(first.dispatchers).toHaveLength(2);
    expect(first.masters).toHaveLength(3);
    expect((await call(first.admin.token, 'GET', '/users')).status).toBe(200);
    const dispatcher = first.dispatchers[1]!.token;
    expect((await call(dispatcher, 'GET', '/users')).status).toBe(403);
    const assignable = await call(dispatcher, 'GET', '/masters?assignable=true&limit=100');
    const ids = (assignable.body.items as Array<{ id: number }>).map((m) => m.id);
    expect(ids).toEqual(expect.arrayContaining(first.masters.map((m) => m.id)));
    const master = first.masters[2]!;
    const order = await call(dispatcher, 'POST', '/orders', orderInput());
    expect(order.status).toBe(201);
    const id = order.body.id as number;
    expect((await call(dispatcher, 'POST', `/orders/${id}/assign`, { master_id: master.id })).status).toBe(200);
    expect((await call(first.masters[0]!.token, 'POST', `/orders/${id}/accept`, {})).status).toBe(404);
    expect((await call(master.token, 'POST', `/orders/${id}/accept`, {})).status).toBe(200);
    expect((await call(master.token, 'POST', `/orders/${id}/close`, {})).status).toBe(403);
    expect(first.deepCursor).toBeUndefined();
  });

  it('runs again on the same database with the same masters, new tokens and a cursor into the CLOSED list', async () => {
    // Setup: one order all the way to CLOSED
    const d = first.dispatchers[0]!.token;
    const m = first.masters[0]!;
    const id = (await call(d, 'POST', '/orders', orderInput())).body.id as number;
    for (const [token, step, body] of [
      [d, 'assign', { master_id: m.id }],
      [m.token, 'accept', {}],
      [m.token, 'arrive', {}],
      [m.token, 'complete', { total_amount: '5000.00', materials_cost: '0.00', has_review: false, out_of_city: false }],
      [d, 'close', {}],
    ] as const) {
      expect((await call(token, 'POST', `/orders/${id}/${step}`, body)).status).toBe(200);
    }

    // Action
    const again = await prepareAccounts(t.url, base, { dispatchers: 2, masters: 3 });

    // Assertions
    expect(again.masters.map((x) => x.id)).toEqual(first.masters.map((x) => x.id));
    expect(again.admin.token).not.toBe(first.admin.token);
    expect((await call(again.masters[0]!.token, 'GET', `/orders/${id}`)).status).toBe(200);
    expect(decodeCursor(again.deepCursor!).id).toBe(id);
  });
});
