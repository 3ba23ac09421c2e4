import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningService } from '../../src/app-runtime.ts';
import { insertOrder } from '../../src/orders/orders.sql.ts';
import type { Principal } from '../../src/users/principal.ts';
import { issueToken } from '../../src/users/tokens.ts';
import { useTestDatabase } from '../support/db.ts';
import { makeMaster, makeUser, orderInput } from '../support/fixtures.ts';
import { parseExposition } from '../telemetry/exposition.ts';
import { startServiceOn } from '../telemetry/support.ts';

// The rollups already in the service's report zone: its start leaves them as they are.
const t = useTestDatabase({ rollupZone: 'Europe/Moscow' });
const WARM_UP_REQUESTS = 60;

/** Every row a request could write, as one digest per table, and the order numbers' sequence. */
const SNAPSHOT = `
SELECT (SELECT md5(coalesce(string_agg(x::text, '|' ORDER BY x.id), '')) FROM orders x) AS orders,
       (SELECT md5(coalesce(string_agg(x::text, '|' ORDER BY x.id), '')) FROM order_status_history x) AS history,
       (SELECT md5(coalesce(string_agg(x::text, '|' ORDER BY x.id), '')) FROM audit_log x) AS audit,
       (SELECT md5(coalesce(string_agg(x::text, '|' ORDER BY x::text), '')) FROM idempotency_keys x) AS idempotency,
       (SELECT md5(coalesce(string_agg(x::text, '|' ORDER BY x::text), '')) FROM report_created_daily x) AS created_rollup,
       (SELECT md5(coalesce(string_agg(x::text, '|' ORDER BY x.id), '')) FROM api_tokens x) AS tokens,
       (SELECT last_value FROM orders_id_seq) AS order_numbers`;

let admin: Principal;
let service: RunningService;
let lines: Array<Record<string, unknown>>;
let before: Record<string, unknown>;
let base: string;

beforeAll(async () => {
  // Setup: an admin, a master and orders for the warm-up to read, then the whole service started on them
  admin = await makeUser(t.db, ['ADMIN'], 'Admin');
  await makeMaster(t.db);
  for (const name of ['Ivan Petrov', 'Olga Sidorova', 'Pavel Orlov']) await insertOrder(t.db, orderInput({ client_name: name }), admin.userId);
  before = (await t.db.pool.query(SNAPSHOT)).rows[0] as Record<string, unknown>;
  // PG_POOL_MIN=0: no database warm-up, so any query sample after the start could only come from the requests.
  ({ service, lines, base } = await startServiceOn(t.url, {
    PG_POOL_MIN: '0',
    // Below the warm-up's count: its loopback requests must not spend the budget of loopback clients (a local proxy's).
    RATE_LIMIT_PER_MINUTE: String(WARM_UP_REQUESTS / 2),
    REPORT_TIMEZONE: 'Europe/Moscow',
    WARM_UP_REQUESTS: String(WARM_UP_REQUESTS),
  }));
});

afterAll(async () => {
  await service?.stop();
});

async function scrape(): Promise<ReturnType<typeof parseExposition>> {
  return parseExposition(await (await fetch(`${base}/metrics`)).text(), 'prometheus');
}

describe('the request warm-up at start', () => {
  it('sends the hot requests before listening, as the admin and a master, and answers them as the API does', () => {
    // Assertions
    const warmed = lines.find((l) => l.msg === 'request path warmed');
    const listening = lines.findIndex((l) => l.msg === 'repair-bot listening');
    expect(warmed).toMatchObject({ requests: WARM_UP_REQUESTS });
    const statuses = warmed!.statuses as Record<string, number>;
    // Reads answered, the refused writes refused (a create without its fields, actions on an order that cannot exist).
    expect(statuses['200']).toBeGreaterThan(WARM_UP_REQUESTS / 2);
    expect(statuses['404']).toBeGreaterThan(0);
    expect(statuses['400']).toBeGreaterThan(0);
    expect(Object.keys(statuses).filter((s) => Number(s) >= 500)).toEqual([]);
    expect(Object.values(statuses).reduce((a, b) => a + b, 0)).toBe(WARM_UP_REQUESTS);
    expect(listening).toBe(-1);
  });

  it('writes nothing: no order, history, audit, idempotency, rollup or token row, no order number drawn', async () => {
    // Assertions
    expect((await t.db.pool.query(SNAPSHOT)).rows[0]).toEqual(before);
  });

  it('is no traffic: no request or query sample, no request or slow-query line', async () => {
    // Action: what a scrape shows right after the start
    const families = await scrape();

    // Assertions
    expect(families.get('http_server_request_duration_seconds')?.samples ?? []).toEqual([]);
    const queries = new Set(families.get('db_client_operation_duration_seconds')?.samples.map((s) => s.labels.db_query_name));
    expect([...queries].filter((n) => n?.startsWith('orders.') || n?.startsWith('reports.') || n?.startsWith('masters.'))).toEqual([]);
    expect(lines.filter((l) => l.msg === 'request' || l.msg === 'slow query')).toEqual([]);
  });

  it('leaves no way in: after it, a request without a token is refused and one with a token is measured', async () => {
    // Setup
    const { token } = await issueToken(t.db, admin.userId, 'test', null);

    // Action
    const anonymous = await fetch(`${base}/api/v1/orders?status=NEW&limit=20`);
    const real = await fetch(`${base}/api/v1/orders?status=NEW&limit=20`, { headers: { authorization: `Bearer ${token}` } });
    const families = await scrape();

    // Assertions
    expect(anonymous.status).toBe(401);
    expect(real.status).toBe(200);
    const routes = families
      .get('http_server_request_duration_seconds')
      ?.samples.filter((s) => s.labels.http_route !== '/metrics')
      .map((s) => `${s.labels.http_route} ${s.labels.http_response_status_code}`);
    expect(new Set(routes)).toEqual(new Set(['/api/v1/orders 401', '/api/v1/orders 200']));
  });
});
