import { fail } from 'k6';
import type { Options } from 'k6/options';
import { resolveFixture, type Fixture } from './lib/fixture.ts';
import { call, json, pick } from './lib/http.ts';
import { summaryFor, thresholds, TREND_STATS } from './lib/report.ts';

/**
 * The two list pages whose cost must not grow with the table: the 20
 * newest orders of any status, and a page of 20 deep in the CLOSED list
 * (the harness computes the cursor half-way down; without one, setup walks
 * DEPTH pages of 100 to get there). RATE requests/s (default 50) for
 * DURATION (default 1m) each, one after the other so neither slows the
 * other, after WARMUP requests of each kind (default 50, not measured).
 * Run it on 1,000 and on 1,000,000 orders and compare.
 */
const RATE = Number(__ENV.RATE || 50);
const DURATION = __ENV.DURATION || '1m';
const NEWEST = 'GET /orders (20 newest)';
const DEEP = 'GET /orders?status=CLOSED (deep page)';

const constant = (exec: string, startTime: string) => ({
  executor: 'constant-arrival-rate' as const,
  exec,
  startTime,
  rate: RATE,
  timeUnit: '1s',
  duration: DURATION,
  preAllocatedVUs: 10,
  maxVUs: 100,
});

export const options: Options = {
  scenarios: { newest: constant('newest', '0s'), deep: constant('deep', DURATION) },
  thresholds: thresholds([NEWEST, DEEP]),
  summaryTrendStats: TREND_STATS,
};

interface Data {
  fixture: Fixture;
  cursor: string;
}

export function setup(): Data {
  const fixture = resolveFixture();
  let cursor = fixture.deepCursor;
  for (let i = 0; !cursor && i < Number(__ENV.DEPTH || 50); i++) {
    const page = json<{ next_cursor: string | null }>(
      call('GET /orders', `/orders?status=CLOSED&limit=100${cursor ? `&cursor=${cursor}` : ''}`, { token: fixture.admin.token }),
    );
    if (!page?.next_cursor) break;
    cursor = page.next_cursor;
  }
  if (!cursor) fail('no CLOSED orders to page through: seed the database (npm run loadtest -- pages --seed 1000)');
  const token = fixture.dispatchers[0]!.token;
  for (let i = 0; i < Number(__ENV.WARMUP ?? 50); i++) {
    call('GET /orders', '/orders?limit=20', { token, tags: { name: 'warm-up' } });
    call('GET /orders', `/orders?status=CLOSED&limit=20&cursor=${cursor}`, { token, tags: { name: 'warm-up' } });
  }
  return { fixture, cursor };
}

export function newest(data: Data): void {
  call(NEWEST, '/orders?limit=20', { token: pick(data.fixture.dispatchers).token });
}

export function deep(data: Data): void {
  call(DEEP, `/orders?status=CLOSED&limit=20&cursor=${data.cursor}`, { token: pick(data.fixture.dispatchers).token });
}

export const handleSummary = summaryFor(`pages: 20 newest, then a deep CLOSED page, ${RATE}/s for ${DURATION} each`);
