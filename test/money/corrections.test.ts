import { beforeAll, describe, expect, it } from 'vitest';
import { useApi, type Api } from '../http/support.ts';
import { localParts } from '../../src/scheduler/periods.ts';
import { orderDriver } from '../support/money.ts';

/**
 * Money after the fact, through the API: an admin's correction of a
 * completed or closed order (re-split by the rule recorded at completion,
 * the difference in the master's ledger) and a client's refusal on site
 * with a fee (split by the refusal-fee rule, owed and handed over like an
 * order's share). The ledger of one master is followed through completion,
 * a partial settlement, a bulk settlement and a correction after settlement.
 */
const api: Api = useApi();
let drive: ReturnType<typeof orderDriver>;
const ids: Record<'a' | 'b' | 'c' | 'd' | 'refused', number> = { a: 0, b: 0, c: 0, d: 0, refused: 0 };
let start: string;
/** Just after the partial settlement: 8 800.00 owed. */
let afterPartial: string;
let day: { from: string; to: string };

const dbNow = async () =>
  ((await api.t.db.pool.query(`SELECT to_char(clock_timestamp() AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') AS now`)).rows[0] as { now: string }).now;
const moneyOf = async (id: number) =>
  (
    await api.t.db.pool.query(
      `SELECT status::text, total_amount::text, master_profit::text, company_profit::text, master_rate, commission_rule_id::int AS rule_id, version
       FROM orders WHERE id = $1`,
      [id],
    )
  ).rows[0] as { status: string; total_amount: string; master_profit: string; company_profit: string; master_rate: number; rule_id: number; version: number };
const ledgerOf = async () => {
  const res = await api.request('GET', `/api/v1/masters/${api.master.masterId}/ledger?from=${start}&to=${await dbNow()}`, { token: api.admin.token });
  expect(res.status).toBe(200);
  return res.body as { opening: string; closing: string; entries: Array<Record<string, unknown>> };
};
const owedNow = async () =>
  (await api.request('GET', `/api/v1/balances`, { token: api.admin.token })).body.items.find(
    (b: { master_id: number }) => b.master_id === api.master.masterId,
  ) as { orders: number; owed: string } | undefined;
const correct = (id: number, version: number | null, body: unknown, token = api.admin.token) =>
  api.request('POST', `/api/v1/orders/${id}/correct`, { token, body, headers: version === null ? {} : { 'If-Match': `"${version}"` } });

beforeAll(async () => {
  drive = orderDriver(api.t.db, api.admin.principal);
  start = await dbNow();
  // Date-only periods are whole days in the reports' zone (the services' default): after 21:00 UTC it is tomorrow there.
  const today = localParts(new Date(start), 'Europe/Moscow').date;
  day = { from: today, to: new Date(Date.parse(today) + 86_400_000).toISOString().slice(0, 10) };
  // Company shares under the legacy default rule (40% under 7000 net, 50% from it):
  // a: 10000 -> 5000.00; b: 5000 -> 3000.00; c: 8000 -> 4000.00; d: 3000 -> 1800.00.
  ids.a = await drive.completed(api.master.principal, { equipment: 'washing_machine', total: '10000.00', materials: '0.00' });
  ids.b = await drive.completed(api.master.principal, { equipment: 'washing_machine', total: '5000.00', materials: '0.00' });
  ids.c = await drive.completed(api.master.principal, { equipment: 'washing_machine', total: '8000.00', materials: '0.00' });
  ids.d = await drive.completed(api.master.principal, { equipment: 'washing_machine', total: '3000.00', materials: '0.00' });
  ids.refused = await drive.started(api.master.principal, 'washing_machine');
});

