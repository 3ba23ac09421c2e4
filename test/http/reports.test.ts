import ExcelJS from 'exceljs';
import { beforeAll, describe, expect, it } from 'vitest';
import { masterFiguresSchema, summarySchema } from '../../src/reports/reports-routes.ts';
import { makeMaster } from '../support/fixtures.ts';
import { tokenFor, useApi, type Caller } from './support.ts';

const api = useApi();
let period: { from: string; to: string };
let master3: Caller & { masterId: number };

/** An order of this equipment driven to COMPLETED (and CLOSED unless told) by `master`. */
async function finish(
  equipment: string,
  master: Caller & { masterId: number },
  money: { total: string; materials: string; review?: boolean; outOfCity?: boolean },
  close = true,
) {
  const created = await api.request('POST', '/api/v1/orders', {
    token: api.dispatcher.token,
    body: { equipment_type: equipment, description: 'Report me', client_name: 'Client', client_address: 'Street 2', client_phone: '+79001234567' },
  });
  const id = created.body.id;
  const steps: Array<[string, Caller, unknown]> = [
    ['assign', api.dispatcher, { master_id: master.masterId }],
    ['accept', master, undefined],
    ['arrive', master, undefined],
    [
      'complete',
      master,
      { total_amount: money.total, materials_cost: money.materials, has_review: money.review ?? false, out_of_city: money.outOfCity ?? false },
    ],
    ...(close ? ([['close', api.dispatcher, undefined]] as Array<[string, Caller, unknown]>) : []),
  ];
  for (const [action, caller, body] of steps) {
    const res = await api.request('POST', `/api/v1/orders/${id}/${action}`, { token: caller.token, body });
    if (res.status !== 200) throw new Error(`${action}: ${res.text}`);
  }
  return id as number;
}

beforeAll(async () => {
  const m3 = await makeMaster(api.t.db, { name: '=HYPERLINK("http://evil")' });
  master3 = { principal: m3, token: await tokenFor(api.t.db, m3), masterId: m3.masterId };
  // master1: 10000 - 1000 = 9000 net, 50% + 10 review = 60% -> 5400.00 / 3600.00
  await finish('washing_machine', api.master, { total: '10000', materials: '1000', review: true });
  // master2: 3000 - 500 = 2500 net, 40% -> 1000.00 / 1500.00
  await finish('oven', api.master2, { total: '3000', materials: '500' });
  // master1: 8000.50 net, 50% + 10 out of city = 60% -> 4800.30 / 3200.20
  await finish('oven', api.master, { total: '8000.50', materials: '0', outOfCity: true });
  // master3: 100 net, 40% -> 40.00 / 60.00
  await finish('tv', master3, { total: '100', materials: '0' });
  // master2: completed, not closed
  await finish('tv', api.master2, { total: '999', materials: '0' }, false);
  const refused = await api.request('POST', '/api/v1/orders', {
    token: api.dispatcher.token,
    body: { equipment_type: 'plumbing', description: 'Leak', client_name: 'C', client_address: 'A', client_phone: '+79001234568' },
  });
  await api.request('POST', `/api/v1/orders/${refused.body.id}/refuse`, { token: api.dispatcher.token, body: { reason: 'Duplicate' } });
  await api.request('POST', '/api/v1/orders', {
    token: api.dispatcher.token,
    body: { equipment_type: 'plumbing', description: 'Tap', client_name: 'C', client_address: 'A', client_phone: '+79001234569' },
  });
  const now = Date.now();
  period = { from: new Date(now - 3_600_000).toISOString(), to: new Date(now + 3_600_000).toISOString() };
});

const q = (extra: Record<string, string> = {}) => `?${new URLSearchParams({ ...period, ...extra }).toString()}`;

