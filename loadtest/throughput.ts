import type { Options } from 'k6/options';
import { summaryFor, thresholds, TREND_STATS } from './lib/report.ts';
import { ENDPOINTS, FLOW_REQUESTS, FLOW_SHARE, orderFlow, prepareWorkload, readMix, type WorkloadData } from './lib/workload.ts';

/**
 * Capacity: VUS (default 16) closed-loop users send the mixed lifecycle
 * load as fast as the service answers, for DURATION (default 1m). The
 * figure is requests/s; `npm run loadtest -- throughput --instrumentation both`
 * alternates traces+metrics on and off in one run to price them.
 * Latency is high by design here, so only errors and checks are thresholds.
 */
const VUS = Number(__ENV.VUS || 16);
const DURATION = __ENV.DURATION || '1m';
// Chance that an iteration is an order flow, so that flows carry FLOW_SHARE of the requests.
const FLOW_CHANCE = FLOW_SHARE / FLOW_REQUESTS / (FLOW_SHARE / FLOW_REQUESTS + (1 - FLOW_SHARE));

export const options: Options = {
  scenarios: { throughput: { executor: 'constant-vus', vus: VUS, duration: DURATION } },
  thresholds: thresholds(ENDPOINTS, { dropped: false, latency: false }),
  summaryTrendStats: TREND_STATS,
};

export const setup = prepareWorkload;

export default function (data: WorkloadData): void {
  if (Math.random() < FLOW_CHANCE) orderFlow(data);
  else readMix(data);
}

export const handleSummary = summaryFor(`throughput: ${VUS} closed-loop VUs for ${DURATION}`);
