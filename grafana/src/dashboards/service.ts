import { dashboard, quantile, type PanelSpec } from '../kit.ts';

const API = 'http_route=~"/api/.*"';
const ROUTE = 'http_route=~"$route"';
const REQUESTS = 'job_route_method_code:http_server_requests:rate5m';
const BUCKETS = 'job_route_le:http_server_request_duration_seconds_bucket:rate5m';
const RAW_BUCKETS = `rate(http_server_request_duration_seconds_bucket{${ROUTE}}[$__rate_interval])`;
const SLO = 0.1;

const latencyByRoute = (q: number): PanelSpec => ({
  title: `p${Math.round(q * 100)} latency by route`,
  description: 'From the 5-minute recorded bucket rates. The dashed line is the 100 ms objective.',
  type: 'timeseries',
  unit: 's',
  w: 8,
  sloLine: SLO,
  queries: [{ expr: quantile(q, `${BUCKETS}{${ROUTE}}`, ['http_route']), legend: '{{http_route}}' }],
});

export const serviceDashboard = dashboard({
  uid: 'repair-bot-service',
  title: 'Repair Bot / Service (RED)',
  description: 'Rate, errors and duration of the HTTP API per route, the 99.9% availability SLO and the 100 ms latency objective.',
  tags: ['repair-bot', 'red', 'slo'],
  variables: [{ name: 'route', label: 'Route', metric: 'http_server_request_duration_seconds_count', labelName: 'http_route' }],
  panels: [
    {
      title: 'API requests per second',
      type: 'stat',
      unit: 'reqps',
      queries: [{ expr: `sum(${REQUESTS}{${API}})`, instant: true }],
    },
    {
      title: 'API 5xx ratio (5m)',
      type: 'stat',
      unit: 'percentunit',
      decimals: 3,
      steps: [[0.001, 'red']],
      queries: [{ expr: 'sum(job:slo_http_errors_per_request:ratio_rate5m)', instant: true }],
    },
    {
      title: 'API requests within 100 ms (5m)',
      description: 'Exact: 0.1 s is a bucket boundary. The objective is p95 under 100 ms, so this should stay above 95%.',
      type: 'stat',
      unit: 'percentunit',
      decimals: 2,
      baseColor: 'red',
      steps: [[0.95, 'green']],
      queries: [{ expr: 'min(job:http_server_requests_within_100ms:ratio_rate5m)', instant: true }],
    },
    {
      title: 'Error budget left (30 days)',
      description: 'Share of the 0.1% error budget of the 99.9% availability SLO not yet spent over the last 30 days.',
      type: 'stat',
      unit: 'percentunit',
      baseColor: 'red',
      steps: [
        [0.25, 'orange'],
        [0.5, 'green'],
      ],
      queries: [
        {
          expr:
            `1 - ((sum(increase(http_server_request_duration_seconds_count{${API}, http_response_status_code=~"5.."}[30d])) or vector(0))` +
            ` / sum(increase(http_server_request_duration_seconds_count{${API}}[30d]))) / 0.001`,
          instant: true,
        },
      ],
    },
    {
      title: 'Requests per second by route',
      type: 'timeseries',
      unit: 'reqps',
      queries: [{ expr: `sum by (http_route) (${REQUESTS}{${ROUTE}})`, legend: '{{http_route}}' }],
    },
    {
      title: 'Responses by status code',
      type: 'timeseries',
      unit: 'reqps',
      stack: true,
      queries: [{ expr: `sum by (http_response_status_code) (${REQUESTS}{${ROUTE}})`, legend: '{{http_response_status_code}}' }],
    },
    latencyByRoute(0.5),
    latencyByRoute(0.95),
    latencyByRoute(0.99),
    {
      title: 'Latency p50 / p95 / p99 with traces',
      description: 'Raw histograms, so exemplars show: click a dot to open the trace of that request in Tempo.',
      type: 'timeseries',
      unit: 's',
      sloLine: SLO,
      queries: [
        { expr: quantile(0.5, RAW_BUCKETS), legend: 'p50' },
        { expr: quantile(0.95, RAW_BUCKETS), legend: 'p95' },
        { expr: quantile(0.99, RAW_BUCKETS), legend: 'p99', exemplar: true },
      ],
    },
    {
      title: '5xx ratio by route',
      type: 'timeseries',
      unit: 'percentunit',
      queries: [
        {
          expr:
            `(sum by (http_route) (${REQUESTS}{${ROUTE}, http_response_status_code=~"5.."}) or 0 * sum by (http_route) (${REQUESTS}{${ROUTE}}))` +
            ` / sum by (http_route) (${REQUESTS}{${ROUTE}})`,
          legend: '{{http_route}}',
        },
      ],
    },
    {
      title: 'API requests within 100 ms',
      description: 'Above 95% means p95 is under the 100 ms objective.',
      type: 'timeseries',
      unit: 'percentunit',
      max: 1,
      queries: [{ expr: 'job:http_server_requests_within_100ms:ratio_rate5m', legend: '{{job}}' }],
    },
    {
      title: 'Error budget burn rate',
      description: '1 = spending the 0.1% budget exactly over 30 days. ErrorBudgetBurnFast pages at 14.4 (1 h and 5 m) or 6 (6 h and 30 m).',
      type: 'timeseries',
      unit: 'suffix:x',
      queries: [
        { expr: 'job:slo_http_errors_per_request:ratio_rate5m / 0.001', legend: '5m' },
        { expr: 'job:slo_http_errors_per_request:ratio_rate1h / 0.001', legend: '1h' },
        { expr: 'job:slo_http_errors_per_request:ratio_rate6h / 0.001', legend: '6h' },
        { expr: 'job:slo_http_errors_per_request:ratio_rate3d / 0.001', legend: '3d' },
      ],
    },
    {
      title: 'CPU used',
      type: 'timeseries',
      unit: 'percentunit',
      w: 8,
      queries: [{ expr: 'sum by (instance) (rate(process_cpu_seconds_total{job="repair-bot"}[$__rate_interval]))', legend: '{{instance}}' }],
    },
    {
      title: 'Memory',
      type: 'timeseries',
      unit: 'bytes',
      w: 8,
      queries: [
        { expr: 'sum by (instance) (process_resident_memory_bytes{job="repair-bot"})', legend: 'resident {{instance}}' },
        { expr: 'sum by (instance) (nodejs_heap_size_used_bytes{job="repair-bot"})', legend: 'heap used {{instance}}' },
      ],
    },
    {
      title: 'Event loop lag p99',
      description: 'Time callbacks wait for the event loop; above a few ms, CPU-bound work is delaying every request.',
      type: 'timeseries',
      unit: 's',
      w: 8,
      queries: [{ expr: 'max by (instance) (nodejs_eventloop_lag_p99_seconds{job="repair-bot"})', legend: '{{instance}}' }],
    },
  ],
});
