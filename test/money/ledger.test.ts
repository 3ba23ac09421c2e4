import { beforeAll, describe, expect, it } from 'vitest';
import { useApi, type Api } from '../http/support.ts';
import { orderDriver } from '../support/money.ts';

const api: Api = useApi();
let drive: ReturnType<typeof orderDriver>;
const ids: Record<'alone' | 'fridge' | 'prepaid' | 'other', number> = { alone: 0, fridge: 0, prepaid: 0, other: 0 };
let start: string;
let afterCompletions: string;

const dbNow = async () =>
  ((await api.t.db.pool.query(`SELECT to_char(clock_timestamp() AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') AS now`)).rows[0] as { now: string }).now;
const statusOf = async (id: number) =>
  (await api.t.db.pool.query(`SELECT status, settlement_id::int FROM orders WHERE id = $1`, [id])).rows[0] as { status: string; settlement_id: number | null };

beforeAll(async () => {
  drive = orderDriver(api.t.db, api.admin.principal);
  start = await dbNow();
  // Company shares: 10000 net at 50% -> 5000.00; a refrigerator at 19999.99 net, 50% -> 9999.99;
  // 5000 net at 40% -> 3000.00 less the 1000.00 prepayment the company took -> 2000.00.
  ids.alone = await drive.completed(api.master.principal, { equipment: 'washing_machine', total: '10000.00', materials: '0.00' });
  ids.fridge = await drive.completed(api.master.principal, { equipment: 'refrigerator', total: '21000.00', materials: '1000.01' });
  ids.prepaid = await drive.completed(api.master.principal, { equipment: 'washing_machine', total: '5000.00', materials: '0.00', prepayment: '1000.00' });
  ids.other = await drive.completed(api.master2.principal, { equipment: 'tv', total: '2000.00', materials: '0.00' });
  afterCompletions = await dbNow();
});

