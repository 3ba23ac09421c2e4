import { beforeAll, describe, expect, it } from 'vitest';
import { addDays } from '../../src/console/board-service.ts';
import { createOrder, useApi } from '../http/support.ts';

const api = useApi();

/** Moscow keeps UTC+3 all year: a local wall time on a date. */
const at = (date: string, time: string) => `${date}T${time}:00+03:00`;

let today: string;
const o: Record<string, { id: number; version: number }> = {};

async function assign(id: number, masterId: number) {
  const res = await api.request('POST', `/api/v1/orders/${id}/assign`, { token: api.dispatcher.token, body: { master_id: masterId } });
  if (res.status !== 200) throw new Error(res.text);
  return res.body;
}

const ids = (items: Array<{ id: number }>) => items.map((i) => i.id);
const column = (board: { columns: Array<{ status: string; total: number; items: Array<{ id: number }> }> }, status: string) =>
  board.columns.find((c) => c.status === status)!;

beforeAll(async () => {
  today = api.services.console.board.today();
  o.todayMorning = await createOrder(api, { scheduled_at: at(today, '10:00') });
  o.yesterday = await createOrder(api, { scheduled_at: at(addDays(today, -1), '12:00') });
  o.tomorrow = await createOrder(api, { scheduled_at: at(addDays(today, 1), '09:00') });
  o.untimed = await createOrder(api, { client_name: 'Untimed Client' });
  o.oven = await createOrder(api, { scheduled_at: at(today, '08:00'), equipment_type: 'oven' });
  o.assigned = await assign((await createOrder(api, { scheduled_at: at(today, '15:00') })).id, api.master.masterId);
  o.assignedTomorrow = await assign((await createOrder(api, { scheduled_at: at(addDays(today, 1), '11:30') })).id, api.master.masterId);
  o.assignedUntimed = await assign((await createOrder(api)).id, api.master2.masterId);
  const refused = await createOrder(api, { scheduled_at: at(today, '11:00') });
  await api.request('POST', `/api/v1/orders/${refused.id}/refuse`, { token: api.dispatcher.token, body: { reason: 'Client changed their mind' } });
  o.refused = refused;
  // The untimed order entered NEW three hours ago: past its 2-hour SLA.
  await api.t.db.pool.query(`UPDATE orders SET status_changed_at = now() - interval '3 hours' WHERE id = $1`, [o.untimed!.id]);
});

describe("the day's board", () => {
  it('today: open orders due today and every open order due earlier, by status, earliest first; no refused or future ones', async () => {
    // Action
    const res = await api.request('GET', '/api/v1/console/board', { token: api.dispatcher.token });

    // Assertions
    expect(res.status).toBe(200);
    expect(res.body.date).toBe(today);
    expect(res.body.columns.map((c: { status: string }) => c.status)).toEqual(['NEW', 'ASSIGNED', 'ACCEPTED', 'IN_PROGRESS', 'LONG_REPAIR', 'COMPLETED']);
    const fresh = ids(column(res.body, 'NEW').items);
    expect(fresh).toEqual(expect.arrayContaining([o.todayMorning!.id, o.yesterday!.id, o.untimed!.id, o.oven!.id]));
    expect(fresh.indexOf(o.yesterday!.id)).toBeLessThan(fresh.indexOf(o.oven!.id));
    expect(fresh.indexOf(o.oven!.id)).toBeLessThan(fresh.indexOf(o.todayMorning!.id));
    expect(fresh).not.toContain(o.tomorrow!.id);
    expect(ids(column(res.body, 'ASSIGNED').items)).toEqual(expect.arrayContaining([o.assigned!.id, o.assignedUntimed!.id]));
    expect(ids(column(res.body, 'ASSIGNED').items)).not.toContain(o.assignedTomorrow!.id);
    expect(res.body.columns.flatMap((c: { items: Array<{ id: number }> }) => ids(c.items))).not.toContain(o.refused!.id);
    expect(column(res.body, 'NEW').total).toBe(fresh.length);
  });

  it('another day holds what is due that day only (nothing carried over)', async () => {
    // Action
    const tomorrow = await api.request('GET', `/api/v1/console/board?date=${addDays(today, 1)}`, { token: api.dispatcher.token });
    const yesterday = await api.request('GET', `/api/v1/console/board?date=${addDays(today, -1)}`, { token: api.admin.token });

    // Assertions
    expect(ids(column(tomorrow.body, 'NEW').items)).toEqual([o.tomorrow!.id]);
    expect(ids(column(tomorrow.body, 'ASSIGNED').items)).toEqual([o.assignedTomorrow!.id]);
    expect(ids(column(yesterday.body, 'NEW').items)).toEqual([o.yesterday!.id]);
  });

  it('filters by master and by equipment type', async () => {
    // Action
    const byMaster = await api.request('GET', `/api/v1/console/board?master_id=${api.master.masterId}`, { token: api.dispatcher.token });
    const byEquipment = await api.request('GET', '/api/v1/console/board?equipment_type=oven', { token: api.dispatcher.token });

    // Assertions
    expect(byMaster.body.columns.flatMap((c: { items: Array<{ id: number }> }) => ids(c.items))).toEqual([o.assigned!.id]);
    expect(byEquipment.body.columns.flatMap((c: { items: Array<{ id: number }> }) => ids(c.items))).toEqual([o.oven!.id]);
  });

  it('gives each order its SLA clock (from entering the status, or the visit if later) and the actions staff may take', async () => {
    // Action
    const res = await api.request('GET', '/api/v1/console/board', { token: api.dispatcher.token });
    const untimed = column(res.body, 'NEW').items.find((i) => i.id === o.untimed!.id) as unknown as Record<string, string & string[]>;
    const assigned = column(res.body, 'ASSIGNED').items.find((i) => i.id === o.assigned!.id) as unknown as Record<string, string & string[]>;

    // Assertions
    const since = Date.parse(untimed.waiting_since!);
    expect(Math.abs(since - (Date.now() - 3 * 3600_000))).toBeLessThan(60_000);
    expect(Date.parse(untimed.sla_due_at!) - since).toBe(120 * 60_000);
    expect(Date.parse(untimed.sla_warn_at!) - since).toBe(90 * 60_000);
    expect(Date.parse(untimed.sla_due_at!)).toBeLessThan(Date.now());
    expect(untimed.actions).toEqual(['assign', 'refuse', 'reschedule', 'edit']);
    // Assigned for 15:00 today: the clock runs from the visit once it is later than the assignment.
    expect(assigned.waiting_since).toBe(new Date(Math.max(Date.parse(at(today, '15:00')), Date.parse(assigned.status_changed_at!))).toISOString());
    expect(Date.parse(assigned.sla_due_at!) - Date.parse(assigned.waiting_since!)).toBe(240 * 60_000);
    expect(assigned.actions).toEqual(['assign', 'unassign', 'refuse', 'reschedule', 'edit']);
  });

  it('is for staff: a master gets 403, a bad date or filter gets 400 naming it', async () => {
    // Action
    const asMaster = await api.request('GET', '/api/v1/console/board', { token: api.master.token });
    const badDate = await api.request('GET', '/api/v1/console/board?date=2026-02-30', { token: api.dispatcher.token });
    const badEquipment = await api.request('GET', '/api/v1/console/board?equipment_type=DROP%20TABLE', { token: api.dispatcher.token });
    const unknown = await api.request('GET', '/api/v1/console/board?colour=red', { token: api.dispatcher.token });

    // Assertions
    expect(asMaster.status).toBe(403);
    expect([badDate.status, badDate.body.field]).toEqual([400, 'date']);
    expect([badEquipment.status, badEquipment.body.field]).toEqual([400, 'equipment_type']);
    expect([unknown.status, unknown.body.field]).toEqual([400, 'colour']);
  });
});

