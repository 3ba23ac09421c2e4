import type { Options } from 'k6/options';
import { summaryFor, table, thresholds, TREND_STATS } from './lib/report.ts';
import { ENDPOINTS, prepareWorkload, rampingMix } from './lib/workload.ts';

/**
 * Ramp the mixed lifecycle load from START (default 100) to PEAK (default
 * 3000) requests/s over RAMP (default 5m) until it breaks: the p95,
 * error-rate and dropped-iteration thresholds abort the run once they fail
 * (after ABORT_DELAY, default 30s), and the summary names the rate reached.
 * The highest *sustained* rate is then confirmed with constant lifecycle runs.
 */
const START = Number(__ENV.START || 100);
const PEAK = Number(__ENV.PEAK || 3000);
const RAMP = __ENV.RAMP || '5m';

export const options: Options = {
  scenarios: rampingMix(START, [{ rps: PEAK, duration: RAMP }]),
  thresholds: thresholds(ENDPOINTS, { abort: true }),
  summaryTrendStats: TREND_STATS,
};

export const setup = prepareWorkload;
export { orderFlow as orders, readMix as reads } from './lib/workload.ts';

const seconds = (d: string) => Number(/^(\d+)s$/.exec(d)?.[1] ?? 0) || Number(/^(\d+)m$/.exec(d)?.[1] ?? 0) * 60;
const summary = summaryFor(`stress: ${START} -> ${PEAK} requests/s over ${RAMP}`);
export function handleSummary(data: Parameters<typeof table>[0]): Record<string, string> {
  const out = summary(data);
  const elapsed = Math.min(data.state.testRunDurationMs / 1000, seconds(RAMP));
  const reached = Math.round(START + ((PEAK - START) * elapsed) / seconds(RAMP));
  out.stdout += `target rate when the run ended: about ${reached} requests/s (${elapsed.toFixed(0)} s into the ramp)\n`;
  return out;
}