describe('corrections and refusal fees in the ledger', () => {
  it('books each completion; a partial settlement hands over the orders it lists', async () => {
    // Action
    const partial = await api.request('POST', `/api/v1/masters/${api.master.masterId}/settlements`, { token: api.admin.token, body: { order_ids: [ids.a] } });
    // Assertions
    expect(partial.status).toBe(201);
    expect(partial.body).toMatchObject({ orders: 1, corrections: 0, amount: '5000.00' });
    expect(await owedNow()).toMatchObject({ orders: 3, owed: '8800.00' });
    afterPartial = await dbNow();
  });

  it('takes a refusal on site with a fee split by the refusal-fee rule, owed like an order', async () => {
    // Action
    const refused = await api.request('POST', `/api/v1/orders/${ids.refused}/client-refused`, {
      token: api.master.token,
      body: { reason: 'слишком дорого', fee: '800.00' },
    });
    // Assertions: 40% of 800 to the master, no bonuses (the legacy split of a refusal's amount)
    expect(refused.status).toBe(200);
    expect(refused.body).toMatchObject({
      status: 'REFUSED',
      refuse_reason: 'слишком дорого',
      refusal_fee: '800.00',
      refusal_master_share: '320.00',
      refusal_company_share: '480.00',
    });
    expect(await owedNow()).toMatchObject({ orders: 4, owed: '9280.00' });
    const summary = await api.request('GET', `/api/v1/reports/summary?from=${day.from}&to=${day.to}`, { token: api.admin.token });
    expect(summary.body.refusal_fees).toEqual({ orders: 1, fee: '800.00', master_share: '320.00', company_share: '480.00' });
  });

  it('corrects a completed order by the rule recorded at completion, even after the rule changed', async () => {
    // Setup: a new default rule would pay 45%; the order keeps its recorded 40/50.
    const rules = api.services.commission;
    const recorded = await moneyOf(ids.b);
    const current = (await rules.current(api.admin.principal))[0]!;
    const { id: _i, kind: _k, equipment_type: _e, version: _v, valid_from: _f, valid_to: _t, created_by: _c, ...terms } = current;
    await rules.change(api.admin.principal, null, { ...terms, rate_below: 45 });
    // Action: 5000 -> 6000 (still under 7000: 40% by the recorded rule)
    const res = await correct(ids.b, recorded.version, { total_amount: '6000.00', reason: 'клиент доплатил' });
    // Assertions
    expect(res.status).toBe(200);
    expect(await moneyOf(ids.b)).toMatchObject({
      status: 'COMPLETED',
      total_amount: '6000.00',
      master_profit: '2400.00',
      company_profit: '3600.00',
      master_rate: 40,
      rule_id: recorded.rule_id,
    });
    const audit = await api.t.db.pool.query(`SELECT details FROM audit_log WHERE action = 'order.correct' AND entity_id = $1`, [ids.b]);
    expect(audit.rows[0].details).toMatchObject({
      note: 'клиент доплатил',
      before: { total_amount: '5000.00', company_profit: '3000.00' },
      after: { total_amount: '6000.00', company_profit: '3600.00' },
      owed_delta: '600.00',
    });
    expect(await owedNow()).toMatchObject({ orders: 4, owed: '9880.00' });
    await rules.change(api.admin.principal, null, terms);
  });

  it('bulk-settles the rest (the fee with them); the refused order stays refused', async () => {
    // Action
    const bulk = await api.request('POST', `/api/v1/masters/${api.master.masterId}/settlements`, {
      token: api.dispatcher.token,
      body: { order_ids: [ids.b, ids.c, ids.d, ids.refused] },
    });
    // Assertions
    expect(bulk.status).toBe(201);
    expect(bulk.body).toMatchObject({ orders: 4, corrections: 0, amount: '9880.00' });
    expect(await owedNow()).toBeUndefined();
    expect((await moneyOf(ids.refused)).status).toBe('REFUSED');
    const reopen = await api.request('POST', `/api/v1/orders/${ids.refused}/reopen`, { token: api.admin.token, body: {} });
    expect([reopen.status, (await moneyOf(ids.refused)).status]).toEqual([409, 'REFUSED']);
  });

  it('a correction after settlement leaves the difference owed until a settlement takes it', async () => {
    // Setup
    const closed = await moneyOf(ids.c);
    // Action: 8000 -> 7000 with a review: 50% + 10 = 60% of 7000 -> company 2800 (was 4000)
    const res = await correct(ids.c, closed.version, { total_amount: '7000.00', has_review: true, reason: 'скидка клиенту' });
    const owed = await owedNow();
    const handOver = await api.request('POST', `/api/v1/masters/${api.master.masterId}/settlements`, { token: api.admin.token, body: { order_ids: [] } });
    const again = await api.request('POST', `/api/v1/masters/${api.master.masterId}/settlements`, { token: api.admin.token, body: { order_ids: [] } });
    // Assertions
    expect(res.status).toBe(200);
    expect(await moneyOf(ids.c)).toMatchObject({
      status: 'CLOSED',
      total_amount: '7000.00',
      master_profit: '4200.00',
      company_profit: '2800.00',
      master_rate: 60,
    });
    expect(owed).toEqual(expect.objectContaining({ orders: 0, owed: '-1200.00' }));
    expect(handOver.status).toBe(201);
    expect(handOver.body).toMatchObject({ orders: 0, corrections: 1, amount: '-1200.00' });
    expect([again.status, again.body.field]).toEqual([422, 'order_ids']);
    expect(await owedNow()).toBeUndefined();
  });

  it("shows the master's month: completions, the fee, corrections and hand-overs with a running balance", async () => {
    // Action
    const ledger = await ledgerOf();
    // Assertions
    const rows = ledger.entries.map((e) => [e.kind, e.order_id, e.orders, e.amount, e.balance]);
    expect(rows).toEqual([
      ['completed', ids.a, 1, '5000.00', '5000.00'],
      ['completed', ids.b, 1, '3000.00', '8000.00'],
      ['completed', ids.c, 1, '4000.00', '12000.00'],
      ['completed', ids.d, 1, '1800.00', '13800.00'],
      ['handed_over', null, 1, '-5000.00', '8800.00'],
      ['refusal_fee', ids.refused, 1, '480.00', '9280.00'],
      ['correction', ids.b, 0, '600.00', '9880.00'],
      ['handed_over', null, 4, '-9880.00', '0.00'],
      ['correction', ids.c, 0, '-1200.00', '-1200.00'],
      ['handed_over', null, 0, '1200.00', '0.00'],
    ]);
    expect(ledger).toMatchObject({ opening: '0.00', closing: '0.00' });
    // A balance at a past moment leaves out what was corrected after it: b's correction came later.
    const later = await api.request('GET', `/api/v1/masters/${api.master.masterId}/ledger?from=${afterPartial}&to=${await dbNow()}`, {
      token: api.admin.token,
    });
    expect(later.body).toMatchObject({ opening: '8800.00', closing: '0.00' });
    expect(later.body.entries).toHaveLength(5);
  });

  it("reflects corrections in the month's report", async () => {
    // Action
    const summary = await api.request('GET', `/api/v1/reports/summary?from=${day.from}&to=${day.to}`, { token: api.admin.token });
    const masters = await api.request('GET', `/api/v1/reports/masters?from=${day.from}&to=${day.to}`, { token: api.admin.token });
    // Assertions: 10000 + 6000 + 7000 + 3000 closed
    expect(summary.body.closed).toMatchObject({ orders: 4, revenue: '26000.00', master_share: '12800.00', company_share: '13200.00' });
    expect(masters.body.items ?? masters.body).toEqual(
      expect.arrayContaining([expect.objectContaining({ master_id: api.master.masterId, revenue: '26000.00', company_share: '13200.00' })]),
    );
  });

  it('refuses bad corrections with the field named, and writes nothing', async () => {
    // Setup
    const before = await moneyOf(ids.d);
    const open = await drive.started(api.master.principal, 'tv');
    // Action
    const noVersion = await correct(ids.d, null, { total_amount: '1.00', reason: 'x' });
    const stale = await correct(ids.d, before.version - 1, { total_amount: '1.00', reason: 'x' });
    const materials = await correct(ids.d, before.version, { materials_cost: '3000.01', reason: 'x' });
    const nothing = await correct(ids.d, before.version, { total_amount: '3000.00', reason: 'x' });
    const noReason = await correct(ids.d, before.version, { total_amount: '1.00' });
    const dispatcher = await correct(ids.d, before.version, { total_amount: '1.00', reason: 'x' }, api.dispatcher.token);
    const notDone = await correct(open, (await moneyOf(open)).version, { total_amount: '1.00', reason: 'x' });
    const badFee = await api.request('POST', `/api/v1/orders/${open}/client-refused`, { token: api.master.token, body: { reason: 'x', fee: '-5' } });
    const prepaid = await drive.started(api.master.principal, 'tv', '1500.00');
    const underPrepayment = await api.request('POST', `/api/v1/orders/${prepaid}/complete`, {
      token: api.master.token,
      body: { total_amount: '1000.00', materials_cost: '0.00', has_review: false, out_of_city: false },
    });
    // Assertions
    expect([noVersion.status, noVersion.body.field]).toEqual([400, 'If-Match']);
    expect([stale.status, stale.body.field]).toEqual([412, 'If-Match']);
    expect([materials.status, materials.body.field]).toEqual([400, 'materials_cost']);
    expect([nothing.status, nothing.body.field]).toEqual([400, 'total_amount']);
    expect([noReason.status, noReason.body.field]).toEqual([400, 'reason']);
    expect(dispatcher.status).toBe(403);
    expect(notDone.status).toBe(409);
    expect([badFee.status, badFee.body.field]).toEqual([400, 'fee']);
    expect([underPrepayment.status, underPrepayment.body.field, (await moneyOf(prepaid)).status]).toEqual([422, 'total_amount', 'LONG_REPAIR']);
    expect(await moneyOf(ids.d)).toEqual(before);
    expect(Number((await api.t.db.pool.query(`SELECT count(*) FROM order_corrections WHERE order_id = $1`, [ids.d])).rows[0].count)).toBe(0);
  });
});
