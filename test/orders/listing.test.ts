import { beforeAll, describe, expect, it } from 'vitest';
import { OrderChangeFeed } from '../../src/orders/order-changes.ts';
import { OrderWorkflow } from '../../src/orders/order-workflow.ts';
import { OrdersService, type ListFilter } from '../../src/orders/orders-service.ts';
import type { Principal } from '../../src/users/principal.ts';
import { useTestDatabase } from '../support/db.ts';
import { makeMaster, makeUser, orderInput } from '../support/fixtures.ts';

const t = useTestDatabase();
let orders: OrdersService;
let workflow: OrderWorkflow;
let admin: Principal;
let master: Principal & { masterId: number };

beforeAll(async () => {
  const changes = new OrderChangeFeed();
  orders = new OrdersService(t.db, changes);
  workflow = new OrderWorkflow(t.db, changes);
  admin = await makeUser(t.db, ['ADMIN']);
  master = await makeMaster(t.db);
  // 1,050 orders; 300 of them in one transaction so they share created_at (ties broken by id).
  await t.db.transaction(async () => {
    for (let i = 0; i < 300; i++) await orders.create(admin, orderInput({ client_name: `Same instant ${i}` }));
  });
  for (let i = 0; i < 750; i++) await orders.create(admin, orderInput({ client_name: `Client ${i}`, client_phone: `+7916${String(1000000 + i)}` }));
});

async function readAll(actor: Principal, filter: ListFilter, during?: () => Promise<void>): Promise<number[]> {
  const ids: number[] = [];
  let cursor: string | undefined;
  do {
    const page = await orders.list(actor, { ...filter, cursor });
    ids.push(...page.items.map((o) => o.id));
    cursor = page.next_cursor ?? undefined;
    if (during) await during();
  } while (cursor);
  return ids;
}

describe('keyset pagination', () => {
  it('pages through 1,000+ orders newest first with no duplicates or gaps', async () => {
    // Action
    const ids = await readAll(admin, { limit: 37 });
    // Assertions
    const expected = await t.db.withClient(async (_db, raw) =>
      (await raw.query('SELECT id FROM orders WHERE deleted_at IS NULL ORDER BY created_at DESC, id DESC')).rows.map((r) => Number(r.id)),
    );
    expect(ids.length).toBeGreaterThanOrEqual(1050);
    expect(new Set(ids).size).toBe(ids.length);
    expect(ids).toEqual(expected);
  });

  it('stays complete and stable while new orders arrive between pages', async () => {
    // Setup
    const before = await readAll(admin, { limit: 100 });
    let added = 0;
    // Action: every page is followed by three new orders.
    const during = await readAll(admin, { limit: 50 }, async () => {
      for (let i = 0; i < 3; i++) await orders.create(admin, orderInput({ client_name: `Late ${added++}` }));
    });
    // Assertions: newer rows never push old ones across page boundaries.
    expect(added).toBeGreaterThan(0);
    expect(during).toEqual(before);
  });

  it('filters by several statuses and merges them newest first', async () => {
    const page = await orders.list(admin, { limit: 5 });
    const [a, b] = page.items;
    await workflow.act(admin, a!.id, 'refuse', { reason: 'no' });
    await workflow.act(admin, b!.id, 'assign', { master_id: master.masterId });
    const filtered = await readAll(admin, { statuses: ['REFUSED', 'ASSIGNED'], limit: 1 });
    expect(filtered).toEqual([a!.id, b!.id].sort((x, y) => y - x));
    const masterView = await orders.list(master, { limit: 10 });
    expect(masterView.items.map((o) => o.id)).toEqual([b!.id]);
    expect(masterView.items[0]!.client_phone).toBeNull();
  });

  it('rejects a forged cursor, naming the field', async () => {
    for (const cursor of [
      'garbage',
      Buffer.from('["x",1]').toString('base64url'),
      Buffer.from('["2026-01-01T00:00:00Z",-1]').toString('base64url'),
      "' OR 1=1 --",
    ]) {
      await expect(orders.list(admin, { cursor })).rejects.toMatchObject({ kind: 'validation', field: 'cursor' });
    }
  });
});

describe('soft delete', () => {
  it('hides a deleted order from reads, lists, history and search, but keeps the row', async () => {
    // Setup
    const { order } = await orders.create(admin, orderInput({ client_name: 'Vanishing Client', client_phone: '+79990007777' }));
    // Action
    await workflow.act(admin, order.id, 'delete', {});
    // Assertions
    await expect(orders.get(admin, order.id)).rejects.toMatchObject({ kind: 'not_found' });
    await expect(orders.history(admin, order.id)).rejects.toMatchObject({ kind: 'not_found' });
    expect((await orders.list(admin, { limit: 100 })).items.map((o) => o.id)).not.toContain(order.id);
    expect(await orders.search(admin, 'vanishing')).toEqual([]);
    await expect(workflow.act(admin, order.id, 'refuse', { reason: 'x' })).rejects.toMatchObject({ kind: 'not_found' });
    await expect(workflow.act(admin, order.id, 'delete', {})).rejects.toMatchObject({ kind: 'not_found' });
    const row = await t.db.withClient(async (_db, raw) => (await raw.query('SELECT deleted_at FROM orders WHERE id = $1', [order.id])).rows[0]);
    expect(row.deleted_at).not.toBeNull();
  });

  it('only admins may delete', async () => {
    const dispatcher = await makeUser(t.db, ['DISPATCHER']);
    const { order } = await orders.create(dispatcher, orderInput());
    await expect(workflow.act(dispatcher, order.id, 'delete', {})).rejects.toMatchObject({ kind: 'forbidden' });
  });
});