describe('GET /reports/summary', () => {
  it('counts by status and equipment and sums the settled money exactly', async () => {
    // Action
    const res = await api.request('GET', `/api/v1/reports/summary${q()}`, { token: api.admin.token });

    // Assertions
    expect(res.status).toBe(200);
    const s = summarySchema.parse(res.body);
    expect(s.created).toEqual({
      total: 7,
      by_status: { NEW: 1, ASSIGNED: 0, ACCEPTED: 0, IN_PROGRESS: 0, LONG_REPAIR: 0, COMPLETED: 1, CLOSED: 4, REFUSED: 1 },
      by_equipment: { washing_machine: 1, oven: 2, tv: 2, plumbing: 2 },
    });
    expect(s.closed).toMatchObject({
      orders: 4,
      revenue: '21100.50',
      materials: '1500.00',
      net: '19600.50',
      master_share: '11240.30',
      company_share: '8360.20',
      // 21100.50 / 4 = 5275.125, half up
      average_check: '5275.13',
    });
    expect(s.closed.by_equipment.find((e) => e.equipment_type === 'oven')).toEqual({
      equipment_type: 'oven',
      orders: 2,
      revenue: '11000.50',
      materials: '500.00',
      net: '10500.50',
      master_share: '5800.30',
      company_share: '4700.20',
      average_check: '5500.25',
    });
  });

  it('is for admins and, while the setting allows it, dispatchers; validates the period', async () => {
    // Action
    const dispatcher = await api.request('GET', `/api/v1/reports/summary${q()}`, { token: api.dispatcher.token });
    await api.services.settings.set(api.admin.principal, 'dispatchersReadReports', false);
    const dispatcherOff = await api.request('GET', `/api/v1/reports/summary${q()}`, { token: api.dispatcher.token });
    await api.services.settings.set(api.admin.principal, 'dispatchersReadReports', true);
    const master = await api.request('GET', `/api/v1/reports/summary${q()}`, { token: api.master.token });
    const reversed = await api.request('GET', `/api/v1/reports/summary?from=2025-02-01&to=2025-01-01`, { token: api.admin.token });
    const tooLong = await api.request('GET', `/api/v1/reports/summary?from=2023-01-01&to=2025-01-01`, { token: api.admin.token });
    const missing = await api.request('GET', `/api/v1/reports/summary?to=2025-01-01`, { token: api.admin.token });

    // Assertions
    expect([dispatcher.status, dispatcherOff.status, master.status]).toEqual([200, 403, 403]);
    expect(reversed.body).toMatchObject({ status: 400, field: 'to' });
    expect(tooLong.body).toMatchObject({ status: 400, field: 'to' });
    expect(missing.body).toMatchObject({ status: 400, field: 'from' });
  });
});

describe('GET /reports/masters', () => {
  it('gives admins every master and a master only their own figures', async () => {
    // Action
    const all = await api.request('GET', `/api/v1/reports/masters${q()}`, { token: api.admin.token });
    const own = await api.request('GET', `/api/v1/reports/masters${q()}`, { token: api.master2.token });
    const foreign = await api.request('GET', `/api/v1/reports/masters${q({ master_id: String(api.master.masterId) })}`, { token: api.master2.token });

    // Assertions
    expect(all.status).toBe(200);
    const rows = all.body.items.map((r: unknown) => masterFiguresSchema.parse(r));
    expect(rows.find((r: { master_id: number }) => r.master_id === api.master.masterId)).toMatchObject({
      completed: 2,
      orders: 2,
      revenue: '18000.50',
      master_share: '10200.30',
      company_share: '6800.20',
    });
    expect(rows.find((r: { master_id: number }) => r.master_id === api.master2.masterId)).toMatchObject({ completed: 2, orders: 1, revenue: '3000.00' });
    expect(own.body.items.map((r: { master_id: number }) => r.master_id)).toEqual([api.master2.masterId]);
    expect(foreign.body).toMatchObject({ status: 403, field: 'master_id' });
  });
});

describe('GET /reports/masters: refusal fees', () => {
  it("adds each master's refusal fees, and lists a master whose only work was a refusal with a fee", async () => {
    // Setup: master1 and a new master each take an 800.00 fee on site (40% to the master); the period is taken afresh
    const m4 = await makeMaster(api.t.db, { name: 'Fee Only' });
    const master4 = { principal: m4, token: await tokenFor(api.t.db, m4), masterId: m4.masterId };
    for (const master of [api.master, master4]) {
      const created = await api.request('POST', '/api/v1/orders', {
        token: api.dispatcher.token,
        body: { equipment_type: 'tv', description: 'Refuses', client_name: 'C', client_address: 'A', client_phone: '+79001234570' },
      });
      const id = created.body.id;
      for (const [action, caller, body] of [
        ['assign', api.dispatcher, { master_id: master.masterId }],
        ['accept', master, undefined],
        ['arrive', master, undefined],
        ['client-refused', master, { reason: 'дорого', fee: '800.00' }],
      ] as Array<[string, Caller, unknown]>) {
        const res = await api.request('POST', `/api/v1/orders/${id}/${action}`, { token: caller.token, body });
        expect(res.status, action).toBe(200);
      }
    }
    const until = { ...period, to: new Date(Date.now() + 3_600_000).toISOString() };

    // Action
    const all = await api.request('GET', `/api/v1/reports/masters?${new URLSearchParams(until).toString()}`, { token: api.admin.token });
    const own = await api.request('GET', `/api/v1/reports/masters?${new URLSearchParams(until).toString()}`, { token: master4.token });

    // Assertions
    const rows = all.body.items.map((r: unknown) => masterFiguresSchema.parse(r));
    const byId = (id: number) => rows.find((r: { master_id: number }) => r.master_id === id);
    const fee = { orders: 1, fee: '800.00', master_share: '320.00', company_share: '480.00' };
    expect(byId(api.master.masterId)).toMatchObject({ orders: 2, master_share: '10200.30', refusal_fees: fee });
    expect(byId(master4.masterId)).toMatchObject({ master_name: 'Fee Only', completed: 0, orders: 0, revenue: '0.00', refusal_fees: fee });
    expect(byId(api.master2.masterId)).toMatchObject({ refusal_fees: { orders: 0, fee: '0.00', master_share: '0.00', company_share: '0.00' } });
    expect(own.body.items).toEqual([expect.objectContaining({ master_id: master4.masterId, refusal_fees: fee })]);
  });
});

