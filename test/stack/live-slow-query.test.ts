import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningService } from '../../src/app-runtime.ts';
import { useTestDatabase } from '../support/db.ts';
import { startPrometheus, type PrometheusServer } from './support/prometheus-server.ts';
import { runSlowQuery, startLiveService } from './support/live-service.ts';

/**
 * Queries forced over the 100 ms threshold, through the running service's
 * own database layer, make the stack's SlowQueries alert (unchanged rules)
 * go pending in the real Prometheus within a bounded time.
 */
const t = useTestDatabase();
let service: RunningService;
let prom: PrometheusServer;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const QUERY = 'stack_test.sleep_over_threshold';

interface ActiveAlert {
  labels: Record<string, string>;
  state: 'pending' | 'firing';
}

async function slowQueryAlerts(): Promise<ActiveAlert[]> {
  const res = await prom.get<{ alerts: ActiveAlert[] }>('/api/v1/alerts');
  return res.data.alerts.filter((a) => a.labels.alertname === 'SlowQueries');
}

beforeAll(async () => {
  service = await startLiveService(t.url);
  prom = await startPrometheus({ 'repair-bot': `127.0.0.1:${service.http.port}` });
  const deadline = Date.now() + 15_000;
  while (Date.now() < deadline) {
    const up = await prom.query('up{job="repair-bot"}');
    if (up.data.result[0]?.value?.[1] === '1') break;
    await sleep(250);
  }
});

afterAll(async () => {
  await prom?.stop();
  await service?.stop();
});

describe('SlowQueries in a real Prometheus', () => {
  it('goes pending within 30 s of queries running over 100 ms, for the query that was slow', async () => {
    // Setup: traffic that is not slow does not raise it.
    await sleep(2500);
    expect(await slowQueryAlerts()).toEqual([]);

    // Action: two slow queries per scrape interval for about 4 seconds.
    const started = Date.now();
    for (let i = 0; i < 4; i++) {
      await runSlowQuery(service.db, 0.15);
      await runSlowQuery(service.db, 0.15);
      await sleep(700);
    }
    let alerts: ActiveAlert[] = [];
    while (Date.now() - started < 30_000) {
      alerts = await slowQueryAlerts();
      if (alerts.length > 0) break;
      await sleep(500);
    }
    const seconds = (Date.now() - started) / 1000;

    // Assertions
    expect(alerts.map((a) => ({ query: a.labels.db_query_name, job: a.labels.job, severity: a.labels.severity }))).toEqual([
      { query: QUERY, job: 'repair-bot', severity: 'warning' },
    ]);
    expect(['pending', 'firing']).toContain(alerts[0]?.state);
    expect(seconds).toBeLessThan(30);
    // Every one of the 8 was counted (the last ones reach Prometheus with the next scrape).
    let counted = 0;
    for (const until = Date.now() + 10_000; counted < 8 && Date.now() < until; await sleep(250)) {
      counted = Number((await prom.query(`db_slow_queries_total{db_query_name="${QUERY}"}`)).data.result[0]?.value?.[1] ?? 0);
    }
    expect(counted).toBe(8);
  });
});
