import type { InMemorySpanExporter } from '@opentelemetry/sdk-trace';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../src/db/database.ts';
import { createDatabase } from '../../src/db/pool.ts';
import { defineQuery } from '../../src/db/query.ts';
import { createDbObserver } from '../../src/telemetry/db-observer.ts';
import { createMetrics, metricsRenderer, type Metrics } from '../../src/telemetry/metrics.ts';
import { tracer } from '../../src/telemetry/tracing.ts';
import { parseExposition } from './exposition.ts';
import { inMemoryTracing, memoryLogger } from './support.ts';
import { useTestDatabase } from '../support/db.ts';
import { eventually } from '../support/eventually.ts';

/** Test-only queries: slow on purpose, so they live here and never in src. */
const sleepFor = defineQuery({
  name: 'test.sleep_for',
  text: `SELECT true AS slept FROM pg_sleep($1::float8)`,
  params: { seconds: 'float8' },
  columns: { slept: 'bool' },
});
const sleepInTransaction = defineQuery({
  name: 'test.sleep_in_transaction',
  text: `SELECT true AS slept FROM pg_sleep($1::float8)`,
  params: { seconds: 'float8' },
  columns: { slept: 'bool' },
});
const searchSlowly = defineQuery({
  name: 'test.search_slowly',
  text: `
SELECT (SELECT count(*) FROM orders o
        WHERE o.client_name LIKE $2::text AND o.client_phone = $3::text AND o.id > $4::int4 AND o.total_amount <> $5::numeric)::int AS n
FROM pg_sleep($1::float8)`,
  params: { seconds: 'float8', pattern: 'text', phone: 'text', afterId: 'int4', amount: 'numeric' },
  columns: { n: 'int4' },
});

/** Slow too, under its own name: its log line marks that earlier slow queries' lines are written. */
const marker = defineQuery({
  name: 'test.marker',
  text: `SELECT true AS slept FROM pg_sleep($1::float8)`,
  params: { seconds: 'float8' },
  columns: { slept: 'bool' },
});

const t = useTestDatabase();
let exporter: InMemorySpanExporter;
let metrics: Metrics;
let db: Database;
let lines: Array<Record<string, unknown>>;

beforeAll(async () => {
  exporter = await inMemoryTracing();
  const log = memoryLogger();
  lines = log.lines;
  metrics = createMetrics(() => null);
  const observer = createDbObserver({ metrics, tracing: true, logger: log.logger, slowQueryMs: 50, slowLogIntervalMs: 60_000 });
  db = createDatabase(t.url, { min: 0, max: 3, statementTimeoutMs: 10_000, idleTimeoutMs: 10_000 }, { error: () => {} }, observer);
  return () => db.close();
});

async function slowCount(name: string): Promise<number | undefined> {
  const families = parseExposition(await metricsRenderer(metrics.registry)(false), 'prometheus');
  return families.get('db_slow_queries_total')!.samples.find((s) => s.labels.db_query_name === name)?.value;
}

/** The slow-query line of `name` (written once its EXPLAIN returns). */
const slowLineOf = (name: string) =>
  eventually(
    () => {
      const line = lines.find((l) => l.msg === 'slow query' && l.db_query_name === name);
      if (!line) throw new Error(`no slow query line for ${name}`);
      return line;
    },
    { what: `the slow query line of ${name}` },
  );

describe('slow-query capture', () => {
  it('logs one JSON line with name, duration, rows, trace_id and the EXPLAIN plan, and counts it', async () => {
    // Action: under a parent span, as a request's query would be
    await tracer().startActiveSpan('test request', async (parent) => {
      await db.one(sleepFor, { seconds: 0.15 });
      parent.end();
    });
    await slowLineOf('test.sleep_for');
    // Assertions
    const slow = lines.filter((l) => l.msg === 'slow query');
    expect(slow).toHaveLength(1);
    const line = slow[0]!;
    expect(line).toMatchObject({ level: 'warn', db_query_name: 'test.sleep_for', rows: 1 });
    expect(line.duration_ms).toBeGreaterThanOrEqual(150);
    const dbSpan = exporter.getFinishedSpans().find((s) => s.name === 'test.sleep_for')!;
    expect(line.trace_id).toBe(dbSpan.spanContext().traceId);
    expect(line.span_id).toBe(dbSpan.spanContext().spanId);
    const plan = line.plan as Array<{ Plan: { 'Node Type': string } }>;
    expect(plan[0]!.Plan['Node Type']).toBe('Function Scan');
    expect(JSON.stringify(line)).not.toContain('0.15');
    expect(await slowCount('test.sleep_for')).toBe(1);
  });

  it('rate-limits the log line per query name but counts every slow run', async () => {
    // Action
    await db.one(sleepFor, { seconds: 0.06 });
    // A line for it would have been on its way before the marker's.
    await db.one(marker, { seconds: 0.06 });
    await slowLineOf('test.marker');
    // Assertions
    expect(lines.filter((l) => l.msg === 'slow query' && l.db_query_name === 'test.sleep_for')).toHaveLength(1);
    expect(await slowCount('test.sleep_for')).toBe(2);
  });

  it('ignores fast queries', async () => {
    // Action
    await db.one(sleepInTransaction, { seconds: 0 });
    // Assertions
    expect(await slowCount('test.sleep_in_transaction')).toBeUndefined();
  });

  it('logs the plan without the values searched for', async () => {
    // Action
    await db.one(searchSlowly, { seconds: 0.08, pattern: "%Petrov's%", phone: '76543219197', afterId: 424242, amount: '7123.45' });
    const line = await slowLineOf('test.search_slowly');

    // Assertions: the plan keeps its shape and its casts, and no value
    const text = JSON.stringify(line?.plan);
    expect(text).toContain('client_name');
    expect(text).toContain("'?'::text");
    for (const value of ['Petrov', '76543219197', '424242', '7123.45']) expect(text).not.toContain(value);
  });

  it('explains a slow query inside a transaction without disturbing it', async () => {
    // Action
    const result = await db.transaction(async (tx) => {
      const row = await tx.one(sleepInTransaction, { seconds: 0.08 });
      // The transaction stays open until the plan, fetched elsewhere, is logged.
      await slowLineOf('test.sleep_in_transaction');
      return (await tx.one(sleepInTransaction, { seconds: 0 })).slept && row.slept;
    });
    // Assertions
    expect(result).toBe(true);
    const line = await slowLineOf('test.sleep_in_transaction');
    expect((line.plan as unknown[] | undefined)?.length).toBe(1);
    expect(await slowCount('test.sleep_in_transaction')).toBe(1);
  });
});
