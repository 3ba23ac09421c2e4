import type { Options } from 'k6/options';
import { resolveFixture, type Fixture } from './lib/fixture.ts';
import { call, pick, reportDay, weighted } from './lib/http.ts';
import { summaryFor, thresholds, TREND_STATS } from './lib/report.ts';

/**
 * Admins' and masters' reports on the big dataset: the period summary and
 * per-master figures for a day, a week, a month, a quarter and a year (the
 * longest period the API allows), one master's figures, and a CSV export
 * of a day. RATE reports/s (default 20) for DURATION (default 1m).
 * Periods are whole local days (reportDay: OFFSET_MINUTES, DAYS=date).
 */
const RATE = Number(__ENV.RATE || 20);
const DURATION = __ENV.DURATION || '1m';
const PERIODS = { day: 0, week: 6, month: 29, quarter: 89, year: 364 } as const;
type Period = keyof typeof PERIODS;
const KINDS = { summary: 40, masters: 30, oneMaster: 20, export: 10 };

const names = [
  ...Object.keys(PERIODS).flatMap((p) => [`GET /reports/summary (${p})`, `GET /reports/masters (${p})`]),
  'GET /reports/masters?master_id (month)',
  'GET /reports/export?format=csv (day)',
];

export const options: Options = {
  scenarios: { reports: { executor: 'constant-arrival-rate', rate: RATE, timeUnit: '1s', duration: DURATION, preAllocatedVUs: 10, maxVUs: 200 } },
  thresholds: thresholds(names, { abort: __ENV.ABORT === 'true' }),
  summaryTrendStats: TREND_STATS,
};

export const setup = resolveFixture;

export default function (fixture: Fixture): void {
  const admin = fixture.admin.token;
  const period = pick(Object.keys(PERIODS) as Period[]);
  const range = `from=${reportDay(PERIODS[period])}&to=${reportDay(-1)}`;
  const kind = weighted(KINDS);
  if (kind === 'summary') call(`GET /reports/summary (${period})`, `/reports/summary?${range}`, { token: admin });
  else if (kind === 'masters') call(`GET /reports/masters (${period})`, `/reports/masters?${range}`, { token: admin });
  else if (kind === 'oneMaster') {
    const master = pick(fixture.masters);
    call('GET /reports/masters?master_id (month)', `/reports/masters?from=${reportDay(29)}&to=${reportDay(-1)}&master_id=${master.id}`, { token: admin });
  } else call('GET /reports/export?format=csv (day)', `/reports/export?from=${reportDay(1)}&to=${reportDay(0)}&format=csv`, { token: admin });
}

export const handleSummary = summaryFor(`reports: ${RATE}/s for ${DURATION}`);
