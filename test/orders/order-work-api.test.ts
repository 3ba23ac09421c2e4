import { describe, expect, it } from 'vitest';
import { createOrder, useApi } from '../http/support.ts';

const api = useApi();

const post = (id: number, action: string, token: string, body?: unknown, ifMatch?: string) =>
  api.request('POST', `/api/v1/orders/${id}/${action}`, { token, body, headers: ifMatch ? { 'if-match': ifMatch } : {} });

describe('the same order work through the HTTP API', () => {
  it('reschedules to a window; an end before the start names scheduled_until and writes nothing', async () => {
    const { id } = await createOrder(api);

    const bad = await post(id, 'reschedule', api.dispatcher.token, {
      scheduled_at: '2031-05-01T16:00:00+03:00',
      scheduled_until: '2031-05-01T10:00:00+03:00',
      reason: 'Client asked',
    });
    const good = await post(id, 'reschedule', api.dispatcher.token, {
      scheduled_at: '2031-05-01T10:00:00+03:00',
      scheduled_until: '2031-05-01T16:00:00+03:00',
      reason: 'Client asked',
    });

    expect(bad.status).toBe(400);
    expect(bad.body.field).toBe('scheduled_until');
    expect(good.status).toBe(200);
    expect(good.body).toMatchObject({
      scheduled_at: '2031-05-01T07:00:00.000000Z',
      scheduled_until: '2031-05-01T13:00:00.000000Z',
      reschedule_count: 1,
      version: 2,
    });
  });

  it('deletes with a reason, lists the deleted order, restores it once (a second restore conflicts)', async () => {
    const { id } = await createOrder(api);

    const del = await api.request('DELETE', `/api/v1/orders/${id}?reason=${encodeURIComponent('Дубликат')}`, { token: api.admin.token });
    const read = await api.request('GET', `/api/v1/orders/${id}`, { token: api.admin.token });
    const list = await api.request('GET', '/api/v1/deleted-orders?limit=5', { token: api.admin.token });
    const byDispatcher = await api.request('GET', '/api/v1/deleted-orders', { token: api.dispatcher.token });
    const restored = await post(id, 'restore', api.admin.token, {});
    const again = await post(id, 'restore', api.admin.token, {});

    expect(del.status).toBe(204);
    expect(read.status).toBe(404);
    expect(list.status).toBe(200);
    expect(list.body.items[0]).toMatchObject({ id, delete_reason: 'Дубликат', deleted_by: 'User ADMIN' });
    expect(byDispatcher.status).toBe(403);
    expect(restored.status).toBe(200);
    expect(restored.body).toMatchObject({ id, status: 'NEW' });
    expect(again.status).toBe(409);
  });

  it('pages the deleted list with a cursor', async () => {
    const ids: number[] = [];
    for (let i = 0; i < 3; i++) {
      const { id } = await createOrder(api);
      await api.request('DELETE', `/api/v1/orders/${id}`, { token: api.admin.token });
      ids.push(id);
    }
    const first = await api.request('GET', '/api/v1/deleted-orders?limit=2', { token: api.admin.token });
    const second = await api.request('GET', `/api/v1/deleted-orders?limit=2&cursor=${first.body.next_cursor}`, { token: api.admin.token });

    const seen = [...first.body.items, ...second.body.items].map((o: { id: number }) => o.id);
    expect(seen.slice(0, 3)).toEqual([...ids].reverse());
    expect(new Set(seen).size).toBe(seen.length);
  });

  it('lets the assigned master cancel after accepting, with a reason; not before accepting', async () => {
    const { id } = await createOrder(api);
    await post(id, 'assign', api.dispatcher.token, { master_id: api.master.masterId });

    const early = await post(id, 'cancel-accepted', api.master.token, { reason: 'Не смогу' });
    await post(id, 'accept', api.master.token);
    const noReason = await post(id, 'cancel-accepted', api.master.token, {});
    const other = await post(id, 'cancel-accepted', api.master2.token, { reason: 'Не моё' });
    const done = await post(id, 'cancel-accepted', api.master.token, { reason: 'Не смогу' });

    expect(early.status).toBe(409);
    expect(noReason.status).toBe(400);
    expect(noReason.body.field).toBe('reason');
    expect(other.status).toBe(404);
    expect(done.status).toBe(200);
    expect(done.body).toMatchObject({ status: 'NEW', master_id: null });
  });

  it('tells what changed in the timeline, edits with values before and after; a master sees no hidden phone', async () => {
    const { id, version } = await createOrder(api, { client_phone: '+79161234567' });
    await api.request('PATCH', `/api/v1/orders/${id}`, {
      token: api.dispatcher.token,
      body: { client_phone: '8 903 555 00 00' },
      headers: { 'if-match': `"${version}"` },
    });
    await post(id, 'assign', api.dispatcher.token, { master_id: api.master.masterId });
    await post(id, 'accept', api.admin.token);

    const staff = await api.request('GET', `/api/v1/orders/${id}/timeline`, { token: api.dispatcher.token });
    const master = await api.request('GET', `/api/v1/orders/${id}/timeline`, { token: api.master.token });

    expect(staff.status).toBe(200);
    expect(staff.body.items.map((e: { action: string }) => e.action)).toEqual(['create', 'edit', 'assign', 'accept']);
    expect(staff.body.items[1].changes).toEqual({ client_phone: { from: '+79161234567', to: '+79035550000' } });
    expect(staff.body.items[3]).toMatchObject({ from: 'ASSIGNED', to: 'ACCEPTED', for_master: 'Master One' });
    expect(master.body.items[1].changes).toEqual({ client_phone: { from: null, to: null } });
    expect(master.text).not.toContain('79161234567');
  });
});