describe("masters' load and masters' day", () => {
  it("lists assignable masters least loaded first, with today's open work", async () => {
    // Action
    const res = await api.request('GET', '/api/v1/console/masters', { token: api.dispatcher.token });
    const one = res.body.masters.find((m: { id: number }) => m.id === api.master.masterId);
    const two = res.body.masters.find((m: { id: number }) => m.id === api.master2.masterId);

    // Assertions
    expect(res.status).toBe(200);
    expect(one).toMatchObject({ name: 'Master One', assigned: 1, total: 1 });
    expect(two).toMatchObject({ name: 'Master Two', assigned: 1, total: 1 });
    const totals = res.body.masters.map((m: { total: number }) => m.total);
    expect(totals).toEqual([...totals].sort((a, b) => a - b));
  });

  it("places each master's visits on today and tomorrow, and their open orders with no time beside them", async () => {
    // Action
    const res = await api.request('GET', '/api/v1/console/timeline', { token: api.dispatcher.token });
    const one = res.body.masters.find((m: { id: number }) => m.id === api.master.masterId);
    const two = res.body.masters.find((m: { id: number }) => m.id === api.master2.masterId);

    // Assertions
    expect(res.body.dates).toEqual([today, addDays(today, 1)]);
    expect(ids(one.orders)).toEqual([o.assigned!.id, o.assignedTomorrow!.id]);
    expect(ids(two.untimed)).toEqual([o.assignedUntimed!.id]);
    expect(two.orders).toEqual([]);
  });
});

describe('console search and cards', () => {
  it('finds an order by #number, by bare digits, or by text; a card carries its actions', async () => {
    // Action
    const byHash = await api.request('GET', `/api/v1/console/search?q=%23${o.oven!.id}`, { token: api.dispatcher.token });
    const byDigits = await api.request('GET', `/api/v1/console/search?q=${o.oven!.id}`, { token: api.dispatcher.token });
    const byName = await api.request('GET', '/api/v1/console/search?q=untimed%20cli', { token: api.dispatcher.token });
    const missing = await api.request('GET', '/api/v1/console/search?q=%23999999', { token: api.dispatcher.token });
    const card = await api.request('GET', `/api/v1/console/orders/${o.refused!.id}`, { token: api.dispatcher.token });

    // Assertions
    expect(ids(byHash.body.items)).toEqual([o.oven!.id]);
    expect(byDigits.body.items[0].id).toBe(o.oven!.id);
    expect(ids(byName.body.items)).toEqual([o.untimed!.id]);
    expect(missing.body.items).toEqual([]);
    expect(card.body).toMatchObject({ status: 'REFUSED', refuse_reason: 'Client changed their mind', actions: ['reopen', 'edit'], sla_due_at: null });
    expect(card.headers.get('etag')).toBe(`"${card.body.version}"`);
  });

  it('opens live events to staff only, and says they are off where this instance runs none', async () => {
    // Action
    const anonymous = await api.request('GET', '/api/v1/console/events');
    const asMaster = await api.request('GET', '/api/v1/console/events', { token: api.master.token });
    const badView = await api.request('GET', '/api/v1/console/events?date=tomorrow', { token: api.dispatcher.token });
    const off = await api.request('GET', '/api/v1/console/events', { token: api.dispatcher.token });

    // Assertions
    expect([anonymous.status, asMaster.status, badView.status, off.status]).toEqual([401, 403, 400, 503]);
  });
});
