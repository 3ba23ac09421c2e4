import { beforeAll, describe, expect, it } from 'vitest';
import { searchOrderViews } from '../../src/orders/order-search.ts';
import { searchOrders, searchRecentOrders } from '../../src/orders/search.sql.ts';
import { useTestDatabase } from '../support/db.ts';

const t = useTestDatabase();

const FIRST = ['иван', 'анна', 'ольга', 'сергей', 'юлия', 'пётр'];
const SURNAMES = ['васильева', 'петров', 'королёв', 'смит_100%', 'мирова'];

beforeAll(async () => {
  // Enough rows, with statistics, for the planner to cost as it would in production. In one transaction
  // without the report rollups (nothing here reads them) and with time to spare: on a machine at load
  // average 19 the insert ran past the test pool's 30 s statement timeout.
  await t.db.withClient(async (_db, raw) => {
    await raw.query('BEGIN');
    await raw.query("SELECT set_config('repair_bot.skip_rollups', 'on', true), set_config('statement_timeout', '300s', true)");
    await raw.query(
      `
    INSERT INTO orders (equipment_type, description, client_name, client_address, client_phone, created_at)
    SELECT 'oven', 'bulk',
      initcap(($1::text[])[1 + i % 5]) || ' ' || initcap(($2::text[])[1 + i % 6]) || ' Игоревна',
      'ул. Ленина, д. ' || (i % 150)::text || ', кв. ' || (i % 300)::text,
      '+7' || (200000000 + i)::text || '5', now() - i * interval '1 minute'
    FROM generate_series(1, 20000) AS i`,
      [SURNAMES, FIRST],
    );
    await raw.query('COMMIT');
    await raw.query("SET statement_timeout = '300s'");
    await raw.query('VACUUM ANALYZE orders');
    await raw.query('RESET statement_timeout');
  });
});

/** One term of each kind the search tells apart (order-search.ts). */
const TERMS = [
  '2000007005', // a number's ending
  '2000007', // five digits or more inside numbers, ending none (every number ends with 5)
  '720', // a short fragment, ending none
  'иван', // a common word
  'бщкрвтз', // a made-up word: the walk, then the trigram index
  'мирова', // a surname
  'васильева юлия игоревна', // a whole name: the words index
  'ул. ленина, д. 14, кв. 14', // a whole address
  '#1', // an order number
];

describe('search plans', () => {
  it('plans each search statement once per connection: after five executions every one runs its generic plan', async () => {
    // Setup: one connection, named statements as the service's pool sends them
    const stats = await t.db.withClient(async (db, raw) => {
      // Action: every kind eight times (a prepared statement weighs custom against generic plans for its first five)
      for (let i = 0; i < 8; i++) for (const term of TERMS) await searchOrderViews(db, term, 20);
      const { rows } = await raw.query<{ name: string; generic_plans: string; custom_plans: string }>(
        `SELECT name, generic_plans::text, custom_plans::text FROM pg_prepared_statements WHERE name LIKE 'orders.%'`,
      );
      return rows;
    });

    // Assertions: planned at most five times each, then the cached plan (a custom plan is planned at every execution)
    const names = stats.map((s) => s.name).sort();
    expect(names).toEqual(
      expect.arrayContaining([
        'orders.find_orders_by_number',
        'orders.search_orders_by_phone',
        'orders.search_orders_by_phone_fragment',
        'orders.search_orders_by_phone_grams',
        'orders.search_orders_by_words',
        'orders.search_orders_capped',
        'orders.search_recent_orders',
      ]),
    );
    for (const s of stats) {
      expect(Number(s.custom_plans), s.name).toBeLessThanOrEqual(5);
      expect(Number(s.generic_plans), s.name).toBeGreaterThan(0);
    }
  });

  it('walks the newest orders for exactly what the trigram search finds, wildcards and case as plain text', async () => {
    for (const needle of ['иван', 'васильева юлия', 'ленина, д. 1', 'смит_100%', '100%', 'т_1', 'ё', 'королёв', 'королев', '72000']) {
      // Action
      const walked = await searchRecentOrders(t.db, needle, 50, 1_000_000);
      // Assertions
      expect(
        walked.map((o) => o.id),
        needle,
      ).toEqual((await searchOrders(t.db, needle, 50)).map((o) => o.id));
    }
    expect((await searchRecentOrders(t.db, 'смит_100%', 5, 1_000_000)).length).toBe(5);
    expect(await searchRecentOrders(t.db, 'смит_1000', 5, 1_000_000)).toEqual([]);
  });
});