describe('search', () => {
  it('finds by phone digits in any formatting, by address and by name, case-insensitively', async () => {
    const { order } = await orders.create(
      admin,
      orderInput({ client_name: 'Зинаида Кац', client_address: 'Самара, ул. Ленина 12', client_phone: '+7 (927) 555-01-23' }),
    );
    expect((await orders.search(admin, '8 927 555 01 23'.slice(2))).map((o) => o.id)).toContain(order.id);
    expect((await orders.search(admin, '555-01-23')).map((o) => o.id)).toContain(order.id);
    expect((await orders.search(admin, '8 (927) 555-01-23')).map((o) => o.id)).toContain(order.id);
    // A fragment of the number finds it too; other digits do not.
    expect((await orders.search(admin, '(927) 555-01')).map((o) => o.id)).toContain(order.id);
    expect((await orders.search(admin, '(927) 555-02')).map((o) => o.id)).not.toContain(order.id);
    expect((await orders.search(admin, 'ЛЕНИНА 12')).map((o) => o.id)).toContain(order.id);
    expect((await orders.search(admin, 'зинаида')).map((o) => o.id)).toContain(order.id);
  });

  it('treats LIKE wildcards and SQL metacharacters as plain text', async () => {
    expect(await orders.search(admin, '%%%')).toEqual([]);
    expect(await orders.search(admin, "' OR 1=1 --")).toEqual([]);
    expect(await orders.search(admin, '___')).toEqual([]);
  });

  it('needs at least 3 characters and a staff role', async () => {
    await expect(orders.search(admin, 'ab')).rejects.toMatchObject({ field: 'q' });
    await expect(orders.search(master, 'Client')).rejects.toMatchObject({ kind: 'forbidden' });
  });
});

describe('search over more orders than its recent window', () => {
  it('gives exactly the full search answer on every path: window, capped index, long walks', async () => {
    // Setup: a window of 50 over this file's 1,000+ orders (the cap is 500 matches).
    const narrow = new OrdersService(t.db, new OrderChangeFeed(), { searchWindow: 50 });
    const { searchOrders } = await import('../../src/orders/search.sql.ts');
    const cases = [
      'late', // matches only among the newest: the window
      'same instant', // 300 old matches: the capped index search
      'same instant 7', // 11 old matches: the capped index search, a partial page
      'instant 17', // the index is asked for its words, which "Same instant 117" has too: only the exact term counts
      'client', // 750+ matches, beyond the cap: the long walk
      'moscow, tverskaya', // two words, yet in every order: the index gives up at the cap, the walks answer
      'nobody by this name', // none
    ];
    for (const term of cases) {
      // Action
      const got = await narrow.search(admin, term, 20);
      // Assertions
      expect(
        got.map((o) => o.id),
        term,
      ).toEqual((await searchOrders(t.db, term, 20)).map((o) => o.id));
    }
    expect((await narrow.search(admin, 'instant 17', 20)).map((o) => o.client_name).sort()).toEqual(
      ['Same instant 17', ...Array.from({ length: 10 }, (_, i) => `Same instant 17${i}`)].sort(),
    );
    expect((await narrow.search(admin, 'same instant 7', 20)).map((o) => o.client_name).sort()).toEqual(
      ['Same instant 7', ...Array.from({ length: 10 }, (_, i) => `Same instant 7${i}`)].sort(),
    );

    // Setup: 400 newer orders, every tenth a Sparse one: the window sees 5, a walk 8 times longer a page
    await t.db.pool.query(`
      INSERT INTO orders (equipment_type, description, client_name, client_address, client_phone, created_at)
      SELECT 'washing_machine', 'Sparse test', CASE WHEN i % 10 = 0 THEN 'Sparse ' || i ELSE 'Filler ' || i END, 'Street 1', '+79001234567',
             now() + i * interval '1 second'
      FROM generate_series(1, 400) AS i`);
    // Action
    const sparse = await narrow.search(admin, 'sparse', 20);
    // Assertions
    expect(sparse.map((o) => o.id)).toEqual((await searchOrders(t.db, 'sparse', 20)).map((o) => o.id));
    expect(sparse.map((o) => o.client_name)).toEqual(Array.from({ length: 20 }, (_, i) => `Sparse ${400 - i * 10}`));
  });
});
