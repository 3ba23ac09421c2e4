import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics, type RegistryContentType } from 'prom-client';

type AnyRegistry = Registry<RegistryContentType>;

/**
 * Every metric the service exposes, with the names, labels and units of
 * the spec (OpenTelemetry semantic conventions in Prometheus form). Each
 * service instance has its own registry, so tests can run several.
 *
 * Histograms are in seconds and every bucket list has 0.1 s as an exact
 * boundary (the 100 ms SLO line). No label carries an id, a chat, a user
 * or a raw path: routes are templates, queries are names.
 */

/** Request-scale latencies: fine below 10 ms where the targets are, up to 10 s. */
const LATENCY_BUCKETS = [0.001, 0.0025, 0.005, 0.0075, 0.01, 0.025, 0.05, 0.075, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];
/** Pool waits are usually sub-millisecond; saturation shows up as a shift to the right. */
const WAIT_BUCKETS = [0.0001, 0.0005, 0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];
/** Bot API calls go over the internet (and getUpdates long-polls for up to 30 s). */
const REMOTE_BUCKETS = [0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60];

export interface Metrics {
  registry: AnyRegistry;
  httpDuration: Histogram<'http_request_method' | 'http_route' | 'http_response_status_code'>;
  dbDuration: Histogram<'db_query_name' | 'db_operation_name' | 'outcome'>;
  dbConnections: Gauge<'state'>;
  dbConnectionMax: Gauge;
  dbPending: Gauge;
  dbWait: Histogram;
  dbSlow: Counter<'db_query_name'>;
  botUpdate: Histogram<'update_type' | 'handler'>;
  botApi: Histogram<'method' | 'outcome'>;
  ordersCreated: Counter;
  orderTransitions: Counter<'from' | 'to'>;
  ordersOpen: Gauge<'status'>;
  ordersSlaBreached: Gauge<'status'>;
  backupRuns: Counter<'outcome'>;
  clientMessages: Counter<'kind'>;
  ratings: Counter<'score'>;
  backupLastSuccess: Gauge;
  backupLastSize: Gauge;
}

export interface PoolStats {
  total: number;
  idle: number;
  waiting: number;
  max: number;
}

