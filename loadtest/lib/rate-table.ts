/**
 * The summary of a rising-rate run: per offered rate (its hold only) the
 * updates answered per second, p50/p95/p99, errors and whether p95 stayed
 * under P95_MS (default 100), then the highest such rate; per instance
 * when there are several.
 */
const P95 = Number(__ENV.P95_MS || 100);

interface Metric {
  values: Record<string, number>;
}
export interface RateSummary {
  metrics: Record<string, Metric>;
  state: { testRunDurationMs: number };
}

const fmt = (n: number | undefined, digits = 2) => (n === undefined || Number.isNaN(n) ? '-' : n.toFixed(digits));
const cells = (xs: string[], widths: number[]) => xs.map((x, i) => (i === 0 ? x.padEnd(widths[i]!) : x.padStart(widths[i]!))).join('');

export function rateTable(data: RateSummary, rates: number[], holdSeconds: number, instances: number): string {
  const m = data.metrics;
  const widths = [12, 10, 10, 9, 9, 9, 9, 9, 6];
  const rows = [cells(['offered/s', 'served/s', 'answered', 'p50', 'p95', 'p99', 'max', 'errors', 'ok'], widths)];
  let best: number | null = null;
  let failedBelow = false;
  for (const r of rates) {
    const d = m[`http_req_duration{rate:${r}}`]?.values;
    const failed = m[`http_req_failed{rate:${r}}`]?.values;
    const count = d?.count ?? 0;
    const served = count / holdSeconds;
    // Within the target: p95 under the limit, under 0.1% errors, and (near enough) every offered update sent.
    const ok = d !== undefined && (d['p(95)'] ?? Infinity) < P95 && (failed?.rate ?? 0) < 0.001 && served >= r * 0.98;
    if (ok && !failedBelow) best = r;
    if (!ok) failedBelow = true;
    const errors = failed ? `${fmt((failed.rate ?? 0) * 100, 2)}%` : '-';
    rows.push(
      cells([String(r), fmt(served, 1), String(count), fmt(d?.med), fmt(d?.['p(95)']), fmt(d?.['p(99)']), fmt(d?.max), errors, ok ? 'yes' : 'NO'], widths),
    );
  }
  rows.push('');
  rows.push(best === null ? `no offered rate held p95 < ${P95} ms` : `highest offered rate with p95 < ${P95} ms (and every lower one): ${best} updates/s`);
  if (instances > 1) {
    for (let i = 1; i <= instances; i++) {
      const d = m[`http_req_duration{instance:${i}}`]?.values;
      rows.push(`instance ${i}: ${d?.count ?? 0} updates, p50 ${fmt(d?.med)} p95 ${fmt(d?.['p(95)'])} p99 ${fmt(d?.['p(99)'])} ms (whole run)`);
    }
  }
  const dropped = m.dropped_iterations?.values.count ?? 0;
  rows.push(`dropped iterations ${dropped}; checks ${fmt((m.checks?.values.rate ?? 0) * 100, 3)}%; run ${fmt(data.state.testRunDurationMs / 1000, 1)} s`);
  return `${rows.join('\n')}\n`;
}
