import { beforeAll, describe, expect, it } from 'vitest';
import { registeredQueries } from '../../src/db/query.ts';
import { indexPattern } from '../../src/orders/search.sql.ts';
import { orderSchema } from '../../src/orders/order-api.ts';
import { createOrder, useApi } from './support.ts';

const api = useApi();
const ids: Record<string, number> = {};

beforeAll(async () => {
  ids.petrova = (await createOrder(api, { client_name: 'Мария Петрова', client_address: 'Москва, Арбат 10', client_phone: '+7 (916) 555-44-33' })).id;
  ids.smith = (await createOrder(api, { client_name: 'John Smith', client_address: 'Tula, Lenina 5', client_phone: '8 903 111 22 33' })).id;
  ids.percent = (await createOrder(api, { client_name: 'Discount 100% Ltd', client_address: 'Kazan, Baumana 1', client_phone: '+7 903 111-22-33' })).id;
  ids.gone = (await createOrder(api, { client_name: 'Deleted Petrova', client_address: 'Nowhere', client_phone: '+79160000000' })).id;
  await api.request('DELETE', `/api/v1/orders/${ids.gone}`, { token: api.admin.token });
});

async function search(q: string, token = api.dispatcher.token) {
  const res = await api.request('GET', `/api/v1/search?${new URLSearchParams({ q }).toString()}`, { token });
  return { status: res.status, body: res.body, ids: res.status === 200 ? res.body.items.map((o: { id: number }) => o.id) : [] };
}

describe('GET /search', () => {
  it('finds by phone (the number, its last digits or a fragment, in any formatting, 8 and +7 alike), by address and by client name, in any case', async () => {
    // Action / Assertions
    expect((await search('916 555-44-33')).ids).toEqual([ids.petrova]);
    expect((await search('(916) 5554433')).ids).toEqual([ids.petrova]);
    expect((await search('5554433')).ids).toEqual([ids.petrova]);
    expect((await search('8 916 555 44 33')).ids).toEqual([ids.petrova]);
    expect((await search('+7 916 555')).ids).toEqual([ids.petrova]); // the start of a number
    expect((await search('8 (916) 555')).ids).toEqual([ids.petrova]);
    expect((await search('555-44')).ids).toEqual([ids.petrova]); // its middle
    expect((await search('916 555 44 34')).ids).toEqual([]);
    expect((await search('арбат')).ids).toEqual([ids.petrova]);
    expect((await search('ПЕТРОВА')).ids).toEqual([ids.petrova]);
    expect((await search('lenina')).ids).toEqual([ids.smith]);
    expect((await search('john SMITH')).ids).toEqual([ids.smith]);
    // One number saved once as 8 903... and once as +7 903...
    expect((await search('+79031112233')).ids).toEqual([ids.percent, ids.smith]);
    expect((await search('89031112233')).ids).toEqual([ids.percent, ids.smith]);
  });

  it('finds numbers holding the digits elsewhere only when no number ends with them', async () => {
    // Setup: a newer order whose number holds 4433 and ends with 3100
    const holds = (await createOrder(api, { client_name: 'Inside Number', client_address: 'Omsk, Mira 8765', client_phone: '+7 900 443-31-00' })).id;

    // Action
    const ending = await search('4433');
    const inside = await search('900 443');
    const address = await search('Mira 8765');

    // Assertions
    expect(ending.ids).toEqual([ids.petrova]);
    expect(inside.ids).toEqual([holds]);
    expect(address.ids).toEqual([holds]);
    expect((await search('8765')).ids).toEqual([]); // in an address, in no phone
    await api.request('DELETE', `/api/v1/orders/${holds}`, { token: api.admin.token });
  });

  it('answers full orders, newest first, honouring limit, and never deleted ones', async () => {
    // Action
    const all = await search('2233');
    const one = await api.request('GET', '/api/v1/search?q=2233&limit=1', { token: api.admin.token });

    // Assertions
    for (const o of all.body.items) orderSchema.parse(o);
    expect(all.ids).toEqual([ids.percent, ids.smith]);
    expect(one.body.items.map((o: { id: number }) => o.id)).toEqual([ids.percent]);
    expect((await search('Deleted')).ids).toEqual([]);
  });

  it('treats LIKE wildcards as plain characters', async () => {
    // Action / Assertions
    expect((await search('100%')).ids).toEqual([ids.percent]);
    expect((await search('%%%')).ids).toEqual([]);
    expect((await search('___')).ids).toEqual([]);
  });

  it('refuses short queries, masters and unknown parameters', async () => {
    // Action
    const short = await search('ab');
    const digits = await search('+7');
    const master = await search('Petrova', api.master.token);
    const extra = await api.request('GET', '/api/v1/search?q=Petrova&sort=id', { token: api.admin.token });

    // Assertions
    expect(short.body).toMatchObject({ status: 400, field: 'q' });
    expect(digits.body).toMatchObject({ status: 400, field: 'q' });
    expect(master.status).toBe(403);
    expect(extra.body).toMatchObject({ status: 400, field: 'sort' });
  });
});

