import type { MixPoint } from './mix-plot.ts';

/**
 * The mix's tables for mix.md: latency, CPU per request and dropped
 * iterations per rate; each endpoint's p95 at each rate, service against
 * floor; and the capacity line of #18 (the highest rate each target holds).
 */

/** A rate is held when its p95 stays under this and (nearly) every offered request was sent. */
const HELD_P95_MS = 100;
const HELD_DROPPED_SHARE = 0.01;
/** At each rate, every endpoint's p95 should stay within this many times the floor's (#18). */
const ENDPOINT_RATIO = 1.5;

type Endpoints = Record<string, { p95: number; p99: number }>;

function pointsAt(points: MixPoint[], rate: number) {
  return { s: points.find((p) => p.rate === rate && p.target === 'service'), f: points.find((p) => p.rate === rate && p.target === 'floor') };
}

const ratesOf = (points: MixPoint[]) => [...new Set(points.map((p) => p.rate))].sort((a, b) => a - b);

function held(p: MixPoint | undefined): boolean {
  if (!p) return false;
  const offered = p.rate * Number(p.seconds ?? 0);
  return p.p95 < HELD_P95_MS && (offered === 0 || p.dropped <= offered * HELD_DROPPED_SHARE);
}

/** The top of the run of held rates from the lowest; 0 when the lowest is not held. */
export function highestHeld(points: MixPoint[], target: MixPoint['target']): number {
  let top = 0;
  for (const rate of ratesOf(points)) {
    if (!held(points.find((p) => p.rate === rate && p.target === target))) break;
    top = rate;
  }
  return top;
}

function latencyTable(points: MixPoint[]): string[] {
  const rows = [
    '| rate | service p95 / p99 ms | floor p95 / p99 ms | service / floor CPU ms per request | same above idle | dropped (service / floor) |',
    '|---:|---|---|---|---|---|',
  ];
  for (const rate of ratesOf(points)) {
    const { s, f } = pointsAt(points, rate);
    const lat = (p?: MixPoint) => (p ? `${p.p95.toFixed(1)} / ${p.p99.toFixed(1)}` : '-');
    const cpu = (key: 'cpu_ms_per_request' | 'net_cpu_ms_per_request') => {
      const ratio = s && f && f[key] > 0 ? ` (${(s[key] / f[key]).toFixed(2)}x)` : '';
      return `${s?.[key].toFixed(3) ?? '-'} / ${f?.[key].toFixed(3) ?? '-'}${ratio}`;
    };
    rows.push(
      `| ${rate}/s | ${lat(s)} | ${lat(f)} | ${cpu('cpu_ms_per_request')} | ${cpu('net_cpu_ms_per_request')} | ${s?.dropped ?? '-'} / ${f?.dropped ?? '-'} |`,
    );
  }
  return rows;
}

/** Each target's own CPU and the database server's, per request: on one machine both come out of the same cores. */
function cpuTable(points: MixPoint[]): string[] {
  if (!points.some((p) => typeof p.pg_cpu_ms_per_request === 'number')) return [];
  const rows = [
    '',
    'CPU per request with the database server counted (ms; PostgreSQL: every backend and background process during the round):',
    '',
    '| rate | PostgreSQL, service / floor | process + PostgreSQL, service / floor |',
    '|---:|---|---|',
  ];
  const pg = (p?: MixPoint) => (typeof p?.pg_cpu_ms_per_request === 'number' ? p.pg_cpu_ms_per_request : undefined);
  const pair = (a?: number, b?: number) => `${a?.toFixed(3) ?? '-'} / ${b?.toFixed(3) ?? '-'}${a !== undefined && b ? ` (${(a / b).toFixed(2)}x)` : ''}`;
  for (const rate of ratesOf(points)) {
    const { s, f } = pointsAt(points, rate);
    const total = (p?: MixPoint) => (p && pg(p) !== undefined ? p.cpu_ms_per_request + pg(p)! : undefined);
    rows.push(`| ${rate}/s | ${pair(pg(s), pg(f))} | ${pair(total(s), total(f))} |`);
  }
  return rows;
}

function endpointTable(points: MixPoint[]): string[] {
  const names = [...new Set(points.flatMap((p) => Object.keys((p.endpoints as Endpoints | undefined) ?? {})))].sort();
  const rows = [`| rate | ${names.map((n) => `${n} p95 ms, service / floor`).join(' | ')} |`, `|---:|${names.map(() => '---').join('|')}|`];
  for (const rate of ratesOf(points)) {
    const { s, f } = pointsAt(points, rate);
    const cells = names.map((n) => {
      const a = (s?.endpoints as Endpoints | undefined)?.[n]?.p95;
      const b = (f?.endpoints as Endpoints | undefined)?.[n]?.p95;
      if (a === undefined || b === undefined) return '-';
      const ratio = b > 0 ? a / b : Infinity;
      return `${a.toFixed(1)} / ${b.toFixed(1)} (${ratio.toFixed(2)}x${ratio > ENDPOINT_RATIO ? ', over' : ''})`;
    });
    rows.push(`| ${rate}/s | ${cells.join(' | ')} |`);
  }
  return rows;
}

export function mixTable(points: MixPoint[]): string {
  const service = highestHeld(points, 'service');
  const floor = highestHeld(points, 'floor');
  const share = floor > 0 ? ` (${((service / floor) * 100).toFixed(0)}% of the floor's)` : '';
  return [
    ...latencyTable(points),
    ...cpuTable(points),
    '',
    `Endpoints' p95 (an endpoint over ${ENDPOINT_RATIO}x the floor's is marked "over"):`,
    '',
    ...endpointTable(points),
    '',
    `Highest rate held (p95 < ${HELD_P95_MS} ms, at most ${HELD_DROPPED_SHARE * 100}% dropped, every rate below it held too): ` +
      `service ${service}/s, floor ${floor}/s${share}.`,
    '',
  ].join('\n');
}
