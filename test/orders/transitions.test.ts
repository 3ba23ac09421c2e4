import { beforeAll, describe, expect, it } from 'vitest';
import type { OrderStatus } from '../../src/db/enums.ts';
import { ConflictError, ForbiddenError, NotFoundError } from '../../src/errors.ts';
import { OrderChangeFeed } from '../../src/orders/order-changes.ts';
import type { ActionInput, ActionName } from '../../src/orders/order-actions.ts';
import { OrderWorkflow } from '../../src/orders/order-workflow.ts';
import { OrdersService } from '../../src/orders/orders-service.ts';
import type { Principal } from '../../src/users/principal.ts';
import { useTestDatabase } from '../support/db.ts';
import { auditOf } from '../support/reads.ts';
import { makeMaster, makeUser, orderInput } from '../support/fixtures.ts';

/**
 * The spec's transition table, written out independently of
 * src/orders/transitions.ts so the implementation is checked against it.
 * who: staff = admin or dispatcher; master = the assigned master or an admin.
 */
// The client's cancel has no role behind it: test/clients/client-journey.test.ts checks it.
// Corrections keep the status: test/money/corrections.test.ts checks them.
type TransitionName = Exclude<ActionName, 'reschedule' | 'edit' | 'delete' | 'restore' | 'client_cancel' | 'correct'>;
const SPEC: Record<TransitionName, { from: OrderStatus[]; to: OrderStatus; who: 'staff' | 'master' }> = {
  assign: { from: ['NEW', 'ASSIGNED'], to: 'ASSIGNED', who: 'staff' },
  unassign: { from: ['ASSIGNED', 'ACCEPTED'], to: 'NEW', who: 'staff' },
  decline: { from: ['ASSIGNED'], to: 'NEW', who: 'master' },
  accept: { from: ['ASSIGNED'], to: 'ACCEPTED', who: 'master' },
  arrive: { from: ['ACCEPTED', 'LONG_REPAIR'], to: 'IN_PROGRESS', who: 'master' },
  resume: { from: ['LONG_REPAIR'], to: 'IN_PROGRESS', who: 'master' },
  long_repair: { from: ['ACCEPTED', 'IN_PROGRESS'], to: 'LONG_REPAIR', who: 'master' },
  complete: { from: ['IN_PROGRESS', 'LONG_REPAIR'], to: 'COMPLETED', who: 'master' },
  close: { from: ['COMPLETED'], to: 'CLOSED', who: 'staff' },
  refuse: { from: ['NEW', 'ASSIGNED', 'ACCEPTED', 'IN_PROGRESS', 'LONG_REPAIR'], to: 'REFUSED', who: 'staff' },
  reopen: { from: ['REFUSED'], to: 'NEW', who: 'staff' },
  cancel_accepted: { from: ['ACCEPTED'], to: 'NEW', who: 'master' },
  client_refused: { from: ['IN_PROGRESS', 'LONG_REPAIR'], to: 'REFUSED', who: 'master' },
};
const STATUSES: OrderStatus[] = ['NEW', 'ASSIGNED', 'ACCEPTED', 'IN_PROGRESS', 'LONG_REPAIR', 'COMPLETED', 'CLOSED', 'REFUSED'];
type ActorKind = 'admin' | 'dispatcher' | 'assigned master' | 'other master' | 'no role';

const t = useTestDatabase();
let orders: OrdersService;
let workflow: OrderWorkflow;
let actors: Record<ActorKind, Principal>;
let assigned: Principal & { masterId: number };
let spare: Principal & { masterId: number };

function inputFor(name: TransitionName): ActionInput<TransitionName> {
  switch (name) {
    case 'assign':
      return { master_id: spare.masterId };
    case 'decline':
    case 'refuse':
    case 'cancel_accepted':
      return { reason: 'client cancelled' };
    case 'client_refused':
      return { reason: 'too expensive', fee: '500.00' };
    case 'long_repair':
      return { estimated_completion_date: '2030-01-15', prepayment_amount: '1000.00' };
    case 'complete':
      return { total_amount: '9000.00', materials_cost: '1500.00', has_review: true, out_of_city: false };
    default:
      return {};
  }
}

