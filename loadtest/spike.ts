import type { Options } from 'k6/options';
import { summaryFor, thresholds, TREND_STATS } from './lib/report.ts';
import { ENDPOINTS, prepareWorkload, rampingMix } from './lib/workload.ts';

/**
 * A sudden burst: BASE requests/s (default 100) for a minute, up to SPIKE
 * (default 1000) within 10 s, held for HOLD (default 1m), back down, and a
 * minute to recover. Same thresholds as everywhere: the question is
 * whether the burst is absorbed without errors or latency over budget.
 */
const BASE = Number(__ENV.BASE || 100);
const SPIKE = Number(__ENV.SPIKE || 1000);
const HOLD = __ENV.HOLD || '1m';

export const options: Options = {
  scenarios: rampingMix(BASE, [
    { rps: BASE, duration: '1m' },
    { rps: SPIKE, duration: '10s' },
    { rps: SPIKE, duration: HOLD },
    { rps: BASE, duration: '10s' },
    { rps: BASE, duration: '1m' },
  ]),
  thresholds: thresholds(ENDPOINTS),
  summaryTrendStats: TREND_STATS,
};

export const setup = prepareWorkload;
export { orderFlow as orders, readMix as reads } from './lib/workload.ts';
export const handleSummary = summaryFor(`spike: ${BASE} -> ${SPIKE} -> ${BASE} requests/s (peak held ${HOLD})`);
