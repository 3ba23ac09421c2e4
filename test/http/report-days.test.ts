import { beforeAll, describe, expect, it } from 'vitest';
import { summarySchema } from '../../src/reports/reports-routes.ts';
import { useApi } from './support.ts';

/**
 * A date-only period bound is the business's day (REPORT_TIMEZONE, here
 * Berlin), as the bot counts days: "from=2026-10-25" over HTTP and the bot's
 * report of 25 October are the same orders.
 */
const api = useApi({ config: { reports: { timeZone: 'Europe/Berlin', hour: 9 } } });

/** Berlin's 25 October 2026 is 25 hours long (summer time ends at 03:00). */
const EARLY = '2026-10-24T22:30:00Z'; // 00:30 summer time on the 25th: UTC's 24th
const LATE = '2026-10-25T23:30:00Z'; // 00:30 winter time on the 26th: UTC's 25th

/** A new order created at `at` (inserted as history would be: the triggers keep the rollups). */
async function orderCreatedAt(at: string): Promise<void> {
  await api.t.db.pool.query(
    `INSERT INTO orders (status, equipment_type, description, client_name, client_address, client_phone, created_at)
     VALUES ('NEW', 'oven', 'Report day', 'Client', 'Street 1', '+79001112233', $1::timestamptz)`,
    [at],
  );
}

const summary = async (from: string, to: string) => {
  const res = await api.request('GET', `/api/v1/reports/summary?${new URLSearchParams({ from, to }).toString()}`, { token: api.admin.token });
  expect(res.status).toBe(200);
  return summarySchema.parse(res.body);
};

beforeAll(async () => {
  await orderCreatedAt(EARLY);
  await orderCreatedAt(LATE);
});

describe('date-only report periods', () => {
  it("begin at the business zone's midnight and say so with its offset", async () => {
    // Action
    const day = await summary('2026-10-25', '2026-10-26');

    // Assertions: the order of 00:30 on the 25th is in; that of 00:30 on the 26th is not.
    expect([day.from, day.to]).toEqual(['2026-10-25T00:00:00+02:00', '2026-10-26T00:00:00+01:00']);
    expect(day.created.total).toBe(1);
    expect((await summary('2026-10-26', '2026-10-27')).created.total).toBe(1);
    expect((await summary('2026-10-24', '2026-10-25')).created.total).toBe(0);
  });

  it('are the same as the explicit local midnights, while UTC days stay available as timestamps', async () => {
    const local = await summary('2026-10-25T00:00:00+02:00', '2026-10-26T00:00:00+01:00');
    const utcDay = await summary('2026-10-25T00:00:00Z', '2026-10-26T00:00:00Z');

    expect(local.created.total).toBe(1);
    expect(utcDay.created.total).toBe(1);
    expect((await summary('2026-10-24T00:00:00Z', '2026-10-25T00:00:00Z')).created.total).toBe(1);
  });

  it('are described so in the OpenAPI document', async () => {
    const res = await api.request('GET', '/openapi.json');

    const params = (
      res.body.paths['/api/v1/reports/summary'].get.parameters as Array<{ name: string; description?: string; schema?: { description?: string } }>
    ).filter((p) => p.name === 'from');
    expect(JSON.stringify(params)).toContain('its midnight in Europe/Berlin');
  });
});