/** Paths from NEW (as admin) to each status, with `assigned` as the master. */
const PATHS: Record<OrderStatus, TransitionName[]> = {
  NEW: [],
  ASSIGNED: ['assign'],
  ACCEPTED: ['assign', 'accept'],
  IN_PROGRESS: ['assign', 'accept', 'arrive'],
  LONG_REPAIR: ['assign', 'accept', 'long_repair'],
  COMPLETED: ['assign', 'accept', 'arrive', 'complete'],
  CLOSED: ['assign', 'accept', 'arrive', 'complete', 'close'],
  REFUSED: ['refuse'],
};

async function orderIn(status: OrderStatus): Promise<number> {
  const { order } = await orders.create(actors.admin, orderInput());
  for (const step of PATHS[status]) {
    const input = step === 'assign' ? { master_id: assigned.masterId } : inputFor(step);
    await workflow.act(actors.admin, order.id, step, input);
  }
  return order.id;
}

function expected(name: TransitionName, status: OrderStatus, actor: ActorKind): 'ok' | 'forbidden' | 'not_found' | 'conflict' {
  const rule = SPEC[name];
  if (actor === 'no role') return 'forbidden';
  if (rule.who === 'staff' && (actor === 'assigned master' || actor === 'other master')) return 'forbidden';
  if (rule.who === 'master' && actor === 'dispatcher') return 'forbidden';
  // A master acts only on orders assigned to them; others do not exist for them.
  if (rule.who === 'master' && actor === 'other master') return 'not_found';
  if (rule.who === 'master' && actor === 'assigned master' && !['ASSIGNED', 'ACCEPTED', 'IN_PROGRESS', 'LONG_REPAIR', 'COMPLETED', 'CLOSED'].includes(status))
    return 'not_found';
  return rule.from.includes(status) ? 'ok' : 'conflict';
}

beforeAll(async () => {
  const changes = new OrderChangeFeed();
  orders = new OrdersService(t.db, changes);
  workflow = new OrderWorkflow(t.db, changes);
  assigned = await makeMaster(t.db, { name: 'Assigned master' });
  spare = await makeMaster(t.db, { name: 'Spare master' });
  actors = {
    admin: await makeUser(t.db, ['ADMIN']),
    dispatcher: await makeUser(t.db, ['DISPATCHER']),
    'assigned master': assigned,
    'other master': await makeMaster(t.db, { name: 'Other master' }),
    'no role': await makeUser(t.db, []),
  };
});

describe('every transition from every status by every kind of actor', () => {
  for (const name of Object.keys(SPEC) as TransitionName[]) {
    it(`${name}`, async () => {
      const outcomes: string[] = [];
      for (const status of STATUSES) {
        for (const actor of Object.keys(actors) as ActorKind[]) {
          // Setup
          const id = await orderIn(status);
          const want = expected(name, status, actor);
          // Action
          let got: string;
          try {
            const order = await workflow.act(actors[actor], id, name, inputFor(name));
            got = order.status === SPEC[name].to ? 'ok' : `ok but ${order.status}`;
          } catch (err) {
            got =
              err instanceof ForbiddenError
                ? 'forbidden'
                : err instanceof NotFoundError
                  ? 'not_found'
                  : err instanceof ConflictError
                    ? 'conflict'
                    : `error ${(err as Error).message}`;
          }
          // Assertions (collected so one run shows every mismatch)
          if (got !== want) outcomes.push(`${status} by ${actor}: expected ${want}, got ${got}`);
          const after = await orders.get(actors.admin, id);
          if (want !== 'ok' && after.status !== status) outcomes.push(`${status} by ${actor}: refused but status changed to ${after.status}`);
        }
      }
      expect(outcomes).toEqual([]);
    });
  }
});

