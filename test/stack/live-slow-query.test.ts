import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningService } from '../../src/app-runtime.ts';
import { useTestDatabase } from '../support/db.ts';
import { eventually } from '../support/eventually.ts';
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
  await eventually(async () => expect((await prom.query('up{job="repair-bot"}')).data.result[0]?.value?.[1]).toBe('1'), {
    timeout: 15_000,
    interval: 250,
    what: 'Prometheus to scrape the service',
  });
});

afterAll(async () => {
  await prom?.stop();
  await service?.stop();
});

describe('SlowQueries in a real Prometheus', () => {
  it('goes pending within 30 s of queries running over 100 ms, for the query that was slow', async () => {
    // Setup: traffic that is not slow does not raise it.
    await prom.nextScrape('repair-bot');
    await prom.nextScrape('repair-bot');
    expect(await slowQueryAlerts()).toEqual([]);

    // Action: two slow queries per scrape interval for about 4 seconds.
    const started = Date.now();
    for (let i = 0; i < 4; i++) {
      await runSlowQuery(service.db, 0.15);
      await runSlowQuery(service.db, 0.15);
      await prom.nextScrape('repair-bot');
    }
    const alerts = await eventually(
      async () => {
        const active = await slowQueryAlerts();
        expect(active.length).toBeGreaterThan(0);
        return active;
      },
      { timeout: 30_000 - (Date.now() - started), interval: 500, what: 'the SlowQueries alert' },
    );
    const seconds = (Date.now() - started) / 1000;

    // Assertions
    expect(alerts.map((a) => ({ query: a.labels.db_query_name, job: a.labels.job, severity: a.labels.severity }))).toEqual([
      { query: QUERY, job: 'repair-bot', severity: 'warning' },
    ]);
    expect(['pending', 'firing']).toContain(alerts[0]?.state);
    expect(seconds).toBeLessThan(30);
    // Every one of the 8 was counted (the last ones reach Prometheus with the next scrape).
    await eventually(
      async () => expect(Number((await prom.query(`db_slow_queries_total{db_query_name="${QUERY}"}`)).data.result[0]?.value?.[1] ?? 0)).toBe(8),
      { timeout: 10_000, interval: 250, what: 'all 8 slow queries counted' },
    );
  });
});
