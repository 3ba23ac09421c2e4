import { describe, expect, it } from 'vitest';
import { historyEntrySchema, orderSchema } from '../../src/orders/order-api.ts';
import { createOrder, useApi, type Caller } from './support.ts';
import { auditOf } from '../support/reads.ts';

const api = useApi();

/** POSTs a transition and checks the answer is a well-formed order whose ETag is its version. */
async function move(id: number, action: string, caller: Caller, body?: unknown) {
  const res = await api.request('POST', `/api/v1/orders/${id}/${action}`, { token: caller.token, body });
  expect(res.status, `${action}: ${String(res.text)}`).toBe(200);
  const order = orderSchema.parse(res.body);
  expect(res.headers.get('etag')).toBe(`"${String(order.version)}"`);
  return res.body;
}

describe('an order from NEW to CLOSED through the API, by the right roles', () => {
  it('walks every step, keeps the trail and shows the master the phone only from IN_PROGRESS', async () => {
    // Setup
    const created = await createOrder(api, { client_phone: '+7 (916) 555-44-33', notes: 'Call before coming' });
    const id = created.id as number;
    const master = api.master;

    // Action + Assertions, step by step
    expect(orderSchema.parse(created)).toMatchObject({
      status: 'NEW',
      version: 1,
      client_phone: '+79165554433',
      dispatcher_name: 'User DISPATCHER',
      master_id: null,
    });

    const assigned = await move(id, 'assign', api.dispatcher, { master_id: master.masterId });
    expect(assigned).toMatchObject({ status: 'ASSIGNED', master_id: master.masterId, master_name: 'Master One', version: 2 });

    const seenAssigned = await api.request('GET', `/api/v1/orders/${id}`, { token: master.token });
    expect(seenAssigned.status).toBe(200);
    expect(seenAssigned.body.client_phone).toBeNull();
    expect(seenAssigned.headers.get('etag')).toBe('"2"');

    expect(await move(id, 'accept', master)).toMatchObject({ status: 'ACCEPTED', client_phone: null });
    expect(await move(id, 'arrive', master)).toMatchObject({ status: 'IN_PROGRESS', client_phone: '+79165554433' });
    expect(await move(id, 'long-repair', master, { estimated_completion_date: '2030-01-15', prepayment_amount: '500.00' })).toMatchObject({
      status: 'LONG_REPAIR',
      estimated_completion_date: '2030-01-15',
      prepayment_amount: '500.00',
    });
    expect(await move(id, 'resume', master)).toMatchObject({ status: 'IN_PROGRESS' });
    // net 9000 >= 7000: 50% + 10 (review) = 60% -> 5400.00 / 3600.00
    expect(await move(id, 'complete', master, { total_amount: '10000', materials_cost: '1000.00', has_review: true, out_of_city: false })).toMatchObject({
      status: 'COMPLETED',
      total_amount: '10000.00',
      materials_cost: '1000.00',
      master_profit: '5400.00',
      company_profit: '3600.00',
      has_review: true,
    });
    const closed = await move(id, 'close', api.dispatcher);
    expect(closed).toMatchObject({ status: 'CLOSED', version: 8 });
    expect(closed.closed_at).not.toBeNull();

    const history = await api.request('GET', `/api/v1/orders/${id}/history`, { token: master.token });
    expect(history.status).toBe(200);
    const entries = history.body.items.map((e: unknown) => historyEntrySchema.parse(e));
    expect(entries.map((e: { new_status: string }) => e.new_status)).toEqual([
      'NEW',
      'ASSIGNED',
      'ACCEPTED',
      'IN_PROGRESS',
      'LONG_REPAIR',
      'IN_PROGRESS',
      'COMPLETED',
      'CLOSED',
    ]);

    const audit = await auditOf(api.t.db, { entityType: 'order', entityId: id });
    expect(audit.map((r) => r.action)).toEqual([
      'order.create',
      'order.assign',
      'order.accept',
      'order.arrive',
      'order.long_repair',
      'order.resume',
      'order.complete',
      'order.close',
    ]);

    // CLOSED is final.
    const reopen = await api.request('POST', `/api/v1/orders/${id}/reopen`, { token: api.admin.token });
    expect(reopen.status).toBe(409);
    const edit = await api.request('PATCH', `/api/v1/orders/${id}`, { token: api.admin.token, body: { notes: 'late' }, headers: { 'if-match': '"8"' } });
    expect(edit.status).toBe(409);
  });

  it('reassigns, unassigns, declines, refuses, reopens and reschedules', async () => {
    // Setup
    const { id } = await createOrder(api);

    // Action / Assertions
    await move(id, 'assign', api.admin, { master_id: api.master.masterId });
    expect(await move(id, 'assign', api.dispatcher, { master_id: api.master2.masterId })).toMatchObject({
      status: 'ASSIGNED',
      master_id: api.master2.masterId,
    });
    expect(await move(id, 'decline', api.master2, { reason: 'Too far' })).toMatchObject({ status: 'NEW', master_id: null });
    await move(id, 'assign', api.dispatcher, { master_id: api.master.masterId });
    await move(id, 'accept', api.master);
    expect(await move(id, 'unassign', api.dispatcher, { note: 'Client asked for another day' })).toMatchObject({ status: 'NEW', master_id: null });
    const rescheduled = await move(id, 'reschedule', api.dispatcher, { scheduled_at: '2030-02-01T10:00:00+03:00', reason: 'Client away' });
    expect(rescheduled).toMatchObject({ scheduled_at: '2030-02-01T07:00:00.000000Z', reschedule_count: 1, reschedule_reason: 'Client away', status: 'NEW' });
    expect(await move(id, 'refuse', api.dispatcher, { reason: 'Client cancelled' })).toMatchObject({ status: 'REFUSED', refuse_reason: 'Client cancelled' });
    expect(await move(id, 'reopen', api.dispatcher)).toMatchObject({ status: 'NEW', refuse_reason: null });
  });

  it('admins act for a master on every master step', async () => {
    // Setup
    const { id } = await createOrder(api);
    await move(id, 'assign', api.dispatcher, { master_id: api.master.masterId });

    // Action
    await move(id, 'accept', api.admin);
    await move(id, 'arrive', api.admin);
    const done = await move(id, 'complete', api.admin, { total_amount: '1000', materials_cost: '0', has_review: false, out_of_city: true });

    // Assertions: net 1000 < 7000: 40% + 10 (out of city) = 50%
    expect(done).toMatchObject({ status: 'COMPLETED', master_profit: '500.00', company_profit: '500.00', out_of_city: true });
  });

  it('edits with If-Match, answers the new version as ETag, and soft-deletes', async () => {
    // Setup
    const { id } = await createOrder(api);

    // Action
    const edited = await api.request('PATCH', `/api/v1/orders/${id}`, {
      token: api.dispatcher.token,
      body: { client_address: 'Moscow, Arbat 10', notes: null },
      headers: { 'if-match': '"1"' },
    });
    const deleted = await api.request('DELETE', `/api/v1/orders/${id}`, { token: api.admin.token });
    const after = await api.request('GET', `/api/v1/orders/${id}`, { token: api.admin.token });

    // Assertions
    expect(edited.status).toBe(200);
    expect(orderSchema.parse(edited.body)).toMatchObject({ client_address: 'Moscow, Arbat 10', notes: null, version: 2 });
    expect(edited.headers.get('etag')).toBe('"2"');
    expect(deleted.status).toBe(204);
    expect(deleted.text).toBe('');
    expect(after.status).toBe(404);
    const row = await api.t.db.pool.query(`SELECT deleted_at IS NOT NULL AS gone FROM orders WHERE id = $1`, [id]);
    expect(row.rows[0]).toEqual({ gone: true });
  });

  it('creates with Location and ETag, and lists newest first with names', async () => {
    // Setup
    const res = await api.request('POST', '/api/v1/orders', {
      token: api.admin.token,
      body: {
        equipment_type: 'tv',
        description: 'No picture',
        client_name: 'Anna',
        client_address: 'Tula',
        client_phone: '89001112233',
        scheduled_at: '2030-03-01T09:30:00.000000Z',
      },
    });

    // Action
    const list = await api.request('GET', '/api/v1/orders?status=NEW&limit=1', { token: api.dispatcher.token });

    // Assertions
    expect(res.status).toBe(201);
    expect(res.headers.get('location')).toBe(`/api/v1/orders/${res.body.id}`);
    expect(res.headers.get('etag')).toBe('"1"');
    expect(res.body).toMatchObject({ scheduled_at: '2030-03-01T09:30:00.000000Z', equipment_type: 'tv', dispatcher_name: 'User ADMIN' });
    expect(list.status).toBe(200);
    expect(list.body.items).toHaveLength(1);
    expect(list.body.items[0].id).toBe(res.body.id);
    expect(typeof list.body.next_cursor).toBe('string');
  });
});