describe('what transitions record', () => {
  it('writes one history row per status change and one audit row per change, with actor and note', async () => {
    // Setup
    const id = await orderIn('ASSIGNED');
    // Action
    await workflow.act(assigned, id, 'decline', { reason: 'too far' });
    // Assertions
    const history = await orders.history(actors.admin, id);
    expect(history.map((h) => [h.old_status, h.new_status])).toEqual([
      [null, 'NEW'],
      ['NEW', 'ASSIGNED'],
      ['ASSIGNED', 'NEW'],
    ]);
    expect(history.at(-1)).toMatchObject({ actor_id: assigned.userId, note: 'too far' });
    const audit = await auditOf(t.db, { entityType: 'order', entityId: id });
    expect(audit.map((a) => a.action)).toEqual(['order.create', 'order.assign', 'order.decline']);
    expect(audit[2]).toMatchObject({ actor_id: assigned.userId, details: { from: 'ASSIGNED', to: 'NEW' } });
    const order = await orders.get(actors.admin, id);
    expect(order.master_id).toBeNull();
  });

  it('completes with the exact split and makes the phone visible to the master only from IN_PROGRESS', async () => {
    // Setup
    const id = await orderIn('ACCEPTED');
    expect((await orders.get(assigned, id)).client_phone).toBeNull();
    // Action
    await workflow.act(assigned, id, 'arrive', {});
    const seen = await orders.get(assigned, id);
    const done = await workflow.act(assigned, id, 'complete', {
      total_amount: '8000.00',
      materials_cost: '1000.01',
      has_review: false,
      out_of_city: true,
    });
    // Assertions: net 6999.99 -> 40% + 10 = 50% -> 3500.00 (3499.995 half up)
    expect(seen.client_phone).toBe('+79161234567');
    expect(done).toMatchObject({
      status: 'COMPLETED',
      total_amount: '8000.00',
      materials_cost: '1000.01',
      master_profit: '3500.00',
      company_profit: '3499.99',
    });
    expect(done.completed_at).not.toBeNull();
  });

  it('rejects materials above the total without touching the order', async () => {
    const id = await orderIn('IN_PROGRESS');
    await expect(
      workflow.act(assigned, id, 'complete', { total_amount: '100.00', materials_cost: '100.01', has_review: false, out_of_city: false }),
    ).rejects.toMatchObject({ field: 'materials_cost' });
    expect((await orders.get(actors.admin, id)).status).toBe('IN_PROGRESS');
  });

  it('refuses to assign an unapproved or inactive master, naming master_id', async () => {
    const unapproved = await makeMaster(t.db, { approved: false });
    const inactive = await makeMaster(t.db, { active: false });
    const id = await orderIn('NEW');
    await expect(workflow.act(actors.dispatcher, id, 'assign', { master_id: unapproved.masterId })).rejects.toMatchObject({ field: 'master_id' });
    await expect(workflow.act(actors.dispatcher, id, 'assign', { master_id: inactive.masterId })).rejects.toMatchObject({ field: 'master_id' });
    await expect(workflow.act(actors.dispatcher, id, 'assign', { master_id: 999_999 })).rejects.toMatchObject({ field: 'master_id' });
    expect((await orders.get(actors.admin, id)).status).toBe('NEW');
  });

  it('answers a stale expected version with 412 and leaves the order alone', async () => {
    const id = await orderIn('NEW');
    const current = await orders.get(actors.admin, id);
    await expect(
      workflow.act(actors.dispatcher, id, 'assign', { master_id: assigned.masterId }, { expectedVersion: current.version - 1 }),
    ).rejects.toMatchObject({ kind: 'precondition' });
    const moved = await workflow.act(actors.dispatcher, id, 'assign', { master_id: assigned.masterId }, { expectedVersion: current.version });
    expect(moved.version).toBe(current.version + 1);
  });

  it('reschedules without changing status and counts it', async () => {
    const id = await orderIn('ACCEPTED');
    const r = await workflow.act(assigned, id, 'reschedule', { scheduled_at: '2030-02-01T10:00:00.000000Z', reason: 'client asked' });
    expect(r).toMatchObject({ status: 'ACCEPTED', reschedule_count: 1, reschedule_reason: 'client asked', scheduled_at: '2030-02-01T10:00:00.000000Z' });
    const closedId = await orderIn('CLOSED');
    await expect(workflow.act(actors.admin, closedId, 'reschedule', { scheduled_at: '2030-02-01T10:00:00.000000Z', reason: 'x' })).rejects.toBeInstanceOf(
      ConflictError,
    );
  });
});