describe('search at volume', () => {
  it('is served by the phone suffix index for number endings, the five-digit index for fragments of five digits or more and the trigram index for text and shorter fragments, generic plans too', async () => {
    // Setup: enough rows (with statistics) for the planner to choose as it would in production
    await api.t.db.pool.query(`
      INSERT INTO orders (equipment_type, description, client_name, client_address, client_phone, created_at)
      SELECT 'oven', 'bulk', 'Bulk client ' || i, 'Bulk street ' || i, '+7' || (2000000000 + i)::text, now() - i * interval '1 minute'
      FROM generate_series(1, 20000) AS i`);
    await api.t.db.pool.query('VACUUM ANALYZE orders');
    const text = registeredQueries().find((q) => q.name === 'orders.search_orders')!;
    const phone = registeredQueries().find((q) => q.name === 'orders.search_orders_by_phone')!;
    const fragment = registeredQueries().find((q) => q.name === 'orders.search_orders_by_phone_fragment')!;
    const grams = registeredQueries().find((q) => q.name === 'orders.search_orders_by_phone_grams')!;

    // Action: plans as custom and as generic (what a prepared statement ends up with)
    const plans: string[] = [];
    const phonePlans: string[] = [];
    const gramPlans: string[] = [];
    await api.t.db.withClient(async (_db, raw) => {
      // A whole address too: the index gets its words, the term is checked on the rows.
      for (const needle of ['арбат', 'john smith', 'bulk street 1234, кв. 5', 'д. 5']) {
        const res = await raw.query(`EXPLAIN ${text.text}`, [indexPattern(needle), 20, needle]);
        plans.push(res.rows.map((r) => r['QUERY PLAN']).join('\n'));
      }
      const custom = await raw.query(`EXPLAIN ${phone.text}`, ['3344555', '3344556', 20]);
      phonePlans.push(custom.rows.map((r) => r['QUERY PLAN']).join('\n'));
      plans.push((await raw.query(`EXPLAIN ${fragment.text}`, ['%334455%', 20])).rows.map((r) => r['QUERY PLAN']).join('\n'));
      gramPlans.push((await raw.query(`EXPLAIN ${grams.text}`, ['%334455%', 20, '334455'])).rows.map((r) => r['QUERY PLAN']).join('\n'));
      for (const q of [text, phone, fragment, grams]) {
        // The plan a prepared statement settles on when it stops looking at values.
        const generic = await raw.query(`EXPLAIN (GENERIC_PLAN) ${q.text}`);
        (q === phone ? phonePlans : q === grams ? gramPlans : plans).push(generic.rows.map((r) => r['QUERY PLAN']).join('\n'));
      }
    });
    const found = await search('555-44-33');
    const inside = await search('200000100');

    // Assertions
    for (const plan of plans) expect(plan).toContain('orders_search_trgm_idx');
    for (const plan of phonePlans) expect(plan).toContain('orders_phone_suffix_idx');
    for (const plan of gramPlans) expect(plan).toContain('orders_phone_grams_idx');
    expect(found.ids).toEqual([ids.petrova]);
    expect(inside.ids).toHaveLength(10); // +72000001000 .. +72000001009
  }, 60_000);
});
