import { beforeAll, describe, expect, it } from 'vitest';
import { OrderChangeFeed } from '../../src/orders/order-changes.ts';
import { OrdersService } from '../../src/orders/orders-service.ts';
import type { Principal } from '../../src/users/principal.ts';
import { warmUp } from '../../src/warm-up.ts';
import { useTestDatabase } from '../support/db.ts';
import { makeUser, orderInput } from '../support/fixtures.ts';

const t = useTestDatabase({ poolMax: 4 });
let orders: OrdersService;
let admin: Principal;

beforeAll(async () => {
  orders = new OrdersService(t.db, new OrderChangeFeed());
  admin = await makeUser(t.db, ['ADMIN']);
});

/** What a warm-up must leave as it found it: the rows, and where the order numbers stand. */
async function state() {
  const { rows } = await t.db.pool.query<Record<string, string>>(`
    SELECT (SELECT count(*) FROM orders)::text AS orders, (SELECT count(*) FROM order_status_history)::text AS history,
           (SELECT count(*) FROM audit_log)::text AS audit, (SELECT count(*) FROM idempotency_keys)::text AS keys,
           (SELECT last_value || '/' || is_called FROM orders_id_seq) AS orders_seq`);
  return rows[0]!;
}

describe('the write warm-up at start', () => {
  it('runs the order writes on every connection and leaves no row and no gap in the order numbers', async () => {
    // Setup
    const before = (await orders.create(admin, orderInput(), 'before-warm-up')).order;
    const found = await state();

    // Action: the start's warm-up on three connections
    await warmUp(t.db, 3);

    // Assertions: nothing left behind, the next order gets the next number
    expect(await state()).toEqual(found);
    const after = (await orders.create(admin, orderInput(), 'after-warm-up')).order;
    expect(after.id).toBe(before.id + 1);
    // ...and each of the three sessions has the create and the flow's actions prepared.
    const prepared = await Promise.all(
      [1, 2, 3].map(() =>
        t.db.withClient(async (_db, raw) => {
          const { rows } = await raw.query<{ name: string; pid: number }>(`SELECT name, pg_backend_pid() AS pid FROM pg_prepared_statements`);
          await new Promise((resolve) => setTimeout(resolve, 50)); // hold it, so the three are distinct connections
          return rows;
        }),
      ),
    );
    expect(new Set(prepared.map((rows) => rows[0]?.pid)).size).toBe(3);
    for (const rows of prepared)
      expect(rows.map((r) => r.name)).toEqual(
        expect.arrayContaining([
          'orders.insert_order',
          'orders.insert_idempotency_key',
          'orders.transition_assign',
          'orders.transition_complete',
          'orders.transition_close',
        ]),
      );
  });
});
