import { describe, expect, it } from 'vitest';
import { masterCardSchema, masterSchema } from '../../src/masters/masters-routes.ts';
import { userSchema } from '../../src/users/users-routes.ts';
import { telegramId } from '../support/fixtures.ts';
import { createOrder, useApi } from './support.ts';
import { auditOf } from '../support/reads.ts';

const api = useApi();

describe('masters through the API', () => {
  it('registers a master, who is assignable only once approved and while active', async () => {
    // Setup
    const tg = telegramId();
    const { id: orderId } = await createOrder(api);
    const assign = () => api.request('POST', `/api/v1/orders/${orderId}/assign`, { token: api.dispatcher.token, body: { master_id: created.body.id } });
    const assignable = async () =>
      (await api.request('GET', '/api/v1/masters?assignable=true&limit=100', { token: api.dispatcher.token })).body.items.map((m: { id: number }) => m.id);

    // Action / Assertions
    const created = await api.request('POST', '/api/v1/masters', {
      token: api.admin.token,
      body: { telegram_id: tg, phone: '8 (999) 111-22-33', specialization: 'Washing machines', name: 'Pavel' },
    });
    expect(created.status).toBe(201);
    expect(masterSchema.parse(created.body)).toMatchObject({
      telegram_id: tg,
      name: 'Pavel',
      phone: '89991112233',
      is_approved: false,
      is_active: true,
      approved_at: null,
    });
    expect(created.headers.get('location')).toBe(`/api/v1/masters/${created.body.id}`);
    expect((await assign()).body).toMatchObject({ status: 422, field: 'master_id' });
    expect(await assignable()).not.toContain(created.body.id);

    const approved = await api.request('POST', `/api/v1/masters/${created.body.id}/approve`, { token: api.admin.token });
    expect(approved.body).toMatchObject({ is_approved: true, is_active: true });
    expect(approved.body.approved_at).not.toBeNull();
    expect(await assignable()).toContain(created.body.id);

    const deactivated = await api.request('POST', `/api/v1/masters/${created.body.id}/deactivate`, { token: api.admin.token });
    expect(deactivated.body).toMatchObject({ is_active: false });
    expect(await assignable()).not.toContain(created.body.id);
    expect((await assign()).status).toBe(422);

    const activated = await api.request('POST', `/api/v1/masters/${created.body.id}/activate`, { token: api.admin.token });
    expect(activated.body).toMatchObject({ is_active: true, is_approved: true });
    expect((await assign()).body).toMatchObject({ status: 'ASSIGNED', master_id: created.body.id });

    const read = await api.request('GET', `/api/v1/masters/${created.body.id}`, { token: api.dispatcher.token });
    // The card adds how the master's work was received (nothing yet for a new master).
    expect(masterCardSchema.parse(read.body)).toEqual({ ...activated.body, rating_average: null, rating_count: 0, visits: 0, visits_on_time: 0 });
  });

  it('names the open orders left with a master it deactivates, so they can be reassigned', async () => {
    // Setup: a master with two orders assigned and another master with one; a master with none
    const register = async (name: string) => {
      const created = await api.request('POST', '/api/v1/masters', {
        token: api.admin.token,
        body: { telegram_id: telegramId(), phone: '+79990001122', specialization: 'Washing machines', name },
      });
      await api.request('POST', `/api/v1/masters/${created.body.id}/approve`, { token: api.admin.token });
      return created.body.id as number;
    };
    const [busy, other, idle] = [await register('Busy'), await register('Other'), await register('Idle')];
    const assigned: number[] = [];
    for (const master of [busy, busy, other]) {
      const { id } = await createOrder(api);
      const res = await api.request('POST', `/api/v1/orders/${id}/assign`, { token: api.dispatcher.token, body: { master_id: master } });
      expect(res.status).toBe(200);
      if (master === busy) assigned.push(id);
    }

    // Action
    const busyOff = await api.request('POST', `/api/v1/masters/${busy}/deactivate`, { token: api.admin.token });
    const idleOff = await api.request('POST', `/api/v1/masters/${idle}/deactivate`, { token: api.admin.token });

    // Assertions
    expect(busyOff.status).toBe(200);
    expect(busyOff.body).toMatchObject({ id: busy, is_active: false, open_order_ids: assigned });
    expect(idleOff.body).toMatchObject({ id: idle, is_active: false, open_order_ids: [] });
  });

  it('gives the person the MASTER role, refuses a second registration (409) and unknown masters (404)', async () => {
    // Setup
    const tg = telegramId();
    const body = { telegram_id: tg, phone: '+79990000001', specialization: 'Ovens' };
    const first = await api.request('POST', '/api/v1/masters', { token: api.admin.token, body });

    // Action
    const second = await api.request('POST', '/api/v1/masters', { token: api.admin.token, body });
    const missing = await api.request('POST', '/api/v1/masters/999999/approve', { token: api.admin.token });
    const missingRead = await api.request('GET', '/api/v1/masters/999999', { token: api.admin.token });
    const users = await api.request('GET', '/api/v1/users?limit=100', { token: api.admin.token });

    // Assertions
    expect(first.status).toBe(201);
    expect(second.body).toMatchObject({ status: 409, field: 'telegram_id' });
    expect(missing.status).toBe(404);
    expect(missingRead.status).toBe(404);
    const person = users.body.items.map((u: unknown) => userSchema.parse(u)).find((u: { telegram_id: number | null }) => u.telegram_id === tg);
    expect(person).toMatchObject({ roles: ['MASTER'], master_id: first.body.id, name: `id${tg}` });
  });
});