describe('GET /reports/export', () => {
  it('streams CSV with a BOM, one row per closed order, formulas neutralized', async () => {
    // Action
    const res = await fetch(`${api.base}/api/v1/reports/export${q({ format: 'csv' })}`, { headers: { authorization: `Bearer ${api.admin.token}` } });
    const bytes = Buffer.from(await res.arrayBuffer());

    // Assertions
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('text/csv; charset=utf-8');
    expect(res.headers.get('content-disposition')).toMatch(/^attachment; filename="?closed-orders-\d{4}-\d{2}-\d{2}-\d{4}-\d{2}-\d{2}\.csv"?$/);
    expect(bytes.subarray(0, 3)).toEqual(Buffer.from([0xef, 0xbb, 0xbf]));
    const lines = bytes.subarray(3).toString('utf8').trim().split('\n');
    expect(lines[0]).toBe('order_id,closed_at,equipment_type,master_id,master_name,total_amount,materials_cost,master_share,company_share');
    expect(lines).toHaveLength(5);
    expect(lines.slice(1).map((l) => l.split(',').slice(5).join(','))).toEqual([
      '10000.00,1000.00,5400.00,3600.00',
      '3000.00,500.00,1000.00,1500.00',
      '8000.50,0.00,4800.30,3200.20',
      '100.00,0.00,40.00,60.00',
    ]);
    expect(lines[4]).toContain(`"'=HYPERLINK(""http://evil"")"`);
  });

  it('streams an XLSX workbook that reads back with the same rows, text never a formula', async () => {
    // Action
    const res = await fetch(`${api.base}/api/v1/reports/export${q({ format: 'xlsx' })}`, { headers: { authorization: `Bearer ${api.admin.token}` } });
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(Buffer.from(await res.arrayBuffer()) as never);

    // Assertions
    expect(res.headers.get('content-type')).toBe('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet');
    const sheet = workbook.worksheets[0]!;
    expect(sheet.rowCount).toBe(5);
    expect(sheet.getRow(1).values).toEqual([
      undefined,
      'order_id',
      'closed_at',
      'equipment_type',
      'master_id',
      'master_name',
      'total_amount',
      'materials_cost',
      'master_share',
      'company_share',
    ]);
    expect([2, 3, 4, 5].map((r) => sheet.getRow(r).getCell(6).value)).toEqual([10000, 3000, 8000.5, 100]);
    const evil = sheet.getRow(5).getCell(5);
    expect(evil.value).toBe('=HYPERLINK("http://evil")');
    expect(evil.type).toBe(ExcelJS.ValueType.String);
    expect(sheet.getRow(2).getCell(2).value).toBeInstanceOf(Date);
  });

  it('walks the period in keyset batches', async () => {
    // Action
    const batches = [];
    for await (const batch of api.services.reports.closedOrders(api.admin.principal, period, 3)) batches.push(batch.map((r) => r.id));

    // Assertions
    expect(batches.map((b) => b.length)).toEqual([3, 1]);
    expect(new Set(batches.flat()).size).toBe(4);
  });

  it('answers problems, not files, for bad requests', async () => {
    // Action
    const pdf = await api.request('GET', `/api/v1/reports/export${q({ format: 'pdf' })}`, { token: api.admin.token });
    const master = await api.request('GET', `/api/v1/reports/export${q({ format: 'csv' })}`, { token: api.master.token });
    const reversed = await api.request('GET', `/api/v1/reports/export?from=2025-02-01&to=2025-01-01&format=csv`, { token: api.admin.token });
    const empty = await api.request('GET', `/api/v1/reports/export?from=2001-01-01&to=2001-02-01&format=csv`, { token: api.admin.token });

    // Assertions
    expect(pdf.body).toMatchObject({ status: 400, field: 'format' });
    expect(master.status).toBe(403);
    expect(reversed.body).toMatchObject({ status: 400, field: 'to' });
    expect(empty.status).toBe(200);
    expect(empty.text.replace(/^\uFEFF/, '').trim()).toBe(
      'order_id,closed_at,equipment_type,master_id,master_name,total_amount,materials_cost,master_share,company_share',
    );
  });
});
