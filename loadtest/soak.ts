import type { Options } from 'k6/options';
import { summaryFor, thresholds, TREND_STATS } from './lib/report.ts';
import { constantMix, ENDPOINTS, prepareWorkload, split } from './lib/workload.ts';

/**
 * The mixed lifecycle load held for a long time: RATE requests/s (default
 * 300) for DURATION (default 30m). Looks for what only time shows: leaks,
 * pool exhaustion, growing latency as tables and indexes grow. Aborts early
 * when a threshold has clearly failed.
 */
const RATE = Number(__ENV.RATE || 300);
const DURATION = __ENV.DURATION || '30m';
const { flows } = split(RATE);

export const options: Options = {
  scenarios: constantMix(RATE, DURATION),
  thresholds: thresholds(ENDPOINTS, { abort: true }),
  summaryTrendStats: TREND_STATS,
};

export const setup = prepareWorkload;
export { orderFlow as orders, readMix as reads } from './lib/workload.ts';
export const handleSummary = summaryFor(`soak at ${RATE} requests/s (${flows * 86_400} orders/day) for ${DURATION}`);
