import type pg from 'pg';
import type { Queryable } from './db/database.ts';
import { insertIdempotencyKey } from './orders/idempotency.sql.ts';
import { applyAction } from './orders/order-actions.sql.ts';
import { ACTION_COMMON, ACTIONS, type ActionName } from './orders/order-actions.ts';
import { insertOrder } from './orders/orders.sql.ts';
import { findWarmUpActor, WARM_WRITES_BEGIN, WARM_WRITES_ROLLBACK, WARM_WRITES_SEQUENCES } from './warm-up-writes.sql.ts';

/** The order flow's actions (create, assign, accept, arrive, complete, close: the lifecycle's writes). */
const FLOW_ACTIONS: ActionName[] = ['assign', 'accept', 'arrive', 'complete', 'close'];

/** A value of each declared type; nullable ones get null. Only the types are checked: the action matches no order. */
const SAMPLE: Record<string, unknown> = {
  int8: 0,
  int4: 0,
  text: '',
  numeric: '0',
  date: '2000-01-01',
  timestamptz: '2000-01-01T00:00:00Z',
  jsonb: {},
  bool: false,
};

function zeroParams(name: ActionName): Record<string, unknown> {
  const decls: Record<string, string> = { ...ACTION_COMMON, ...ACTIONS[name].sql.params };
  return Object.fromEntries(Object.entries(decls).map(([k, d]) => [k, d.endsWith('?') ? null : SAMPLE[d]]));
}

/**
 * The write paths' first executions on this connection, in a transaction
 * that is rolled back: an order created (with an idempotency key, as the
 * API does) leaves no row and no gap in the order numbers
 * (warm-up-writes.sql.ts), yet the session has run the insert's triggers,
 * foreign-key checks, index functions and the history and audit inserts:
 * what made the first order on a connection slow (134 ms under load,
 * BENCHMARKS.md). The order is then refused, so the update triggers run
 * too (the first status change on a connection: 36 ms against 4). The
 * flow's actions run against order 0, which matches nothing: parsed and
 * planned, no row touched.
 */
export async function warmWrites(conn: Queryable, raw: pg.ClientBase): Promise<void> {
  await raw.query(WARM_WRITES_BEGIN);
  try {
    await raw.query(WARM_WRITES_SEQUENCES);
    const actor = await findWarmUpActor(conn);
    if (actor) {
      const order = await insertOrder(
        conn,
        {
          equipment_type: actor.equipmentType,
          description: 'warm-up',
          client_name: 'warm-up',
          client_address: 'warm-up',
          client_phone: '+70000000000',
          notes: null,
          scheduled_at: null,
          scheduled_until: null,
          scheduled_note: null,
        },
        actor.userId,
      );
      await insertIdempotencyKey(conn, actor.userId, 'warm-up', Buffer.alloc(32), order.id);
      // A status change for real: the update triggers (report rollups, the console's notice) run their first time here.
      await applyAction(conn, 'refuse', { ...zeroParams('refuse'), id: order.id, actor_id: actor.userId, reason: 'warm-up' } as never);
    }
    for (const name of FLOW_ACTIONS) await applyAction(conn, name, zeroParams(name) as never);
  } finally {
    await raw.query(WARM_WRITES_ROLLBACK);
  }
}
