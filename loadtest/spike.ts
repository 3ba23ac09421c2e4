import type { Options } from 'k6/options';
import { summaryFor, thresholds, TREND_STATS } from './lib/report.ts';
import { ENDPOINTS, prepareWorkload, split } from './lib/workload.ts';

/**
 * A sudden burst: BASE requests/s (default 100) for a minute, up to SPIKE
 * (default 1000) within 10 s, held for HOLD (default 1m), back down, and a
 * minute to recover. Same thresholds as everywhere: the question is
 * whether the burst is absorbed without errors or latency over budget.
 */
const BASE = Number(__ENV.BASE || 100);
const SPIKE = Number(__ENV.SPIKE || 1000);
const HOLD = __ENV.HOLD || '1m';
const low = split(BASE);
const high = split(SPIKE);

const shape = (exec: string, base: number, peak: number, vus: number) => ({
  executor: 'ramping-arrival-rate' as const,
  exec,
  startRate: base,
  timeUnit: '1s',
  preAllocatedVUs: vus,
  maxVUs: vus * 10,
  stages: [
    { target: base, duration: '1m' },
    { target: peak, duration: '10s' },
    { target: peak, duration: HOLD },
    { target: base, duration: '10s' },
    { target: base, duration: '1m' },
  ],
});

export const options: Options = {
  scenarios: { orders: shape('orders', low.flows, high.flows, 20), reads: shape('reads', low.reads, high.reads, 40) },
  thresholds: thresholds(ENDPOINTS),
  summaryTrendStats: TREND_STATS,
};

export const setup = prepareWorkload;
export { orderFlow as orders, readMix as reads } from './lib/workload.ts';
export const handleSummary = summaryFor(`spike: ${BASE} -> ${SPIKE} -> ${BASE} requests/s (peak held ${HOLD})`);