describe('what masters owe', () => {
  it('adds each completion (less prepayment) to the balance', async () => {
    // Action
    const res = await api.request('GET', '/api/v1/balances', { token: api.dispatcher.token });
    // Assertions
    expect(res.status).toBe(200);
    expect(res.body.items).toEqual([
      { master_id: api.master.masterId, master_name: 'Master One', senior: false, orders: 3, owed: '16999.99' },
      { master_id: api.master2.masterId, master_name: 'Master Two', senior: false, orders: 1, owed: '1200.00' },
    ]);
  });

  it('refuses bad input and other people with a problem naming the field, and changes nothing', async () => {
    // Action
    const mixed = await api.request('POST', `/api/v1/masters/${api.master.masterId}/settlements`, {
      token: api.admin.token,
      body: { order_ids: [ids.fridge, ids.other] },
    });
    const repeated = await api.request('POST', `/api/v1/masters/${api.master.masterId}/settlements`, {
      token: api.admin.token,
      body: { order_ids: [ids.fridge, ids.fridge] },
    });
    const extra = await api.request('POST', `/api/v1/masters/${api.master.masterId}/settlements`, { token: api.admin.token, body: { order_ids: [1], x: 1 } });
    const byMaster = await api.request('POST', `/api/v1/masters/${api.master.masterId}/settlements`, {
      token: api.master.token,
      body: { order_ids: [ids.fridge] },
    });
    const othersLedger = await api.request('GET', `/api/v1/masters/${api.master2.masterId}/ledger?from=${start}&to=${afterCompletions}`, {
      token: api.master.token,
    });
    const badAt = await api.request('GET', '/api/v1/balances?at=yesterday', { token: api.admin.token });
    // Assertions
    expect([mixed.status, mixed.body.field, mixed.body.order_ids]).toEqual([422, 'order_ids', [ids.other]]);
    expect([repeated.status, repeated.body.field]).toEqual([400, 'order_ids']);
    expect(extra.status).toBe(400);
    expect([byMaster.status, othersLedger.status]).toEqual([403, 403]);
    expect([badAt.status, badAt.body.field]).toEqual([400, 'at']);
    expect(await statusOf(ids.fridge)).toEqual({ status: 'COMPLETED', settlement_id: null });
    expect(Number((await api.t.db.pool.query(`SELECT count(*) FROM settlements`)).rows[0].count)).toBe(0);
  });

  it('records a close and a bulk settlement as hand-overs, with one audit entry for the settlement', async () => {
    // Action
    const closed = await api.request('POST', `/api/v1/orders/${ids.alone}/close`, { token: api.dispatcher.token });
    const settled = await api.request('POST', `/api/v1/masters/${api.master.masterId}/settlements`, {
      token: api.admin.token,
      body: { order_ids: [ids.fridge, ids.prepaid] },
    });
    const balances = await api.request('GET', '/api/v1/balances', { token: api.admin.token });
    const before = await api.request('GET', `/api/v1/balances?at=${afterCompletions}`, { token: api.admin.token });
    // Assertions
    expect(closed.status).toBe(200);
    expect(settled.status).toBe(201);
    expect(settled.body).toMatchObject({ master_id: api.master.masterId, orders: 2, amount: '11999.99' });
    expect(await statusOf(ids.fridge)).toEqual({ status: 'CLOSED', settlement_id: settled.body.id });
    expect(await statusOf(ids.prepaid)).toEqual({ status: 'CLOSED', settlement_id: settled.body.id });
    const audit = await api.t.db.pool.query(`SELECT actor_id::int, entity_id::int, details FROM audit_log WHERE action = 'settlement.create'`);
    expect(audit.rows).toEqual([
      {
        actor_id: api.admin.principal.userId,
        entity_id: settled.body.id,
        details: { master_id: api.master.masterId, orders: 2, amount: 11999.99, order_ids: [ids.fridge, ids.prepaid], correction_ids: [] },
      },
    ]);
    const history = await api.t.db.pool.query(
      `SELECT order_id::int, old_status, new_status, note FROM order_status_history WHERE note LIKE 'settlement%' ORDER BY order_id`,
    );
    expect(history.rows).toEqual(
      [ids.fridge, ids.prepaid].map((id) => ({ order_id: id, old_status: 'COMPLETED', new_status: 'CLOSED', note: `settlement #${settled.body.id}` })),
    );
    expect(balances.body.items.map((b: { master_id: number }) => b.master_id)).toEqual([api.master2.masterId]);
    expect(before.body.items[0]).toMatchObject({ master_id: api.master.masterId, orders: 3, owed: '16999.99' });
  });

  it("gives a master's ledger with a running balance, to the master himself", async () => {
    // Action
    const end = await dbNow();
    const res = await api.request('GET', `/api/v1/masters/${api.master.masterId}/ledger?from=${start}&to=${end}`, { token: api.master.token });
    // Assertions
    expect(res.status).toBe(200);
    const settlementId = (await statusOf(ids.fridge)).settlement_id;
    expect(res.body).toMatchObject({ opening: '0.00', closing: '0.00' });
    expect(res.body.entries.map((e: Record<string, unknown>) => [e.kind, e.order_id, e.settlement_id, e.orders, e.amount, e.balance])).toEqual([
      ['completed', ids.alone, null, 1, '5000.00', '5000.00'],
      ['completed', ids.fridge, null, 1, '9999.99', '14999.99'],
      ['completed', ids.prepaid, null, 1, '2000.00', '16999.99'],
      ['handed_over', ids.alone, null, 1, '-5000.00', '11999.99'],
      ['handed_over', null, settlementId, 2, '-11999.99', '0.00'],
    ]);
    const later = await api.request('GET', `/api/v1/masters/${api.master.masterId}/ledger?from=${afterCompletions}&to=${end}`, { token: api.master.token });
    expect(later.body).toMatchObject({ opening: '16999.99', closing: '0.00' });
    expect(later.body.entries).toHaveLength(2);
  });
});
