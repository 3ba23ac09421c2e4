import { beforeAll, describe, expect, it } from 'vitest';
import { insertOrder } from '../../src/orders/orders.sql.ts';
import { makeUser, orderInput } from '../support/fixtures.ts';
import { createOrder, useApi, type ApiResponse, type Caller } from './support.ts';

const api = useApi();
const SAME_INSTANT = 1000;
const ONE_BY_ONE = 60;

interface Walked {
  ids: number[];
  keys: Array<[string, number]>;
  pages: number;
}

/** Follows next_cursor to the end, optionally doing something between pages. */
async function walk(path: string, caller: Caller, between?: () => Promise<unknown>): Promise<Walked> {
  const out: Walked = { ids: [], keys: [], pages: 0 };
  let cursor: string | null = null;
  do {
    const sep = path.includes('?') ? '&' : '?';
    const [res]: [ApiResponse, unknown] = await Promise.all([
      api.request('GET', `${path}${cursor ? `${sep}cursor=${cursor}` : ''}`, { token: caller.token }),
      between?.(),
    ]);
    expect(res.status, res.text).toBe(200);
    out.pages++;
    for (const item of res.body.items) {
      out.ids.push(item.id);
      out.keys.push([item.created_at, item.id]);
    }
    cursor = res.body.next_cursor;
  } while (cursor && out.pages < 1000);
  return out;
}

/** The server trims a timestamp's trailing zeros ('…:01.12Z' is '…:01.120000Z'): pad the fraction to six digits so text order is time order. */
const fixedWidth = (at: string) => at.replace(/(?:\.(\d+))?Z$/, (_, f: string | undefined) => `.${(f ?? '').padEnd(6, '0')}Z`);

function strictlyNewestFirst(keys: Array<[string, number]>): boolean {
  const at = keys.map((k) => fixedWidth(k[0]));
  return keys.every((k, i) => i === 0 || at[i]! < at[i - 1]! || (at[i] === at[i - 1] && k[1] < keys[i - 1]![1]));
}

let allIds: number[];

beforeAll(async () => {
  // 1,000 orders in one transaction share one created_at: only the id breaks ties.
  const fields = orderInput({
    equipment_type: 'oven',
    description: 'Paged',
    client_name: 'Page Client',
    client_address: 'Street 1',
    client_phone: '+79990000000',
  });
  await api.t.db.transaction(async (tx) => {
    for (let i = 0; i < SAME_INSTANT; i++) await insertOrder(tx, fields, api.dispatcher.principal.userId);
  });
  for (let i = 0; i < ONE_BY_ONE; i++) await insertOrder(api.t.db, fields, api.dispatcher.principal.userId);
  const rows = await api.t.db.pool.query<{ id: number }>('SELECT id::int AS id FROM orders WHERE deleted_at IS NULL ORDER BY id');
  allIds = rows.rows.map((r) => r.id);
}, 120_000);

describe('keyset pagination of orders', () => {
  it('walks 1,060 orders in pages of 100 and of 7: every order once, newest first', async () => {
    // Action
    const big = await walk('/api/v1/orders?limit=100', api.dispatcher);
    const small = await walk('/api/v1/orders?limit=7', api.dispatcher);

    // Assertions
    expect(allIds.length).toBe(SAME_INSTANT + ONE_BY_ONE);
    for (const w of [big, small]) {
      expect(new Set(w.ids).size).toBe(w.ids.length);
      expect([...w.ids].sort((a, b) => a - b)).toEqual(allIds);
      expect(strictlyNewestFirst(w.keys)).toBe(true);
    }
    expect(big.pages).toBe(11);
    expect(small.pages).toBe(Math.ceil(allIds.length / 7));
  });

  it('misses and repeats nothing while orders are being created between pages', async () => {
    // Setup
    const before = new Set(allIds);
    let created = 0;
    const insertSome = async () => {
      await Promise.all([createOrder(api), createOrder(api)]);
      created += 2;
    };

    // Action
    const w = await walk('/api/v1/orders?limit=50', api.admin, insertSome);

    // Assertions
    expect(created).toBeGreaterThan(30);
    expect(new Set(w.ids).size).toBe(w.ids.length);
    for (const id of before) expect(w.ids).toContain(id);
    expect(strictlyNewestFirst(w.keys)).toBe(true);
  });

  it('pages a status filter and a master’s own list', async () => {
    // Setup: 25 of the orders assigned to the master
    const chosen = allIds.slice(0, 25);
    for (const id of chosen) {
      const res = await api.request('POST', `/api/v1/orders/${id}/assign`, { token: api.dispatcher.token, body: { master_id: api.master.masterId } });
      expect(res.status).toBe(200);
    }

    // Action
    const assigned = await walk('/api/v1/orders?status=ASSIGNED&limit=4', api.dispatcher);
    const mine = await walk('/api/v1/orders?limit=6', api.master);
    const both = await walk(`/api/v1/orders?status=ASSIGNED,NEW&master_id=${api.master.masterId}&limit=10`, api.admin);

    // Assertions
    expect([...assigned.ids].sort((a, b) => a - b)).toEqual(chosen);
    expect([...mine.ids].sort((a, b) => a - b)).toEqual(chosen);
    expect([...both.ids].sort((a, b) => a - b)).toEqual(chosen);
    expect(assigned.pages).toBe(7);
  });

  it('rejects cursors it did not issue', async () => {
    // Setup
    const forged = [
      'abc!',
      Buffer.from(JSON.stringify(['2020-01-01T00:00:00Z', -1])).toString('base64url'),
      Buffer.from(JSON.stringify(["2020-01-01' OR 1=1 --", 1])).toString('base64url'),
      Buffer.from('{"a":1}').toString('base64url'),
      'A'.repeat(300),
    ];

    // Action
    const answers = await Promise.all(forged.map((c) => api.request('GET', `/api/v1/orders?cursor=${encodeURIComponent(c)}`, { token: api.admin.token })));

    // Assertions
    for (const res of answers) expect(res.body).toMatchObject({ status: 400, field: 'cursor' });
  });
});

describe('keyset pagination of users and masters', () => {
  it('walks every user and every master once', async () => {
    // Setup
    for (let i = 0; i < 12; i++) await makeUser(api.t.db, ['DISPATCHER'], `Paged ${i}`);
    const users = await api.t.db.pool.query<{ id: number }>('SELECT id::int AS id FROM users WHERE deleted_at IS NULL ORDER BY id');
    const masters = await api.t.db.pool.query<{ id: number }>('SELECT id::int AS id FROM masters WHERE deleted_at IS NULL ORDER BY id');

    // Action
    const u = await walk('/api/v1/users?limit=5', api.admin);
    const m = await walk('/api/v1/masters?limit=1', api.dispatcher);

    // Assertions
    expect(u.ids).toEqual(users.rows.map((r) => r.id));
    expect(m.ids).toEqual(masters.rows.map((r) => r.id));
    const bad = await api.request('GET', '/api/v1/users?cursor=Zm9v', { token: api.admin.token });
    expect(bad.body).toMatchObject({ status: 400, field: 'cursor' });
  });
});
