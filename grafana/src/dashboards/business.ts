import { dashboard } from '../kit.ts';

const CLOSED = 'repair_order_transitions_total{to="CLOSED"}';
/** Revenue comes from PostgreSQL: no metric carries money (see postgres/init/20-reporting.sql). */
const REVENUE = 'SELECT day AS "time", revenue, company_share FROM reporting.revenue_by_day($__timeFrom(), $__timeTo())';

export const businessDashboard = dashboard({
  uid: 'repair-bot-business',
  title: 'Repair Bot / Business',
  description: 'Orders created and closed, the pipeline by status, SLA breaches and revenue.',
  tags: ['repair-bot', 'business'],
  time: 'now-7d',
  panels: [
    {
      title: 'Orders created',
      description: 'In the selected time range.',
      type: 'stat',
      unit: 'short',
      w: 4,
      queries: [{ expr: 'sum(increase(repair_orders_created_total[$__range]))', instant: true }],
    },
    {
      title: 'Orders closed',
      description: 'Settled (COMPLETED -> CLOSED) in the selected time range.',
      type: 'stat',
      unit: 'short',
      w: 4,
      queries: [{ expr: `sum(increase(${CLOSED}[$__range])) or vector(0)`, instant: true }],
    },
    {
      title: 'Open orders',
      type: 'stat',
      unit: 'short',
      w: 4,
      queries: [{ expr: 'sum(repair_orders_open)', instant: true }],
    },
    {
      title: 'Orders past SLA',
      type: 'stat',
      unit: 'short',
      w: 4,
      steps: [[1, 'red']],
      queries: [{ expr: 'sum(repair_orders_sla_breached)', instant: true }],
    },
    {
      title: 'Revenue',
      description: 'Total of closed orders in the selected time range (from PostgreSQL).',
      type: 'stat',
      unit: 'currencyRUB',
      w: 8,
      sql: [{ sql: 'SELECT coalesce(sum(revenue), 0) AS revenue FROM reporting.revenue_by_day($__timeFrom(), $__timeTo())', format: 'table' }],
    },
    {
      title: 'Orders created and closed per hour',
      type: 'timeseries',
      unit: 'short',
      queries: [
        { expr: 'sum(increase(repair_orders_created_total[1h]))', legend: 'created' },
        { expr: `sum(increase(${CLOSED}[1h])) or 0 * sum(increase(repair_orders_created_total[1h]))`, legend: 'closed' },
      ],
    },
    {
      title: 'Pipeline by status',
      type: 'bargauge',
      unit: 'short',
      queries: [{ expr: 'sum by (status) (repair_orders_open)', legend: '{{status}}', instant: true }],
    },
    {
      title: 'Open orders by status',
      type: 'timeseries',
      unit: 'short',
      stack: true,
      queries: [{ expr: 'sum by (status) (repair_orders_open)', legend: '{{status}}' }],
    },
    {
      title: 'Status transitions per hour',
      type: 'timeseries',
      unit: 'short',
      queries: [{ expr: 'sum by (from, to) (increase(repair_order_transitions_total[1h]))', legend: '{{from}} -> {{to}}' }],
    },
    {
      title: 'Orders past SLA by status',
      description: 'SLA: NEW 2 h, ASSIGNED 4 h, ACCEPTED 8 h, IN_PROGRESS 12 h (from the scheduled time when set).',
      type: 'timeseries',
      unit: 'short',
      steps: [[1, 'red']],
      queries: [{ expr: 'sum by (status) (repair_orders_sla_breached)', legend: '{{status}}' }],
    },
    {
      title: 'Revenue and company share per day',
      description: 'Closed orders by day of closing (from PostgreSQL).',
      type: 'timeseries',
      unit: 'currencyRUB',
      sql: [{ sql: REVENUE, format: 'time_series' }],
    },
  ],
});
