import { beforeAll, describe, expect, it } from 'vitest';
import { applyAction } from '../../src/orders/order-actions.sql.ts';
import type { Principal } from '../../src/users/principal.ts';
import { makeMaster, makeUser } from '../support/fixtures.ts';
import { useTestDatabase } from '../support/db.ts';
import { orderDriver } from '../support/money.ts';

/**
 * A check-in (arrive, resume) sets the order's arrived_at in the
 * transition's own row version, with the history row stamped the same: the
 * history trigger of migration 0159 then has nothing to change, and an
 * arrival writes the order row (and every index of it) once, not twice.
 */
const t = useTestDatabase();
let admin: Principal;
let master: Principal;
let driver: ReturnType<typeof orderDriver>;

beforeAll(async () => {
  admin = await makeUser(t.db, ['ADMIN']);
  master = await makeMaster(t.db);
  driver = orderDriver(t.db, admin);
});

/** An order assigned to and accepted by the master. */
async function accepted(): Promise<number> {
  const id = await driver.created();
  await driver.workflow.act(admin, id, 'assign', { master_id: master.masterId! });
  await driver.workflow.act(master, id, 'accept', {});
  return id;
}

/** Runs one action in a transaction and counts the orders rows it updated (statistics read before and after it, inside it). */
async function rowUpdates(name: 'arrive' | 'resume', id: number): Promise<{ updates: number; arrivedAt: string | null; firstCheckIn: string | null }> {
  // On the transaction's own connection: the backend's pending statistics, which only grow until the transaction ends.
  const read = () =>
    t.db.withClient(async (_db, raw) => {
      const { rows } = await raw.query<{ updates: string; arrived_at: string | null; first: string | null }>(
        `SELECT (SELECT n_tup_upd FROM pg_stat_xact_user_tables WHERE relid = 'orders'::regclass)::text AS updates,
                (SELECT arrived_at::text FROM orders WHERE id = $1::int8) AS arrived_at,
                (SELECT min(changed_at)::text FROM order_status_history WHERE order_id = $1::int8 AND new_status = 'IN_PROGRESS') AS first`,
        [id],
      );
      return { updates: Number(rows[0]!.updates), arrivedAt: rows[0]!.arrived_at, firstCheckIn: rows[0]!.first };
    });
  return t.db.transaction(async (tx) => {
    const before = await read();
    const moved = await applyAction(tx, name, {
      id,
      actor_id: master.userId,
      expected_version: null,
      master_scope: master.masterId,
      note: null,
      details: null,
    });
    expect(moved?.status).toBe('IN_PROGRESS');
    const after = await read();
    return { ...after, updates: after.updates - before.updates };
  });
}

describe('a check-in', () => {
  it('writes the order row once, with arrived_at equal to its history row', async () => {
    // Setup
    const id = await accepted();

    // Action
    const arrived = await rowUpdates('arrive', id);

    // Assertions
    expect(arrived.updates).toBe(1);
    expect(arrived.arrivedAt).not.toBeNull();
    expect(arrived.arrivedAt).toBe(arrived.firstCheckIn);
  });

  it('keeps the first check-in when resuming after a long repair, and sets it when the repair began before any', async () => {
    // Setup: one order arrived then went to a long repair; one went there straight from ACCEPTED
    const visited = await accepted();
    await driver.workflow.act(master, visited, 'arrive', {});
    const first = await t.db.pool.query<{ a: string }>('SELECT arrived_at::text AS a FROM orders WHERE id = $1::int8', [visited]);
    await driver.workflow.act(master, visited, 'long_repair', { estimated_completion_date: '2030-01-15' });
    const straight = await accepted();
    await driver.workflow.act(master, straight, 'long_repair', { estimated_completion_date: '2030-01-15' });

    // Action
    const resumed = await rowUpdates('resume', visited);
    const arrivedLate = await rowUpdates('resume', straight);

    // Assertions
    expect(resumed).toEqual({ updates: 1, arrivedAt: first.rows[0]!.a, firstCheckIn: first.rows[0]!.a });
    expect(arrivedLate.updates).toBe(1);
    expect(arrivedLate.arrivedAt).not.toBeNull();
    expect(arrivedLate.arrivedAt).toBe(arrivedLate.firstCheckIn);
  });
});
