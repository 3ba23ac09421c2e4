import type { Options, Threshold } from 'k6/options';

/**
 * Thresholds and the end-of-run summary shared by every scenario.
 *
 * Global: p95 under P95_MS (default 100), failed requests under 0.1%,
 * checks over 99.9%, no dropped iterations. Per endpoint (a sub-metric per
 * `name` tag): the same p95 and error rate, plus p99 under P99_MS when set.
 * `abort` makes the overall latency, error-rate and dropped-iteration
 * thresholds stop a run that has clearly failed (after ABORT_DELAY, default
 * 30s) instead of finishing it.
 */
const P95 = Number(__ENV.P95_MS || 100);
const P99 = __ENV.P99_MS ? Number(__ENV.P99_MS) : undefined;
const ABORT_DELAY = __ENV.ABORT_DELAY || '30s';

export const TREND_STATS = ['avg', 'min', 'med', 'p(90)', 'p(95)', 'p(99)', 'max', 'count'];

function limit(expr: string, abort: boolean): Threshold {
  return abort ? { threshold: expr, abortOnFail: true, delayAbortEval: ABORT_DELAY } : expr;
}

export function thresholds(
  endpoints: readonly string[],
  opts: { abort?: boolean; dropped?: boolean; latency?: boolean } = {},
): NonNullable<Options['thresholds']> {
  const abort = opts.abort ?? false;
  // Closed-loop saturation runs (throughput) measure capacity: their latency is high by design, only errors count.
  const latency = (): Threshold[] => (opts.latency === false ? ['max>=0'] : [limit(`p(95)<${P95}`, abort), ...(P99 === undefined ? [] : [`p(99)<${P99}`])]);
  const t: NonNullable<Options['thresholds']> = {
    http_req_duration: latency(),
    http_req_failed: [limit('rate<0.001', abort)],
    checks: ['rate>0.999'],
  };
  if (opts.dropped ?? true) t.dropped_iterations = [limit('count<1', abort)];
  for (const name of endpoints) {
    // One slow endpoint fails the run but does not stop it: the overall figures decide when to give up.
    t[`http_req_duration{name:${name}}`] = latency().map((x) => (typeof x === 'string' ? x : x.threshold));
    t[`http_req_failed{name:${name}}`] = ['rate<0.001'];
  }
  return t;
}

interface MetricData {
  type: string;
  values: Record<string, number>;
  thresholds?: Record<string, { ok: boolean }>;
}
interface SummaryData {
  metrics: Record<string, MetricData>;
  state: { testRunDurationMs: number };
}

const fmt = (n: number | undefined, digits = 2) => (n === undefined || Number.isNaN(n) ? '-' : n.toFixed(digits));
const pad = (s: string, n: number) => (s.length >= n ? s : s + ' '.repeat(n - s.length));
const lpad = (s: string, n: number) => (s.length >= n ? s : ' '.repeat(n - s.length) + s);

/** Per-endpoint table (count, p50/p95/p99/max ms, error rate) and the run's totals. */
export function table(data: SummaryData): string {
  const m = data.metrics;
  const seconds = data.state.testRunDurationMs / 1000;
  const rows: string[] = [];
  const names = Object.keys(m)
    .filter((k) => k.startsWith('http_req_duration{name:'))
    .map((k) => k.slice('http_req_duration{name:'.length, -1))
    .sort();
  rows.push(
    `${pad('endpoint', 44)}${lpad('count', 9)}${lpad('rps', 9)}${lpad('p50', 9)}${lpad('p95', 9)}${lpad('p99', 9)}${lpad('max', 9)}${lpad('errors', 10)}`,
  );
  for (const name of names) {
    const d = m[`http_req_duration{name:${name}}`]!.values;
    const f = m[`http_req_failed{name:${name}}`]?.values;
    const count = d.count ?? 0;
    rows.push(
      `${pad(name, 44)}${lpad(String(count), 9)}${lpad(fmt(count / seconds, 1), 9)}${lpad(fmt(d.med), 9)}${lpad(fmt(d['p(95)']), 9)}${lpad(fmt(d['p(99)']), 9)}${lpad(fmt(d.max), 9)}${lpad(f ? `${fmt((f.rate ?? 0) * 100, 3)}%` : '-', 10)}`,
    );
  }
  const all = m.http_req_duration?.values;
  const failed = m.http_req_failed?.values;
  const reqs = m.http_reqs?.values;
  rows.push(
    `${pad('ALL', 44)}${lpad(String(reqs?.count ?? 0), 9)}${lpad(fmt(reqs?.rate, 1), 9)}${lpad(fmt(all?.med), 9)}${lpad(fmt(all?.['p(95)']), 9)}${lpad(fmt(all?.['p(99)']), 9)}${lpad(fmt(all?.max), 9)}${lpad(failed ? `${fmt((failed.rate ?? 0) * 100, 3)}%` : '-', 10)}`,
  );
  const checks = m.checks?.values;
  const dropped = m.dropped_iterations?.values.count ?? 0;
  const iterations = m.iterations?.values;
  rows.push('');
  rows.push(
    `duration ${fmt(seconds, 1)} s; iterations ${iterations?.count ?? 0} (${fmt(iterations?.rate, 2)}/s); dropped iterations ${dropped}; checks ${fmt((checks?.rate ?? 0) * 100, 3)}%`,
  );
  const failedThresholds = Object.entries(m).flatMap(([k, v]) =>
    Object.entries(v.thresholds ?? {})
      .filter(([, r]) => !r.ok)
      .map(([expr]) => `${k}: ${expr}`),
  );
  rows.push(failedThresholds.length === 0 ? 'thresholds: all passed' : `thresholds FAILED:\n  ${failedThresholds.join('\n  ')}`);
  return `${rows.join('\n')}\n`;
}

/** handleSummary for every scenario: the table on stdout, the full data as JSON in RESULTS_DIR. */
export function summaryFor(scenario: string) {
  return (data: SummaryData): Record<string, string> => {
    const out: Record<string, string> = { stdout: `\n== ${scenario}\n${table(data)}` };
    if (__ENV.RESULTS_DIR) out[`${__ENV.RESULTS_DIR}/summary.json`] = JSON.stringify(data, null, 2);
    return out;
  };
}
