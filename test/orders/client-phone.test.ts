import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { OrderChangeFeed } from '../../src/orders/order-changes.ts';
import { canonicalClientPhone } from '../../src/orders/client-phone.ts';
import { OrdersService } from '../../src/orders/orders-service.ts';
import { useTestDatabase } from '../support/db.ts';
import { makeUser, orderInput } from '../support/fixtures.ts';

const t = useTestDatabase();

describe('client phones in one canonical form', () => {
  it.each([
    ['8 (916) 123-45-67', '+79161234567'],
    ['+7 916 123 45 67', '+79161234567'],
    ['79161234567', '+79161234567'],
    ['916 123-45-67', '+79161234567'],
    ['(495) 123-45-67', '+74951234567'],
    ['+44 20 7946 0000', '+442079460000'],
    ['+8 916 123 45 67', '+89161234567'],
    ['12345', '12345'],
  ])('%s is stored as %s', (typed, stored) => {
    expect(canonicalClientPhone(typed)).toBe(stored);
  });

  it('migration 0042 rewrites the rows stored before in the old spellings, and leaves the rest', async () => {
    // Setup: orders as the service stored them before (digits as typed)
    const anna = await makeUser(t.db, ['DISPATCHER']);
    const orders = new OrdersService(t.db, new OrderChangeFeed());
    const before = ['89161234567', '79161234568', '9161234569', '+79161234560', '+442079460000', '12345'];
    const ids: number[] = [];
    for (const phone of before) {
      const { order } = await orders.create(anna, orderInput());
      await t.db.pool.query('UPDATE orders SET client_phone = $2 WHERE id = $1', [order.id, phone]);
      ids.push(order.id);
    }
    const file = readFileSync(path.resolve(import.meta.dirname, '../../db/migrations/0089_client_phone_canonical.sql'), 'utf8');
    const up = file.split('-- Down Migration')[0]!;

    // Action
    await t.db.pool.query(up);

    // Assertions
    const { rows } = await t.db.pool.query('SELECT client_phone FROM orders WHERE id = ANY($1::int8[]) ORDER BY id', [ids]);
    expect(rows.map((r) => r.client_phone)).toEqual(['+79161234567', '+79161234568', '+79161234569', '+79161234560', '+442079460000', '12345']);
  });
});
