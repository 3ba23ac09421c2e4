// Prints a run's per-endpoint figures as a Markdown table (for BENCHMARKS.md):
//   node scripts/loadtest/figures.ts loadtest/results/<run>[/<round>]
import { readFileSync } from 'node:fs';
import path from 'node:path';

interface Metric {
  values: Record<string, number>;
}
const dir = process.argv[2];
if (!dir) throw new Error('usage: node scripts/loadtest/figures.ts RESULTS_DIR');
const data = JSON.parse(readFileSync(path.join(dir, 'summary.json'), 'utf8')) as { metrics: Record<string, Metric>; state: { testRunDurationMs: number } };
const m = data.metrics;
const seconds = data.state.testRunDurationMs / 1000;
const ms = (n: number | undefined) => (n === undefined ? '-' : n.toFixed(2));
const rows = ['| endpoint | requests | req/s | p50 ms | p95 ms | p99 ms | max ms | errors |', '|---|---:|---:|---:|---:|---:|---:|---:|'];
const line = (name: string, d: Record<string, number> | undefined, failed: Record<string, number> | undefined, count: number) =>
  `| ${name} | ${count} | ${(count / seconds).toFixed(1)} | ${ms(d?.med)} | ${ms(d?.['p(95)'])} | ${ms(d?.['p(99)'])} | ${ms(d?.max)} | ${failed ? `${((failed.rate ?? 0) * 100).toFixed(3)}% (${failed.passes ?? 0})` : '-'} |`;
for (const key of Object.keys(m)
  .filter((k) => k.startsWith('http_req_duration{name:'))
  .sort()) {
  const name = key.slice('http_req_duration{name:'.length, -1);
  const d = m[key]!.values;
  rows.push(line(`\`${name}\``, d, m[`http_req_failed{name:${name}}`]?.values, d.count ?? 0));
}
rows.push(line('**all**', m.http_req_duration?.values, m.http_req_failed?.values, m.http_reqs?.values.count ?? 0));
const dropped = m.dropped_iterations?.values.count ?? 0;
const checks = m.checks?.values.rate ?? 0;
console.log(
  `${rows.join('\n')}\n\nduration ${seconds.toFixed(1)} s, ${(m.http_reqs?.values.rate ?? 0).toFixed(1)} req/s, dropped iterations ${dropped}, checks ${(checks * 100).toFixed(3)}%`,
);
