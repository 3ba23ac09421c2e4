import { describe, expect, it } from 'vitest';
import { periodChartData } from '../../src/reports/chart-data.ts';
import { periodChartSvg } from '../../src/reports/charts.ts';
import { localParts } from '../../src/scheduler/periods.ts';
import { useApi, type Api } from '../http/support.ts';
import { makeMaster } from '../support/fixtures.ts';
import { orderDriver } from '../support/money.ts';

const api: Api = useApi();

/** Width and height from a PNG's IHDR chunk. */
function pngSize(png: Buffer | null): { width: number; height: number } {
  if (!png) throw new Error('no PNG: the renderer is missing');
  expect(png.subarray(0, 8)).toEqual(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]));
  return { width: png.readUInt32BE(16), height: png.readUInt32BE(20) };
}

describe('period chart', () => {
  it('draws orders and revenue by day and masters shares, as SVG and as a PNG', async () => {
    // Setup
    const drive = orderDriver(api.t.db, api.admin.principal);
    await drive.completed(api.master.principal, { equipment: 'washing_machine', total: '10000.00', materials: '0.00' });
    await drive.completed(api.master2.principal, { equipment: 'tv', total: '3000.00', materials: '0.00' });
    const period = { from: new Date(Date.now() - 3 * 86_400_000).toISOString(), to: new Date(Date.now() + 86_400_000).toISOString() };
    // Action
    const empty = await api.services.workbooks.chart(api.admin.principal, { from: '2020-01-01T00:00:00Z', to: '2020-01-08T00:00:00Z' });
    const png = await api.services.workbooks.chart(api.admin.principal, period);
    const svg = periodChartSvg(
      {
        days: ['2026-12-01', '2026-12-02'],
        byDay: [{ day: '2026-12-02', orders: 2, revenue: '13000.00' }],
        masters: [{ name: 'Master One', share: '5000.00' }],
      },
      'ru',
    );
    const denied = api.services.workbooks.chart(api.master.principal, period);
    // Assertions
    expect(pngSize(png)).toEqual({ width: 900, height: 640 });
    expect(pngSize(empty)).toEqual({ width: 900, height: 640 });
    expect(png!.equals(empty!)).toBe(false);
    for (const text of ['Заказов / Выручка', 'Доли мастеров', 'Master One', '01.12', '02.12', '5000']) expect(svg, text).toContain(text);
    await expect(denied).rejects.toMatchObject({ name: expect.stringMatching(/Forbidden/) });
  });

  it("counts refusal fees in the day's revenue and in the master's share", async () => {
    // Setup: a master completes 10 000 (50% by the default rule) and takes a 1 000 fee on a refusal (40% by the fee rule)
    const now = Date.now();
    const period = { from: new Date(now - 3_600_000).toISOString(), to: new Date(now + 3_600_000).toISOString() };
    const today = localParts(new Date(now), 'Europe/Moscow').date;
    const dayOf = (d: Awaited<ReturnType<typeof periodChartData>>) => d.byDay.find((x) => x.day === today) ?? { orders: 0, revenue: '0' };
    const before = dayOf(await periodChartData(api.t.db, period, 'Europe/Moscow'));
    const drive = orderDriver(api.t.db, api.admin.principal);
    const master = await makeMaster(api.t.db, { name: 'Фёдор' });
    await drive.completed(master, { equipment: 'washing_machine', total: '10000.00', materials: '0.00' });
    const onSite = await drive.started(master, 'washing_machine');
    await drive.workflow.act(master, onSite, 'client_refused', { reason: 'Дорого', fee: '1000.00' });
    // Action
    const data = await periodChartData(api.t.db, period, 'Europe/Moscow');
    // Assertions: one more order, its revenue and the fee; his share is 5 000 + 400
    const after = dayOf(data);
    expect({ orders: after.orders - before.orders, revenue: Number(after.revenue) - Number(before.revenue) }).toEqual({ orders: 1, revenue: 11000 });
    expect(data.masters.find((m) => m.name === 'Фёдор')).toEqual({ name: 'Фёдор', share: '5400.00' });
  });

  it('gives two masters of the same name a bar each, told apart by their ids', async () => {
    // Setup: two masters both named Семён each complete 10 000 (50% by the default rule)
    const now = Date.now();
    const period = { from: new Date(now - 3_600_000).toISOString(), to: new Date(now + 3_600_000).toISOString() };
    const drive = orderDriver(api.t.db, api.admin.principal);
    const first = await makeMaster(api.t.db, { name: 'Семён' });
    const second = await makeMaster(api.t.db, { name: 'Семён' });
    await drive.completed(first, { equipment: 'washing_machine', total: '10000.00', materials: '0.00' });
    await drive.completed(second, { equipment: 'washing_machine', total: '10000.00', materials: '0.00' });
    // Action
    const data = await periodChartData(api.t.db, period, 'Europe/Moscow');
    // Assertions: two bars, not one of 10 000
    const bars = data.masters.filter((m) => m.name.startsWith('Семён'));
    expect(bars).toEqual(
      expect.arrayContaining([
        { name: `Семён (#${first.masterId})`, share: '5000.00' },
        { name: `Семён (#${second.masterId})`, share: '5000.00' },
      ]),
    );
    expect(bars).toHaveLength(2);
  });
});
