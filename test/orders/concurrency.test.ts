import { beforeAll, describe, expect, it } from 'vitest';
import { OrderChangeFeed } from '../../src/orders/order-changes.ts';
import { OrderWorkflow } from '../../src/orders/order-workflow.ts';
import { OrdersService } from '../../src/orders/orders-service.ts';
import type { Principal } from '../../src/users/principal.ts';
import { useTestDatabase } from '../support/db.ts';
import { makeMaster, makeUser, orderInput } from '../support/fixtures.ts';

// A pool as wide as the race, so all 20 calls really are in flight at once.
const t = useTestDatabase({ poolMax: 25 });
let orders: OrdersService;
let workflow: OrderWorkflow;
let dispatcher: Principal;
let masters: Array<Principal & { masterId: number }>;

beforeAll(async () => {
  const changes = new OrderChangeFeed();
  orders = new OrdersService(t.db, changes);
  workflow = new OrderWorkflow(t.db, changes);
  dispatcher = await makeUser(t.db, ['DISPATCHER']);
  masters = [];
  for (let i = 0; i < 20; i++) masters.push(await makeMaster(t.db, { name: `Master ${i}` }));
});

async function settle<T>(calls: Array<() => Promise<T>>) {
  const results = await Promise.allSettled(calls.map((c) => c()));
  return {
    won: results.filter((r) => r.status === 'fulfilled').length,
    lost: results.filter((r) => r.status === 'rejected').map((r) => r.reason.kind),
  };
}

describe('exactly one winner among 20 concurrent conflicting transitions', () => {
  it('20 dispatchers assign one NEW order to 20 different masters at the same version', async () => {
    // Setup
    const { order } = await orders.create(dispatcher, orderInput());
    // Action
    const outcome = await settle(
      masters.map((m) => () => workflow.act(dispatcher, order.id, 'assign', { master_id: m.masterId }, { expectedVersion: order.version })),
    );
    // Assertions
    expect(outcome.won).toBe(1);
    expect(outcome.lost.every((k) => k === 'precondition' || k === 'conflict')).toBe(true);
    const history = await orders.history(dispatcher, order.id);
    expect(history.filter((h) => h.new_status === 'ASSIGNED')).toHaveLength(1);
  });

  it('20 identical assigns without a version: one wins, the rest conflict', async () => {
    const { order } = await orders.create(dispatcher, orderInput());
    const outcome = await settle(Array.from({ length: 20 }, () => () => workflow.act(dispatcher, order.id, 'assign', { master_id: masters[0]!.masterId })));
    expect(outcome.won).toBe(1);
    expect(new Set(outcome.lost)).toEqual(new Set(['conflict']));
  });

  it('the master accepts while a dispatcher refuses and another unassigns: one outcome only', async () => {
    const { order } = await orders.create(dispatcher, orderInput());
    const m = masters[1]!;
    await workflow.act(dispatcher, order.id, 'assign', { master_id: m.masterId });
    const calls = Array.from({ length: 20 }, (_, i) =>
      i % 3 === 0
        ? () => workflow.act(m, order.id, 'accept', {})
        : i % 3 === 1
          ? () => workflow.act(dispatcher, order.id, 'refuse', { reason: 'client cancelled' })
          : () => workflow.act(dispatcher, order.id, 'unassign', {}),
    );
    const outcome = await settle(calls);
    // Accept then unassign (ACCEPTED -> NEW) may legitimately chain, so count status changes instead:
    const history = await orders.history(dispatcher, order.id);
    const changes = history.slice(2); // after create and assign
    expect(outcome.won).toBe(changes.length);
    // Every recorded change follows from the one before it.
    let status = 'ASSIGNED';
    for (const h of changes) {
      expect(h.old_status).toBe(status);
      status = h.new_status;
    }
    expect((await orders.get(dispatcher, order.id)).status).toBe(status);
  });

  it('20 parallel creations with one idempotency key make one order', async () => {
    const input = orderInput({ client_name: 'Idempotent client' });
    const results = await Promise.all(Array.from({ length: 20 }, () => orders.create(dispatcher, input, 'key-parallel-1')));
    const ids = new Set(results.map((r) => r.order.id));
    expect(ids.size).toBe(1);
    expect(results.filter((r) => !r.replayed)).toHaveLength(1);
    await expect(orders.create(dispatcher, { ...input, client_name: 'Someone else' }, 'key-parallel-1')).rejects.toMatchObject({ kind: 'unprocessable' });
  });
});
