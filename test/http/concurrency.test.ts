import { describe, expect, it } from 'vitest';
import { makeMaster } from '../support/fixtures.ts';
import { createOrder, orderInput, useApi } from './support.ts';

const api = useApi({ poolMax: 20 });

function countBy(statuses: number[]): Record<number, number> {
  const out: Record<number, number> = {};
  for (const s of statuses) out[s] = (out[s] ?? 0) + 1;
  return out;
}

async function historyRows(orderId: number, status: string): Promise<number> {
  const res = await api.t.db.pool.query<{ n: number }>(`SELECT count(*)::int AS n FROM order_status_history WHERE order_id = $1 AND new_status = $2`, [
    orderId,
    status,
  ]);
  return res.rows[0]!.n;
}

describe('racing requests: exactly one wins', () => {
  it('20 parallel assigns of one order to the same master: one 200, nineteen 409', async () => {
    // Setup
    const { id } = await createOrder(api);

    // Action
    const answers = await Promise.all(
      Array.from({ length: 20 }, () =>
        api.request('POST', `/api/v1/orders/${id}/assign`, { token: api.dispatcher.token, body: { master_id: api.master.masterId } }),
      ),
    );

    // Assertions
    expect(countBy(answers.map((a) => a.status))).toEqual({ 200: 1, 409: 19 });
    const order = await api.request('GET', `/api/v1/orders/${id}`, { token: api.admin.token });
    expect(order.body).toMatchObject({ status: 'ASSIGNED', version: 2, master_id: api.master.masterId });
    expect(await historyRows(id, 'ASSIGNED')).toBe(1);
  });

  it('20 parallel assigns to 20 different masters with If-Match: one 200, nineteen 412', async () => {
    // Setup
    const { id } = await createOrder(api);
    const masters = await Promise.all(Array.from({ length: 20 }, (_, i) => makeMaster(api.t.db, { name: `Racer ${i}` })));

    // Action
    const answers = await Promise.all(
      masters.map((m) =>
        api.request('POST', `/api/v1/orders/${id}/assign`, { token: api.dispatcher.token, body: { master_id: m.masterId }, headers: { 'if-match': '"1"' } }),
      ),
    );

    // Assertions
    expect(countBy(answers.map((a) => a.status))).toEqual({ 200: 1, 412: 19 });
    const winner = answers.find((a) => a.status === 200)!.body;
    const order = await api.request('GET', `/api/v1/orders/${id}`, { token: api.admin.token });
    expect(order.body).toMatchObject({ version: 2, master_id: winner.master_id });
    expect(await historyRows(id, 'ASSIGNED')).toBe(1);
  });

  it('parallel edits based on one version never lose an update: one 200, the rest 412', async () => {
    // Setup
    const { id } = await createOrder(api);

    // Action
    const answers = await Promise.all(
      Array.from({ length: 10 }, (_, i) =>
        api.request('PATCH', `/api/v1/orders/${id}`, { token: api.dispatcher.token, body: { notes: `edit ${i}` }, headers: { 'if-match': '"1"' } }),
      ),
    );

    // Assertions
    expect(countBy(answers.map((a) => a.status))).toEqual({ 200: 1, 412: 9 });
    const winner = answers.find((a) => a.status === 200)!.body;
    const order = await api.request('GET', `/api/v1/orders/${id}`, { token: api.admin.token });
    expect(order.body).toMatchObject({ version: 2, notes: winner.notes });
  });
});

describe('idempotent creation', () => {
  it('parallel retries with one key and one body create one order and all answer it', async () => {
    // Setup
    const body = orderInput({ client_name: 'Idempotent Ivan' });
    const key = `retry-${Date.now()}`;

    // Action
    const answers = await Promise.all(
      Array.from({ length: 12 }, () => api.request('POST', '/api/v1/orders', { token: api.dispatcher.token, body, headers: { 'idempotency-key': key } })),
    );

    // Assertions
    expect(answers.map((a) => a.status)).toEqual(Array(12).fill(201));
    const ids = new Set(answers.map((a) => a.body.id));
    expect(ids.size).toBe(1);
    expect(answers.filter((a) => a.headers.get('idempotent-replayed') === 'true')).toHaveLength(11);
    const rows = await api.t.db.pool.query(`SELECT count(*)::int AS n FROM orders WHERE client_name = 'Idempotent Ivan'`);
    expect(rows.rows[0].n).toBe(1);
  });

  it('refuses the same key with another body (422), and keys are per caller', async () => {
    // Setup
    const key = `k-${Date.now()}`;
    const first = await api.request('POST', '/api/v1/orders', {
      token: api.dispatcher.token,
      body: orderInput({ client_name: 'First' }),
      headers: { 'idempotency-key': key },
    });
    const countBefore = await api.t.db.pool.query(`SELECT count(*)::int AS n FROM orders`);

    // Action
    const other = await Promise.all(
      Array.from({ length: 5 }, () =>
        api.request('POST', '/api/v1/orders', {
          token: api.dispatcher.token,
          body: orderInput({ client_name: 'Second' }),
          headers: { 'idempotency-key': key },
        }),
      ),
    );
    const countAfter = await api.t.db.pool.query(`SELECT count(*)::int AS n FROM orders`);
    const byAdmin = await api.request('POST', '/api/v1/orders', {
      token: api.admin.token,
      body: orderInput({ client_name: 'First' }),
      headers: { 'idempotency-key': key },
    });

    // Assertions
    expect(first.status).toBe(201);
    for (const res of other) expect(res.body).toMatchObject({ status: 422, field: 'Idempotency-Key' });
    expect(countAfter.rows[0].n).toBe(countBefore.rows[0].n);
    expect(byAdmin.status).toBe(201);
    expect(byAdmin.body.id).not.toBe(first.body.id);
  });

  it('rejects a malformed key with 400', async () => {
    // Action
    const res = await api.request('POST', '/api/v1/orders', {
      token: api.dispatcher.token,
      body: orderInput(),
      headers: { 'idempotency-key': 'x'.repeat(201) },
    });

    // Assertions
    expect(res.body).toMatchObject({ status: 400, field: 'Idempotency-Key' });
  });
});
