import { describe, expect, it } from 'vitest';
import type { MixPoint } from '../../scripts/loadtest/mix-plot.ts';
import { highestHeld, mixTable } from '../../scripts/loadtest/mix-report.ts';

// The mix's verdicts for #18 (the highest rate held, each endpoint against the floor) decide what
// BENCHMARKS.md claims: they must read the run as the issue defines it.
function point(target: MixPoint['target'], rate: number, p95: number, dropped = 0, endpoints: Record<string, number> = {}): MixPoint {
  return {
    target,
    rate,
    p95,
    p99: p95 * 2,
    dropped,
    requests: rate * 30,
    seconds: 30,
    cpu_ms_per_request: 1,
    net_cpu_ms_per_request: 1,
    endpoints: Object.fromEntries(Object.entries(endpoints).map(([name, v]) => [name, { p95: v, p99: v * 2 }])),
  };
}

describe('the mix report', () => {
  it('holds a rate only while every lower rate held: p95 under 100 ms and at most 1% dropped', () => {
    // Setup
    const points = [
      point('service', 300, 20),
      point('service', 400, 60, 130),
      point('service', 500, 40),
      point('floor', 300, 10),
      point('floor', 400, 99.9, 119),
      point('floor', 500, 100),
    ];

    // Action
    const service = highestHeld(points, 'service');
    const floor = highestHeld(points, 'floor');

    // Assertions
    expect(service).toBe(300);
    expect(floor).toBe(400);
  });

  it("marks an endpoint whose p95 is over 1.5x the floor's at that rate", () => {
    // Setup
    const points = [
      point('service', 500, 30, 0, { 'GET /orders': 16, 'GET /search': 14.9 }),
      point('floor', 500, 20, 0, { 'GET /orders': 10, 'GET /search': 10 }),
    ];

    // Action
    const table = mixTable(points);

    // Assertions
    expect(table).toContain('16.0 / 10.0 (1.60x, over)');
    expect(table).toContain('14.9 / 10.0 (1.49x)');
    expect(table).toContain('service 500/s, floor 500/s (100% of the floor');
  });

  it("counts the database server's CPU with each target's when the run has it, and leaves the table out when not", () => {
    // Setup
    const service = { ...point('service', 500, 30), cpu_ms_per_request: 1.2, pg_cpu_ms_per_request: 1.8 };
    const floor = { ...point('floor', 500, 20), cpu_ms_per_request: 0.8, pg_cpu_ms_per_request: 1.2 };

    // Action
    const withServer = mixTable([service, floor]);
    const without = mixTable([point('service', 500, 30), point('floor', 500, 20)]);

    // Assertions
    expect(withServer).toContain('| 500/s | 1.800 / 1.200 (1.50x) | 3.000 / 2.000 (1.50x) |');
    expect(without).not.toContain('PostgreSQL, service / floor');
  });
});