describe('users through the API', () => {
  it('replaces roles exactly, down to none, and refuses unknown people and repeated roles', async () => {
    // Setup
    const person = await api.caller(['MASTER']);
    const url = `/api/v1/users/${person.principal.telegramId}/roles`;

    // Action
    const both = await api.request('PUT', url, { token: api.admin.token, body: { roles: ['DISPATCHER', 'ADMIN'] } });
    const none = await api.request('PUT', url, { token: api.admin.token, body: { roles: [] } });
    const unknown = await api.request('PUT', `/api/v1/users/${telegramId()}/roles`, { token: api.admin.token, body: { roles: ['ADMIN'] } });
    const repeated = await api.request('PUT', url, { token: api.admin.token, body: { roles: ['ADMIN', 'ADMIN'] } });
    const bogus = await api.request('PUT', url, { token: api.admin.token, body: { roles: ['ROOT'] } });
    const asPerson = await api.request('GET', '/api/v1/orders', { token: person.token });

    // Assertions
    expect(userSchema.parse(both.body).roles).toEqual(['ADMIN', 'DISPATCHER']);
    expect(none.body.roles).toEqual([]);
    expect(unknown.body).toMatchObject({ status: 404, field: 'telegram_id' });
    expect(repeated.body).toMatchObject({ status: 400, field: 'roles' });
    expect(bogus.body).toMatchObject({ status: 400, field: 'roles.0' });
    expect(asPerson.status).toBe(403);
    expect(await auditOf(api.t.db, { action: 'user.roles_set', entityId: person.principal.userId })).toHaveLength(3);
  });
});

describe('equipment types through the API', () => {
  it('lists the managed codes with both names to every role, and nobody else', async () => {
    // Action
    const res = await api.request('GET', '/api/v1/equipment-types', { token: api.master.token });
    const anonymous = await api.request('GET', '/api/v1/equipment-types', { token: null });
    const stranger = await api.request('GET', '/api/v1/equipment-types', { token: api.nobody.token });
    // Assertions
    expect(res.status).toBe(200);
    expect(res.body.items.map((t: { code: string }) => t.code)).toEqual([
      'washing_machine',
      'dryer',
      'oven',
      'dishwasher',
      'coffee_machine',
      'plumbing',
      'electrical',
      'water_heater',
      'tv',
      'refrigerator',
    ]);
    expect(res.body.items[0]).toEqual({
      code: 'washing_machine',
      name_ru: 'Стиральные машины',
      name_en: 'Washing machines',
      singular_ru: 'Стиральная машина',
      singular_en: 'Washing machine',
      is_active: true,
      sort_order: 10,
    });
    expect(anonymous.status).toBe(401);
    expect(stranger.status).toBe(403);
  });
});
