import { dashboard, quantile } from '../kit.ts';

const QUERY = 'db_query_name=~"$query"';
const OPS = 'job_query_outcome:db_client_operations:rate5m';
const BUCKETS = 'job_query_le:db_client_operation_duration_seconds_bucket:rate5m';
const DB = 'datname!~"template.*"';

export const databaseDashboard = dashboard({
  uid: 'repair-bot-database',
  title: 'Repair Bot / Database',
  description: 'Queries by name as the service sees them, the connection pool, and PostgreSQL itself (postgres-exporter, pg_stat_statements).',
  tags: ['repair-bot', 'database', 'postgresql'],
  variables: [{ name: 'query', label: 'Query', metric: 'db_client_operation_duration_seconds_count', labelName: 'db_query_name' }],
  panels: [
    {
      title: 'PostgreSQL',
      type: 'stat',
      unit: 'short',
      baseColor: 'red',
      steps: [[1, 'green']],
      mappings: [{ type: 'value', options: { '0': { text: 'DOWN', color: 'red' }, '1': { text: 'UP', color: 'green' } } }],
      queries: [{ expr: 'min(pg_up)', instant: true }],
    },
    {
      title: 'Pool in use',
      type: 'stat',
      unit: 'percentunit',
      steps: [
        [0.7, 'orange'],
        [0.9, 'red'],
      ],
      queries: [{ expr: 'sum(db_client_connection_count{state="used"}) / sum(db_client_connection_max)', instant: true }],
    },
    {
      title: 'Slow queries (last hour)',
      description: 'Queries over SLOW_QUERY_MS (100 ms); each is logged with its EXPLAIN plan.',
      type: 'stat',
      unit: 'short',
      steps: [
        [1, 'orange'],
        [20, 'red'],
      ],
      queries: [{ expr: 'sum(increase(db_slow_queries_total[1h])) or vector(0)', instant: true }],
    },
    {
      title: 'Buffer cache hit ratio',
      type: 'stat',
      unit: 'percentunit',
      decimals: 2,
      baseColor: 'red',
      steps: [
        [0.95, 'orange'],
        [0.99, 'green'],
      ],
      queries: [
        {
          expr: `sum(rate(pg_stat_database_blks_hit{${DB}}[5m])) / (sum(rate(pg_stat_database_blks_hit{${DB}}[5m])) + sum(rate(pg_stat_database_blks_read{${DB}}[5m])))`,
          instant: true,
        },
      ],
    },
    {
      title: 'Query latency p95 by query',
      description: 'As the service measures it (pool wait excluded). Dashed: 100 ms.',
      type: 'timeseries',
      unit: 's',
      sloLine: 0.1,
      queries: [{ expr: quantile(0.95, `${BUCKETS}{${QUERY}}`, ['db_query_name']), legend: '{{db_query_name}}' }],
    },
    {
      title: 'Query latency p99 by query',
      type: 'timeseries',
      unit: 's',
      sloLine: 0.1,
      queries: [{ expr: quantile(0.99, `${BUCKETS}{${QUERY}}`, ['db_query_name']), legend: '{{db_query_name}}' }],
    },
    {
      title: 'Queries per second by query',
      type: 'timeseries',
      unit: 'ops',
      queries: [{ expr: `sum by (db_query_name) (${OPS}{${QUERY}})`, legend: '{{db_query_name}}' }],
    },
    {
      title: 'Query errors per second by query',
      type: 'timeseries',
      unit: 'ops',
      queries: [
        {
          expr: `sum by (db_query_name) (${OPS}{${QUERY}, outcome="error"}) or 0 * sum by (db_query_name) (${OPS}{${QUERY}})`,
          legend: '{{db_query_name}}',
        },
      ],
    },
    {
      title: 'Slow queries by query (per 5 minutes)',
      type: 'timeseries',
      unit: 'short',
      queries: [{ expr: `sum by (db_query_name) (increase(db_slow_queries_total{${QUERY}}[5m]))`, legend: '{{db_query_name}}' }],
    },
    {
      title: 'Pool connections',
      type: 'timeseries',
      unit: 'short',
      w: 8,
      queries: [
        { expr: 'sum by (state) (db_client_connection_count)', legend: '{{state}}' },
        { expr: 'sum(db_client_connection_max)', legend: 'max' },
      ],
    },
    {
      title: 'Callers waiting for a connection',
      type: 'timeseries',
      unit: 'short',
      w: 8,
      queries: [{ expr: 'sum by (instance) (db_client_connection_pending_requests)', legend: '{{instance}}' }],
    },
    {
      title: 'Connection wait time',
      type: 'timeseries',
      unit: 's',
      w: 8,
      queries: [
        { expr: quantile(0.95, 'rate(db_client_connection_wait_time_seconds_bucket[$__rate_interval])'), legend: 'p95' },
        { expr: quantile(0.99, 'rate(db_client_connection_wait_time_seconds_bucket[$__rate_interval])'), legend: 'p99' },
      ],
    },
    {
      title: 'Top 10 statements by time spent (pg_stat_statements)',
      description: 'Execution seconds per second, by queryid. Text: SELECT query FROM pg_stat_statements WHERE queryid = ...',
      type: 'table',
      unit: 's',
      queries: [{ expr: 'topk(10, sum by (datname, queryid) (rate(pg_stat_statements_seconds_total[5m])))', instant: true }],
    },
    {
      title: 'Top 10 statements by calls (pg_stat_statements)',
      type: 'timeseries',
      unit: 'ops',
      queries: [{ expr: 'topk(10, sum by (queryid) (rate(pg_stat_statements_calls_total[5m])))', legend: '{{queryid}}' }],
    },
    {
      title: 'Connections by state',
      type: 'timeseries',
      unit: 'short',
      w: 8,
      stack: true,
      queries: [
        { expr: `sum by (state) (pg_stat_activity_count{${DB}})`, legend: '{{state}}' },
        { expr: 'max(pg_settings_max_connections)', legend: 'max_connections' },
      ],
    },
    {
      title: 'Locks by mode',
      type: 'timeseries',
      unit: 'short',
      w: 8,
      queries: [{ expr: `sum by (mode) (pg_locks_count{${DB}})`, legend: '{{mode}}' }],
    },
    {
      title: 'Buffer cache hit ratio',
      type: 'timeseries',
      unit: 'percentunit',
      w: 8,
      queries: [
        {
          expr: `sum by (datname) (rate(pg_stat_database_blks_hit{${DB}}[5m])) / (sum by (datname) (rate(pg_stat_database_blks_hit{${DB}}[5m])) + sum by (datname) (rate(pg_stat_database_blks_read{${DB}}[5m])))`,
          legend: '{{datname}}',
        },
      ],
    },
    {
      title: 'Transactions',
      type: 'timeseries',
      unit: 'ops',
      w: 24,
      queries: [
        { expr: `sum(rate(pg_stat_database_xact_commit{${DB}}[5m]))`, legend: 'commits' },
        { expr: `sum(rate(pg_stat_database_xact_rollback{${DB}}[5m]))`, legend: 'rollbacks' },
        { expr: `sum(rate(pg_stat_database_deadlocks{${DB}}[5m]))`, legend: 'deadlocks' },
      ],
    },
  ],
});
