import { SpanKind, SpanStatusCode, context, trace, type Attributes, type Span } from '@opentelemetry/api';
import type { DbObserver, QueryRun } from '../db/observer.ts';
import { exemplarOf } from './exemplars.ts';
import type { Logger } from './logger.ts';
import type { Metrics } from './metrics.ts';
import { scrubMessage, scrubPlan } from './plan-scrub.ts';
import { tracer } from './tracing.ts';
import { isUnmeasured } from './unmeasured.ts';

export interface DbObserverOptions {
  /** Histograms and the slow-query counter; absent when metrics are off. */
  metrics?: Metrics;
  /** One span per query, a child of whatever span is active. */
  tracing: boolean;
  logger: Pick<Logger, 'warn'>;
  slowQueryMs: number;
  /** At most one slow-query log line per query name per this many ms. */
  slowLogIntervalMs?: number;
  /** Database name and server, as span attributes. */
  database?: { name?: string; host?: string; port?: number };
}

/**
 * The telemetry side of every query (src/db/database.ts calls it around
 * each execution):
 * - a CLIENT span named by the query's name (e.g. orders.find_order),
 *   carrying the constant SQL text and never the values; this is our own
 *   span rather than instrumentation-pg's because the query object already
 *   has the stable name, it costs less, and the span covers exactly what
 *   the histogram measures, so exemplars point at the right span;
 * - db_client_operation_duration_seconds{db_query_name, db_operation_name, outcome};
 * - slow queries (> slowQueryMs): db_slow_queries_total and, rate-limited
 *   per query name, one JSON log line with the EXPLAIN plan, its literal
 *   values scrubbed (plan-scrub.ts).
 * Queries run `unmeasured` (the start's warm-up) get the span only.
 */
export function createDbObserver(opts: DbObserverOptions): DbObserver {
  const { metrics, tracing, logger, slowQueryMs } = opts;
  const interval = opts.slowLogIntervalMs ?? 60_000;
  const lastLogged = new Map<string, number>();
  const baseAttributes = {
    'db.system.name': 'postgresql',
    ...(opts.database?.name ? { 'db.namespace': opts.database.name } : {}),
    ...(opts.database?.host ? { 'server.address': opts.database.host } : {}),
    ...(opts.database?.port ? { 'server.port': opts.database.port } : {}),
  };

  // A query's span attributes never change: made once per query rather than spread for every run.
  const attributesOf = new Map<QueryRun['query'], Attributes>();
  const attributes = (query: QueryRun['query']) => {
    let known = attributesOf.get(query);
    if (!known) {
      // No db.query.text: the name identifies the constant SQL in the code,
      // and shipping kilobytes of text with every span would dominate export cost.
      known = Object.freeze({ ...baseAttributes, 'db.operation.name': query.operation, 'db.query.summary': query.name });
      attributesOf.set(query, known);
    }
    return known;
  };

  const logSlow = (run: QueryRun, ms: number, rows: number | null, span: Span | undefined) => {
    const name = run.query.name;
    const now = Date.now();
    if (now - (lastLogged.get(name) ?? -Infinity) < interval) return;
    lastLogged.set(name, now);
    const ids = exemplarOf(span);
    // EXPLAIN runs on its own pooled connection after the query has
    // returned: it never delays the caller nor touches its transaction.
    run.explain().then(
      // The plan as PostgreSQL gives it carries the searched values (names, phones): logged without them.
      (plan) => logger.warn({ db_query_name: name, duration_ms: ms, rows, ...ids, plan: scrubPlan(plan) }, 'slow query'),
      (err: unknown) =>
        logger.warn({ db_query_name: name, duration_ms: ms, rows, ...ids, plan: null, plan_error: scrubMessage((err as Error).message) }, 'slow query'),
    );
  };

  const finish = (run: QueryRun, started: number, span: Span | undefined, rows: number | null, error: unknown) => {
    const seconds = (performance.now() - started) / 1000;
    const name = run.query.name;
    if (span) {
      if (rows !== null) span.setAttribute('db.response.returned_rows', rows);
      if (error) {
        const code = (error as { code?: unknown }).code;
        span.setAttribute('error.type', typeof code === 'string' ? code : ((error as Error).name ?? 'Error'));
        span.setStatus({ code: SpanStatusCode.ERROR, message: (error as Error).message });
      }
      span.end();
    }
    if (isUnmeasured()) return;
    if (metrics) {
      metrics.dbDuration.observe({
        labels: { db_query_name: name, db_operation_name: run.query.operation, outcome: error ? 'error' : 'success' },
        value: seconds,
        exemplarLabels: exemplarOf(span),
      });
    }
    const ms = seconds * 1000;
    if (ms > slowQueryMs) {
      metrics?.dbSlow.inc({ labels: { db_query_name: name }, value: 1, exemplarLabels: exemplarOf(span) });
      logSlow(run, Math.round(ms * 10) / 10, rows, span);
    }
  };

  return {
    async query(run, exec) {
      const started = performance.now();
      const parent = context.active();
      // Only under a parent (request, update, job): a lone query span says nothing a metric doesn't.
      const span =
        tracing && trace.getSpan(parent) ? tracer().startSpan(run.query.name, { kind: SpanKind.CLIENT, attributes: attributes(run.query) }, parent) : undefined;
      let result;
      try {
        result = await exec();
      } catch (err) {
        finish(run, started, span, null, err);
        throw err;
      }
      finish(run, started, span, result.rowCount, undefined);
      return result;
    },
    connectionAcquired(waitSeconds) {
      if (!isUnmeasured()) metrics?.dbWait.observe(waitSeconds);
    },
  };
}
