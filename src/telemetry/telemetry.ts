import type { RequestHandler, Router } from 'express';
import type { Config } from '../config.ts';
import type { Database } from '../db/database.ts';
import type { DbObserver } from '../db/observer.ts';
import type { OrderChangeFeed } from '../orders/order-changes.ts';
import { useBotMetrics } from './bot-telemetry.ts';
import { countOrderChanges, startBusinessGauges, type GaugeTimer } from './business-metrics.ts';
import { createDbObserver } from './db-observer.ts';
import { httpTelemetry, metricsRouter } from './http-telemetry.ts';
import { traceJob } from './jobs.ts';
import type { Logger } from './logger.ts';
import { createMetrics, metricsRenderer, type Metrics } from './metrics.ts';
import { flushTracing, tracingActive } from './tracing.ts';

export interface TelemetryOptions {
  /** The database the pool connects to (span attributes: name, host, port). */
  databaseUrl?: string;
  /** How often the business gauges are recomputed (default 30 s). */
  gaugeIntervalMs?: number;
}

/**
 * Everything the service wires for observability, following the two
 * switches: METRICS_ENABLED (prom-client metrics and GET /metrics) and the
 * standard OTEL_SDK_DISABLED (tracing, started by the preload). With both
 * off there is no DB observer and no per-request middleware beyond the
 * request log, so the overhead of instrumentation can be measured.
 */
export interface Telemetry {
  metrics: Metrics | null;
  /** For createDatabase; undefined when nothing observes queries. */
  observer: DbObserver | undefined;
  /** HttpDeps.before: request metrics, span naming, request log. */
  before: RequestHandler[];
  /** HttpDeps.routers: GET /metrics. */
  routers: Router[];
  /** The scheduler's JobWrapper: a root span per job run. */
  wrapJob<T>(name: string, run: () => Promise<T>): Promise<T>;
  /** Pool gauges, business counters and the business-gauge timer. */
  attach(db: Database, changes: OrderChangeFeed): void;
  /** Recomputes the business gauges now (they otherwise follow their timer). */
  refreshGauges(): Promise<void>;
  stop(): Promise<void>;
}

function databaseOf(url: string | undefined): { name?: string; host?: string; port?: number } {
  if (!url) return {};
  try {
    const u = new URL(url);
    return { name: decodeURIComponent(u.pathname.slice(1)) || undefined, host: u.hostname || undefined, port: u.port ? Number(u.port) : undefined };
  } catch {
    return {};
  }
}

export function createTelemetry(config: Pick<Config, 'metricsEnabled' | 'slowQueryMs'>, logger: Logger, opts: TelemetryOptions = {}): Telemetry {
  const tracing = tracingActive();
  let db: Database | undefined;
  const metrics = config.metricsEnabled ? createMetrics(() => db?.stats() ?? null) : null;
  useBotMetrics(metrics);
  const observer =
    metrics || tracing
      ? createDbObserver({ metrics: metrics ?? undefined, tracing, logger, slowQueryMs: config.slowQueryMs, database: databaseOf(opts.databaseUrl) })
      : undefined;
  const perRequest = httpTelemetry({ metrics: metrics ?? undefined, tracing, logger, slowMs: config.slowQueryMs });
  const stops: Array<() => Promise<void> | void> = [];
  let gauges: GaugeTimer | undefined;
  return {
    metrics,
    observer,
    before: perRequest ? [perRequest] : [],
    routers: metrics ? [metricsRouter(metricsRenderer(metrics.registry))] : [],
    wrapJob: traceJob,
    attach(database, changes) {
      db = database;
      if (!metrics) return;
      stops.push(countOrderChanges(changes, metrics));
      gauges = startBusinessGauges(database, metrics, {
        intervalMs: opts.gaugeIntervalMs ?? 30_000,
        wrap: traceJob,
        onError: (err) => logger.warn({ err }, 'business gauges refresh failed'),
      });
      const timer = gauges;
      stops.push(() => timer.stop());
    },
    refreshGauges: async () => {
      await gauges?.refresh();
    },
    async stop() {
      for (const stop of stops.splice(0).reverse()) await stop();
      if (metrics) useBotMetrics(null);
      await flushTracing();
    },
  };
}
