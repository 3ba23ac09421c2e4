import { inflateSync } from 'node:zlib';
import { encode } from 'uqr';
import { describe, expect, it } from 'vitest';
import { qrPng } from '../../src/clients/qr-png.ts';
import { makeMaster } from '../support/fixtures.ts';
import { createOrder, useApi } from '../http/support.ts';

const api = useApi();

/** The grey pixels of an 8-bit grey-scale PNG, as rows (filter bytes dropped). */
function pixels(png: Buffer): { side: number; rows: Buffer[] } {
  const side = png.readUInt32BE(16);
  const idat: Buffer[] = [];
  for (let at = 8; at < png.length;) {
    const length = png.readUInt32BE(at);
    if (png.toString('ascii', at + 4, at + 8) === 'IDAT') idat.push(png.subarray(at + 8, at + 8 + length));
    at += 12 + length;
  }
  const raw = inflateSync(Buffer.concat(idat));
  return { side, rows: Array.from({ length: side }, (_v, y) => raw.subarray(y * (side + 1) + 1, (y + 1) * (side + 1))) };
}

describe('the client link through the API', () => {
  it('is issued to staff only, as a deep link with its QR code, and a new one replaces the old', async () => {
    // Setup
    const order = await createOrder(api);
    api.services.clients.useBot('repair_test_bot');

    // Action
    const first = await api.request('POST', `/api/v1/orders/${order.id}/client-link`, { token: api.dispatcher.token });
    const second = await api.request('POST', `/api/v1/orders/${order.id}/client-link`, { token: api.admin.token });
    const byMaster = await api.request('POST', `/api/v1/orders/${order.id}/client-link`, { token: api.master.token });
    const missing = await api.request('POST', '/api/v1/orders/999999999/client-link', { token: api.dispatcher.token });
    const side = await api.request('GET', `/api/v1/orders/${order.id}/client`, { token: api.dispatcher.token });
    const stored = (await api.t.db.pool.query('SELECT token_hash FROM order_client_links WHERE order_id = $1', [order.id])).rows;

    // Assertions
    expect(first.status).toBe(201);
    expect(first.body.url).toBe(`https://t.me/repair_test_bot?start=${first.body.start_parameter}`);
    expect(first.body.start_parameter).toMatch(/^c[A-Za-z0-9_-]{43}$/);
    expect(second.body.start_parameter).not.toBe(first.body.start_parameter);
    expect(Buffer.from(second.body.qr_png_base64, 'base64').subarray(0, 8)).toEqual(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]));
    expect(byMaster.status).toBe(403);
    expect(missing.status).toBe(404);
    expect(missing.body.field).toBe('id');
    expect(stored).toHaveLength(1);
    expect(stored[0].token_hash).not.toEqual(Buffer.from(second.body.start_parameter));
    expect(side.body).toEqual({ clients: 0, link_expires_at: second.body.expires_at, rating: null });
  });

  it("shows staff the client's rating, and masters cannot read it", async () => {
    // Setup
    const master = await makeMaster(api.t.db);
    const order = await createOrder(api);
    const w = api.services.workflow;
    await w.act(api.dispatcher.principal, order.id, 'assign', { master_id: master.masterId });
    for (const step of ['accept', 'arrive'] as const) await w.act(master, order.id, step, {});
    await w.act(master, order.id, 'complete', { total_amount: '5000', materials_cost: '0', has_review: false, out_of_city: false });
    const link = await api.services.clients.issueLink(api.dispatcher.principal, order.id);
    const client = { ...api.nobody.principal };
    await api.services.clients.join(client, 777_000_001, link.token);
    await api.services.clients.rate(client, order.id, 4);
    await api.services.clients.comment(client, order.id, 'Быстро и аккуратно');

    // Action
    const side = await api.request('GET', `/api/v1/orders/${order.id}/client`, { token: api.admin.token });
    const byMaster = await api.request('GET', `/api/v1/orders/${order.id}/client`, { token: api.master.token });

    // Assertions
    expect(side.body).toMatchObject({ clients: 1, rating: { score: 4, comment: 'Быстро и аккуратно' } });
    expect(byMaster.status).toBe(403);
  });
});

describe('the QR code image', () => {
  it('draws every module of the code, with a quiet zone, as a grey-scale PNG', () => {
    // Setup
    const text = 'https://t.me/repair_test_bot?start=cAbCdEfGhIjKlMnOpQrStUvWxYz0123456789_-AbCdEf';
    const code = encode(text, { ecc: 'M', border: 0 });

    // Action
    const { side, rows } = pixels(qrPng(text, 4));

    // Assertions
    expect(side).toBe((code.size + 8) * 4);
    for (let y = 0; y < side; y++) {
      for (let x = 0; x < side; x++) {
        const my = Math.floor(y / 4) - 4;
        const mx = Math.floor(x / 4) - 4;
        const dark = my >= 0 && my < code.size && mx >= 0 && mx < code.size && code.data[my]![mx]!;
        if ((rows[y]![x] === 0) !== dark) throw new Error(`pixel ${x},${y} should be ${dark ? 'dark' : 'light'}`);
      }
    }
    expect(rows[0]!.every((p) => p === 255)).toBe(true);
  });
});
