import { check } from 'k6';
import http from 'k6/http';
import type { Options } from 'k6/options';
import { BASE_URL } from './lib/http.ts';
import { summaryFor, thresholds, TREND_STATS } from './lib/report.ts';
import { ENDPOINTS, orderFlow, prepareWorkload, readEach, type WorkloadData } from './lib/workload.ts';

/**
 * A quick end-to-end check (CI runs it): health, then a few order flows and
 * reads of every kind by one VU. Any failed threshold fails the run.
 */
export const options: Options = {
  scenarios: { smoke: { executor: 'shared-iterations', vus: 1, iterations: Number(__ENV.ITERATIONS || 40), maxDuration: '2m' } },
  thresholds: thresholds([...ENDPOINTS, 'GET /readyz'], { dropped: false }),
  summaryTrendStats: TREND_STATS,
};

export const setup = prepareWorkload;

export default function (data: WorkloadData): void {
  const ready = http.get(`${BASE_URL}/readyz`, { tags: { name: 'GET /readyz' } });
  check(ready, { 'GET /readyz answers 200': (r) => r.status === 200 });
  orderFlow(data);
  readEach(data);
}

export const handleSummary = summaryFor('smoke');
