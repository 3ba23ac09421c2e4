import { dashboard, quantile } from '../kit.ts';

const UPDATES = 'job_type_handler:telegram_bot_updates:rate5m';
const HANDLER_BUCKETS = 'job_handler_le:telegram_bot_update_duration_seconds_bucket:rate5m';
const API_CALLS = 'job_method_outcome:telegram_bot_api_requests:rate5m';

export const botDashboard = dashboard({
  uid: 'repair-bot-telegram',
  title: 'Repair Bot / Telegram bot',
  description: 'Updates handled per second, handler latency, and the Bot API calls the bot makes (errors, latency).',
  tags: ['repair-bot', 'telegram'],
  panels: [
    {
      title: 'Updates per second',
      type: 'stat',
      unit: 'ops',
      w: 8,
      queries: [{ expr: `sum(${UPDATES})`, instant: true }],
    },
    {
      title: 'Handler p95 (5m)',
      type: 'stat',
      unit: 's',
      w: 8,
      steps: [
        [0.1, 'orange'],
        [1, 'red'],
      ],
      queries: [{ expr: quantile(0.95, HANDLER_BUCKETS), instant: true }],
    },
    {
      title: 'Bot API error ratio (5m)',
      type: 'stat',
      unit: 'percentunit',
      w: 8,
      steps: [
        [0.01, 'orange'],
        [0.1, 'red'],
      ],
      queries: [{ expr: `(sum(${API_CALLS}{outcome="error"}) or vector(0)) / sum(${API_CALLS})`, instant: true }],
    },
    {
      title: 'Updates per second by type',
      type: 'timeseries',
      unit: 'ops',
      stack: true,
      queries: [{ expr: `sum by (update_type) (${UPDATES})`, legend: '{{update_type}}' }],
    },
    {
      title: 'Updates per second by handler',
      type: 'timeseries',
      unit: 'ops',
      stack: true,
      queries: [{ expr: `sum by (handler) (${UPDATES})`, legend: '{{handler}}' }],
    },
    {
      title: 'Handler latency p95 by handler',
      type: 'timeseries',
      unit: 's',
      sloLine: 0.1,
      queries: [{ expr: quantile(0.95, HANDLER_BUCKETS, ['handler']), legend: '{{handler}}' }],
    },
    {
      title: 'Handler latency p50 / p95 / p99 with traces',
      description: 'Raw histograms, so exemplars link to the trace of an update in Tempo.',
      type: 'timeseries',
      unit: 's',
      sloLine: 0.1,
      queries: [
        { expr: quantile(0.5, 'rate(telegram_bot_update_duration_seconds_bucket[$__rate_interval])'), legend: 'p50' },
        { expr: quantile(0.95, 'rate(telegram_bot_update_duration_seconds_bucket[$__rate_interval])'), legend: 'p95' },
        { expr: quantile(0.99, 'rate(telegram_bot_update_duration_seconds_bucket[$__rate_interval])'), legend: 'p99', exemplar: true },
      ],
    },
    {
      title: 'Bot API calls per second by method and outcome',
      type: 'timeseries',
      unit: 'ops',
      queries: [{ expr: `sum by (method, outcome) (${API_CALLS})`, legend: '{{method}} {{outcome}}' }],
    },
    {
      title: 'Bot API errors per second by method',
      description: 'Calls that did not succeed (after the 429 retries of the auto-retry plugin).',
      type: 'timeseries',
      unit: 'ops',
      queries: [{ expr: `sum by (method) (${API_CALLS}{outcome="error"}) or 0 * sum by (method) (${API_CALLS})`, legend: '{{method}}' }],
    },
    {
      title: 'Bot API latency p95 by method',
      type: 'timeseries',
      unit: 's',
      queries: [{ expr: quantile(0.95, 'rate(telegram_bot_api_request_duration_seconds_bucket[5m])', ['method']), legend: '{{method}}' }],
    },
  ],
});
