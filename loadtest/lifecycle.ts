import type { Options } from 'k6/options';
import { summaryFor, thresholds, TREND_STATS } from './lib/report.ts';
import { constantMix, ENDPOINTS, prepareWorkload, split } from './lib/workload.ts';

/**
 * The mixed load at a constant arrival rate: RATE requests/s in total
 * (default 500), 35% of them in order flows (created by a dispatcher,
 * assigned, accepted, arrived and completed by the assigned master, closed
 * by the dispatcher), the rest reads. DURATION (default 2m).
 */
const RATE = Number(__ENV.RATE || 500);
const DURATION = __ENV.DURATION || '2m';
const { flows, reads } = split(RATE);

export const options: Options = {
  scenarios: constantMix(RATE, DURATION),
  thresholds: thresholds(ENDPOINTS, { abort: __ENV.ABORT === 'true' }),
  summaryTrendStats: TREND_STATS,
};

export const setup = prepareWorkload;
export { orderFlow as orders, readMix as reads } from './lib/workload.ts';
export const handleSummary = summaryFor(
  `lifecycle at ${RATE} requests/s (${flows} order flows/s = ${flows * 86_400} orders/day, ${reads} reads/s) for ${DURATION}`,
);