/** Creates the registry with all metrics; `pool` is read at scrape time. */
export function createMetrics(pool: () => PoolStats | null): Metrics {
  // Exemplars can only be registered on an OpenMetrics registry; render()
  // switches the output format per scrape.
  // (prom-client's typings omit the constructor's content-type argument.)
  const OpenMetricsRegistry = Registry as unknown as new (contentType: RegistryContentType) => AnyRegistry;
  const registry = new OpenMetricsRegistry(Registry.OPENMETRICS_CONTENT_TYPE);
  const registers = [registry];
  collectDefaultMetrics({ register: registry });
  const poolGauge = (name: string, help: string, pick: (s: PoolStats) => number) =>
    new Gauge({
      name,
      help,
      registers,
      collect() {
        const s = pool();
        if (s) this.set(pick(s));
      },
    });
  return {
    registry,
    httpDuration: new Histogram({
      name: 'http_server_request_duration_seconds',
      help: 'Duration of HTTP server requests, by route template.',
      labelNames: ['http_request_method', 'http_route', 'http_response_status_code'],
      buckets: LATENCY_BUCKETS,
      enableExemplars: true,
      registers,
    }),
    dbDuration: new Histogram({
      name: 'db_client_operation_duration_seconds',
      help: 'Duration of database queries, by query name.',
      labelNames: ['db_query_name', 'db_operation_name', 'outcome'],
      buckets: LATENCY_BUCKETS,
      enableExemplars: true,
      registers,
    }),
    dbConnections: new Gauge({
      name: 'db_client_connection_count',
      help: 'Connections in the pool, by state (idle or used).',
      labelNames: ['state'],
      registers,
      collect() {
        const s = pool();
        if (!s) return;
        this.set({ state: 'idle' }, s.idle);
        this.set({ state: 'used' }, s.total - s.idle);
      },
    }),
    dbConnectionMax: poolGauge('db_client_connection_max', 'Largest number of connections the pool may open.', (s) => s.max),
    dbPending: poolGauge('db_client_connection_pending_requests', 'Callers waiting for a pooled connection.', (s) => s.waiting),
    dbWait: new Histogram({
      name: 'db_client_connection_wait_time_seconds',
      help: 'Time spent waiting for a pooled connection.',
      buckets: WAIT_BUCKETS,
      registers,
    }),
    dbSlow: new Counter({
      name: 'db_slow_queries_total',
      help: 'Queries slower than SLOW_QUERY_MS, by query name.',
      labelNames: ['db_query_name'],
      enableExemplars: true,
      registers,
    }),
    botUpdate: new Histogram({
      name: 'telegram_bot_update_duration_seconds',
      help: 'Duration of Telegram update handling, by update type and handler.',
      labelNames: ['update_type', 'handler'],
      buckets: LATENCY_BUCKETS,
      enableExemplars: true,
      registers,
    }),
    botApi: new Histogram({
      name: 'telegram_bot_api_request_duration_seconds',
      help: 'Duration of Telegram Bot API calls, by method and outcome.',
      labelNames: ['method', 'outcome'],
      buckets: REMOTE_BUCKETS,
      enableExemplars: true,
      registers,
    }),
    ordersCreated: new Counter({ name: 'repair_orders_created_total', help: 'Orders created.', registers }),
    orderTransitions: new Counter({
      name: 'repair_order_transitions_total',
      help: 'Order status transitions, by from and to status.',
      labelNames: ['from', 'to'],
      registers,
    }),
    ordersOpen: new Gauge({ name: 'repair_orders_open', help: 'Open orders, by status.', labelNames: ['status'], registers }),
    ordersSlaBreached: new Gauge({
      name: 'repair_orders_sla_breached',
      help: 'Open orders past their status SLA, by status.',
      labelNames: ['status'],
      registers,
    }),
    backupRuns: startAtZero(
      new Counter({ name: 'repair_backup_runs_total', help: 'Scheduled backups made by this instance, by outcome.', labelNames: ['outcome'], registers }),
      [{ outcome: 'success' }, { outcome: 'failure' }],
    ),
    clientMessages: new Counter({
      name: 'repair_client_messages_total',
      help: 'Messages the bot sent to clients about their orders, by kind (assigned, visit, on_site, done, ...).',
      labelNames: ['kind'],
      registers,
    }),
    ratings: startAtZero(
      new Counter({ name: 'repair_order_ratings_total', help: 'Ratings clients gave, by score (1-5).', labelNames: ['score'], registers }),
      ['1', '2', '3', '4', '5'].map((score) => ({ score })),
    ),
    // Read from backup_runs, so every instance shows the last good backup any of them made.
    backupLastSuccess: new Gauge({
      name: 'repair_backup_last_success_timestamp_seconds',
      help: 'When the last good scheduled backup finished (Unix time); 0 until there is one.',
      registers,
    }),
    backupLastSize: new Gauge({ name: 'repair_backup_last_size_bytes', help: 'Size of the last good scheduled backup.', registers }),
  };
}

/** Series exist from the first scrape, so increase() and alerts see the first event. */
function startAtZero<L extends string>(counter: Counter<L>, labelSets: Array<Partial<Record<L, string>>>): Counter<L> {
  for (const labels of labelSets) counter.inc(labels, 0);
  return counter;
}

export const OPENMETRICS = Registry.OPENMETRICS_CONTENT_TYPE;
export const PROMETHEUS_TEXT = Registry.PROMETHEUS_CONTENT_TYPE;

/**
 * Renders the registry in either format. prom-client renames counters in
 * place (drops `_total`) while rendering OpenMetrics, which would corrupt
 * the next Prometheus-format scrape; renders are therefore serialized and
 * every counter gets its registered name back afterwards.
 */
export function metricsRenderer(registry: AnyRegistry): (openMetrics: boolean) => Promise<string> {
  const names = new Map<object, string>();
  let queue: Promise<unknown> = Promise.resolve();
  const render = async (openMetrics: boolean) => {
    const metrics = registry.getMetricsAsArray() as unknown as Array<{ name: string }>;
    for (const m of metrics) if (!names.has(m)) names.set(m, m.name);
    registry.setContentType(openMetrics ? OPENMETRICS : PROMETHEUS_TEXT);
    try {
      // prom-client writes NaN as "Nan"; both formats spell it NaN.
      return (await registry.metrics()).replace(/ Nan$/gm, ' NaN');
    } finally {
      for (const m of metrics) m.name = names.get(m) ?? m.name;
      registry.setContentType(OPENMETRICS);
    }
  };
  return (openMetrics) => {
    const result = queue.then(() => render(openMetrics));
    queue = result.catch(() => undefined);
    return result;
  };
}
