import { beforeAll, describe, expect, it } from 'vitest';
import { FIRST_PAGE, listMasterOrders, listOrders } from '../../src/orders/list-orders.sql.ts';
import { makeMaster } from '../support/fixtures.ts';
import { useTestDatabase } from '../support/db.ts';

const t = useTestDatabase();
let masterId: number;

beforeAll(async () => {
  masterId = (await makeMaster(t.db)).masterId;
  // Enough rows, with statistics, for the planner to cost pages as it would in production.
  await t.db.withClient(async (_db, raw) => {
    await raw.query('BEGIN');
    await raw.query("SELECT set_config('repair_bot.skip_rollups', 'on', true)");
    await raw.query(
      `INSERT INTO orders (equipment_type, description, client_name, client_address, client_phone, created_at)
       SELECT 'oven', 'bulk', 'Client ' || i, 'Street ' || i, '+7900' || (1000000 + i)::text, now() - i * interval '1 minute'
       FROM generate_series(1, 20000) AS i`,
    );
    await raw.query('COMMIT');
    await raw.query('VACUUM ANALYZE orders');
  });
});

describe('list plans', () => {
  it('plans each page statement once per connection: after five executions every one runs its generic plan', async () => {
    // Setup: one connection, named statements as the service's pool sends them
    const stats = await t.db.withClient(async (db, raw) => {
      // Action: first pages and later pages of common, rare and several statuses, eight rounds
      for (let i = 0; i < 8; i++) {
        for (const statuses of [['NEW'], ['CLOSED'], ['ASSIGNED', 'ACCEPTED', 'IN_PROGRESS']] as const) {
          const first = await listOrders(db, statuses, FIRST_PAGE, 21);
          const last = first.at(-1);
          if (last) await listOrders(db, statuses, { createdAt: last.created_at, id: last.id }, 21);
          await listMasterOrders(db, masterId, statuses, FIRST_PAGE, 21);
        }
      }
      const { rows } = await raw.query<{ name: string; generic_plans: string; custom_plans: string }>(
        `SELECT name, generic_plans::text, custom_plans::text FROM pg_prepared_statements WHERE name LIKE 'orders.list_%'`,
      );
      return rows;
    });

    // Assertions: planned at most five times each, then the cached plan (a custom plan is planned at every execution)
    expect(stats.map((s) => s.name).sort()).toEqual(['orders.list_master_orders', 'orders.list_orders']);
    for (const s of stats) {
      expect(Number(s.custom_plans), s.name).toBeLessThanOrEqual(5);
      expect(Number(s.generic_plans), s.name).toBeGreaterThan(0);
    }
  });

  it('pages through the orders newest first with the hidden cursor, each order once', async () => {
    const seen: number[] = [];
    let after = FIRST_PAGE;
    for (let page = 0; page < 3; page++) {
      const rows = await listOrders(t.db, ['NEW'], after, 50);
      expect(rows).toHaveLength(50);
      seen.push(...rows.map((r) => r.id));
      after = { createdAt: rows.at(-1)!.created_at, id: rows.at(-1)!.id };
    }
    expect(new Set(seen).size).toBe(150);
    const { rows } = await t.db.pool.query<{ id: number }>(`SELECT id FROM orders WHERE status = 'NEW' ORDER BY created_at DESC, id DESC LIMIT 150`);
    expect(seen).toEqual(rows.map((r) => Number(r.id)));
  });
});
