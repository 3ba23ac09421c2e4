import { beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../src/db/database.ts';
import { registerEnumArrayTypes } from '../../src/db/enum-arrays.ts';
import { createDatabase } from '../../src/db/pool.ts';
import { findOrder } from '../../src/orders/orders.sql.ts';
import { createDbObserver } from '../../src/telemetry/db-observer.ts';
import { createMetrics, metricsRenderer, type Metrics } from '../../src/telemetry/metrics.ts';
import { warmUp } from '../../src/warm-up.ts';
import { useTestDatabase } from '../support/db.ts';
import { eventually } from '../support/eventually.ts';
import { parseExposition } from './exposition.ts';
import { memoryLogger } from './support.ts';

const t = useTestDatabase();
let metrics: Metrics;
let db: Database;
let lines: Array<Record<string, unknown>>;

beforeAll(async () => {
  const log = memoryLogger();
  lines = log.lines;
  metrics = createMetrics(() => null);
  // Every query is "slow" at 0 ms: whatever the warm-up ran would be logged and counted if it were measured.
  const observer = createDbObserver({ metrics, tracing: false, logger: log.logger, slowQueryMs: 0, slowLogIntervalMs: 60_000 });
  const options = { min: 0, max: 4, statementTimeoutMs: 10_000, idleTimeoutMs: 10_000 };
  // The enum array parsers are process-wide: registered through a pool nobody observes, so only the test's queries are seen.
  const plain = createDatabase(t.url, options, { error: () => {} });
  await registerEnumArrayTypes(plain);
  await plain.close();
  db = createDatabase(t.url, options, { error: () => {} }, observer);
  return () => db.close();
});

const DURATIONS = 'db_client_operation_duration_seconds';

/** Query names with samples in a metric family (by its exposition name). */
async function namesIn(family: string): Promise<Set<string>> {
  const families = parseExposition(await metricsRenderer(metrics.registry)(false), 'prometheus');
  return new Set(
    families
      .get(family)
      ?.samples.map((s) => s.labels.db_query_name)
      .filter((n): n is string => n !== undefined),
  );
}

describe('warm-up at start', () => {
  it('runs its queries on every connection without a slow-query line, count or duration sample, leaving the allowance to real queries', async () => {
    // Action: the start's warm-up on two connections, then the first real query
    await warmUp(db, 2);
    const warmed = {
      lines: lines.filter((l) => l.msg === 'slow query').length,
      slow: [...(await namesIn('db_slow_queries_total'))],
      timed: [...(await namesIn(DURATIONS))],
    };
    await findOrder(db, 0);
    const line = await eventually(
      () => {
        const found = lines.find((l) => l.msg === 'slow query' && l.db_query_name === 'orders.find_order');
        if (!found) throw new Error('no slow-query line for orders.find_order');
        return found;
      },
      { what: 'the first real query logged as slow' },
    );

    // Assertions
    expect(warmed).toEqual({ lines: 0, slow: [], timed: [] });
    expect(line.duration_ms).toBeGreaterThan(0);
    expect([...(await namesIn('db_slow_queries_total'))]).toEqual(['orders.find_order']);
    expect([...(await namesIn(DURATIONS))]).toEqual(['orders.find_order']);
  });
});
