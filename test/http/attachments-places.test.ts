import { describe, expect, it } from 'vitest';
import { createOrder, useApi } from './support.ts';

/**
 * An order's photos and documents (metadata: the files stay in Telegram) and
 * its places (the address as map links, the pin, the master's check-in,
 * live or not) through the HTTP API, for each kind of caller.
 */
const api = useApi();

async function onSiteOrder() {
  const order = await createOrder(api);
  const w = api.services.workflow;
  await w.act(api.dispatcher.principal, order.id, 'assign', { master_id: api.master.masterId });
  for (const step of ['accept', 'arrive'] as const) await w.act(api.master.principal, order.id, step, {});
  return order as { id: number; client_address: string };
}

describe('GET /api/v1/orders/{id}/attachments', () => {
  it("lists an order's files with who added them to staff and the order's master, and nothing to anyone else", async () => {
    // Setup
    const order = await onSiteOrder();
    const add = api.services.attachments;
    await add.add(api.dispatcher.principal, order.id, { stage: 'appliance', media: 'photo', fileId: 'f-1', fileUniqueId: `u${order.id}-1`, fileName: null });
    await add.add(api.master.principal, order.id, { stage: 'document', media: 'document', fileId: 'f-2', fileUniqueId: `u${order.id}-2`, fileName: 'act.pdf' });

    // Action
    const byDispatcher = await api.request('GET', `/api/v1/orders/${order.id}/attachments`, { token: api.dispatcher.token });
    const byMaster = await api.request('GET', `/api/v1/orders/${order.id}/attachments`, { token: api.master.token });
    const byOtherMaster = await api.request('GET', `/api/v1/orders/${order.id}/attachments`, { token: api.master2.token });
    const byNobody = await api.request('GET', `/api/v1/orders/${order.id}/attachments`, { token: api.nobody.token });
    const badId = await api.request('GET', '/api/v1/orders/abc/attachments', { token: api.dispatcher.token });

    // Assertions
    expect(byDispatcher.status).toBe(200);
    expect(byDispatcher.body.items).toEqual([
      {
        id: expect.any(Number),
        stage: 'appliance',
        media: 'photo',
        file_id: 'f-1',
        file_name: null,
        added_by: expect.any(String),
        added_at: expect.any(String),
      },
      {
        id: expect.any(Number),
        stage: 'document',
        media: 'document',
        file_id: 'f-2',
        file_name: 'act.pdf',
        added_by: 'Master One',
        added_at: expect.any(String),
      },
    ]);
    expect(byMaster.body).toEqual(byDispatcher.body);
    expect(byOtherMaster.status).toBe(404);
    expect(byNobody.status).toBe(403);
    expect(badId.status).toBe(400);
    expect(badId.body.field).toBe('id');
  });
});

describe('GET /api/v1/orders/{id}/places', () => {
  it('gives the address as map searches, the pin and a live check-in with until when it is followed and the distance', async () => {
    // Setup
    const order = await onSiteOrder();
    await api.services.places.pin(api.dispatcher.principal, order.id, { latitude: 55.7558, longitude: 37.6173 });
    const until = new Date(Date.now() + 15 * 60_000).toISOString();
    await api.services.places.checkIn(api.master.principal, order.id, { latitude: 55.7567, longitude: 37.6173 }, { chatId: 1, messageId: 2, until });

    // Action
    const places = await api.request('GET', `/api/v1/orders/${order.id}/places`, { token: api.dispatcher.token });
    const byOtherMaster = await api.request('GET', `/api/v1/orders/${order.id}/places`, { token: api.master2.token });

    // Assertions
    expect(places.status).toBe(200);
    expect(places.body).toMatchObject({
      address_maps: { yandex: `https://yandex.ru/maps/?text=${encodeURIComponent(order.client_address)}` },
      pin: { latitude: 55.7558, longitude: 37.6173 },
      check_in: { latitude: 55.7567, live: true, maps: { google: 'https://www.google.com/maps/search/?api=1&query=55.7567,37.6173' } },
      distance_metres: 100,
    });
    expect(Date.parse(places.body.check_in.live_until)).toBe(Date.parse(until));
    expect(byOtherMaster.status).toBe(404);
  });
});
