import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningService } from '../../src/app-runtime.ts';
import { useTestDatabase } from '../support/db.ts';
import { eventually } from '../support/eventually.ts';
import { expandForLiveRun, loadDashboards, type Dashboard, type Panel, type Target } from './support/dashboards.ts';
import { readText } from './support/files.ts';
import { startPostgresExporter, type Exporter } from './support/postgres-exporter.ts';
import { startPrometheus, type PrometheusServer } from './support/prometheus-server.ts';
import { alertRules, recordingRules, ruleGroups } from './support/rules.ts';
import { startTelegramStub, type TelegramStub } from '../support/telegram-stub.ts';
import { driveRound, postBotUpdate, prepareTraffic, runSlowQuery, startLiveService } from './support/live-service.ts';

/**
 * The real Prometheus server scrapes the real service (and Debian's
 * postgres-exporter) on the embedded PostgreSQL with the stack's rules, and
 * every dashboard query, alert and recording rule runs through its HTTP API.
 */

/**
 * Panels that cannot have data in this run, each with the reason. The test
 * fails when one of them does have data, so the list cannot go stale.
 */
const EXEMPT: Record<string, string> = {
  'repair-bot-database/Top 10 statements by time spent (pg_stat_statements)':
    "pg_stat_statements_* come from postgres-exporter's stat_statements collector (0.13+, in the stack's 0.17 image); Debian's exporter here is 0.11, without it, and the Go module proxy refuses the exporter's module",
  'repair-bot-database/Top 10 statements by calls (pg_stat_statements)': 'same as the pg_stat_statements table above',
};

const t = useTestDatabase();
let service: RunningService;
let botApi: TelegramStub;
let exporter: Exporter;
let prom: PrometheusServer;

function panelsOf(d: Dashboard): Array<{ key: string; panel: Panel; targets: Target[] }> {
  return d.panels.map((panel) => ({ key: `${d.uid}/${panel.title}`, panel, targets: panel.targets ?? [] }));
}

/** Runs a panel's PromQL the way Grafana would: instant for stat/table panels, else a range. */
async function evaluate(d: Dashboard, target: Target) {
  const expr = expandForLiveRun(target.expr ?? '', d.templating.list);
  return target.instant ? prom.query(expr) : prom.queryRange(expr, 120);
}

/** Runs a panel's SQL as Grafana's reporting role, with Grafana's time macros expanded. */
async function evaluateSql(sql: string): Promise<number> {
  const from = `'${new Date(Date.now() - 7 * 86_400_000).toISOString()}'`;
  const to = `'${new Date(Date.now() + 60_000).toISOString()}'`;
  const client = new pg.Client({ connectionString: t.url });
  await client.connect();
  try {
    await client.query('SET ROLE grafana_reader');
    const res = await client.query(sql.replaceAll('$__timeFrom()', from).replaceAll('$__timeTo()', to));
    return res.rowCount ?? 0;
  } finally {
    await client.end();
  }
}

/** The stack's postgres init for the reporting role and functions, applied to this test database. */
async function installReporting(): Promise<void> {
  const client = new pg.Client({ connectionString: t.url });
  await client.connect();
  try {
    // Roles are cluster-wide; in the stack 10-roles.sh creates it (with LOGIN and a password).
    await client.query(`DO $$ BEGIN CREATE ROLE grafana_reader NOLOGIN; EXCEPTION WHEN duplicate_object OR unique_violation THEN NULL; END $$`);
    await client.query(readText('postgres/init/20-reporting.sql'));
  } finally {
    await client.end();
  }
}

async function everyPanelHasData(): Promise<string[]> {
  const empty: string[] = [];
  for (const { json } of loadDashboards()) {
    for (const { key, targets } of panelsOf(json)) {
      if (EXEMPT[key]) continue;
      for (const target of targets) {
        if (target.rawSql) continue;
        const res = await evaluate(json, target);
        if (res.status !== 'success' || res.data.result.length === 0) empty.push(`${key} [${target.refId}]`);
      }
    }
  }
  return empty;
}

beforeAll(async () => {
  botApi = await startTelegramStub();
  service = await startLiveService(t.url, botApi.url);
  exporter = await startPostgresExporter(t.url);
  prom = await startPrometheus({ 'repair-bot': `127.0.0.1:${service.http.port}`, postgres: exporter.address });
  await installReporting();
  const traffic = await prepareTraffic(service, t.db);
  // Rounds a scrape apart, so every rate() sees counters move between samples.
  for (let round = 1; round <= 4; round++) {
    await driveRound(traffic, round);
    // The bot (webhook mode, stub Bot API) handles a /start: update and Bot API
    // metrics; once, Telegram refuses the reply, as it does for a blocked bot.
    if (round === 3) botApi.failNext('sendMessage', { errorCode: 403, description: 'Forbidden: bot was blocked by the user' });
    const botStatus = await postBotUpdate(traffic, 1000 + round);
    if (botStatus !== 200) throw new Error(`the webhook answered ${botStatus}`);
    if (round % 2 === 0) await runSlowQuery(service.db, 0.12);
    await service.telemetry.refreshGauges();
    await prom.nextScrape('repair-bot');
  }
  // Recording rules evaluate every second; wait until dashboards can see them.
  await eventually(async () => expect(await everyPanelHasData()).toEqual([]), { timeout: 30_000, interval: 1000, what: 'every panel to have data' });
}, 90_000);

afterAll(async () => {
  await prom?.stop();
  await exporter?.stop();
  await service?.stop();
  await botApi?.close();
});

describe('the stack against a real Prometheus and the running service', () => {
  it('scrapes the service and postgres-exporter', async () => {
    // Action
    const up = await prom.query('up');

    // Assertions
    const jobs = Object.fromEntries(up.data.result.map((s) => [s.metric.job, s.value?.[1]]));
    expect(jobs).toEqual({ 'repair-bot': '1', postgres: '1' });
  });

  it('accepts remote writes (k6) on /api/v1/write', async () => {
    // Action: an empty body is not valid snappy; a server without the receiver answers 404.
    const res = await fetch(`${prom.url}/api/v1/write`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-protobuf', 'content-encoding': 'snappy' },
      body: '',
    });
    await res.arrayBuffer();

    // Assertions
    expect(res.status).toBe(400);
  });

  it('loads every rule and evaluates each without error', async () => {
    // Action
    const loaded = await prom.rules();

    // Assertions
    const expected = ruleGroups().flatMap((g) => g.rules.map((r) => r.alert ?? r.record));
    expect(loaded.map((r) => r.name).sort()).toEqual(expected.sort());
    for (const rule of loaded)
      expect({ rule: rule.name, health: rule.health, error: rule.lastError ?? '' }).toEqual({ rule: rule.name, health: 'ok', error: '' });
  });

  it('parses and runs every alert and recording rule expression through the query API', async () => {
    for (const rule of [...alertRules(), ...recordingRules()]) {
      // Action
      const res = await prom.query(rule.expr);

      // Assertions
      expect({ rule: rule.alert ?? rule.record, status: res.status, error: res.error ?? '' }).toEqual({
        rule: rule.alert ?? rule.record,
        status: 'success',
        error: '',
      });
    }
  });

  it('returns data for every recording rule the dashboards read', async () => {
    const queried = loadDashboards()
      .flatMap(({ json }) => panelsOf(json).filter(({ key }) => !EXEMPT[key]))
      .flatMap(({ targets }) => targets.map((target) => target.expr ?? ''))
      .join('\n');
    const used = recordingRules().filter((r) => queried.includes(r.record ?? ''));
    expect(used.length).toBeGreaterThan(8);
    for (const rule of used) {
      const res = await prom.query(rule.record ?? '');
      expect(res.data.result.length, `${rule.record} has no data`).toBeGreaterThan(0);
    }
  });

  it('parses every dashboard query, and every panel returns data (exemptions listed with reasons)', async () => {
    // Setup
    const failures: string[] = [];
    const emptyPanels: string[] = [];
    let queries = 0;

    // Action
    for (const { json } of loadDashboards()) {
      for (const { key, targets } of panelsOf(json)) {
        let rows = 0;
        for (const target of targets) {
          queries++;
          if (target.rawSql) {
            rows += await evaluateSql(target.rawSql).catch((err: Error) => {
              failures.push(`${key} [${target.refId}]: ${err.message}`);
              return 0;
            });
            continue;
          }
          const res = await evaluate(json, target);
          if (res.status !== 'success') failures.push(`${key} [${target.refId}]: ${res.error}`);
          else if (res.data.result.length === 0 && !EXEMPT[key]) failures.push(`${key} [${target.refId}]: no data`);
          rows += res.data?.result.length ?? 0;
        }
        if (rows === 0) emptyPanels.push(key);
      }
    }

    // Assertions
    expect(queries).toBeGreaterThan(50);
    expect(failures).toEqual([]);
    expect(emptyPanels.sort(), 'exempt panels that now have data: remove them from EXEMPT').toEqual(Object.keys(EXEMPT).sort());
  });

  it('sees the label values that rules and panels select on, as the service emits them', async () => {
    // Action
    const botErrors = await prom.query('sum by (method) (telegram_bot_api_request_duration_seconds_count{outcome="error"})');
    const apiRoutes = await prom.get<string[]>('/api/v1/label/http_route/values', { 'match[]': 'http_server_request_duration_seconds_count' });
    const dbOutcomes = await prom.get<string[]>('/api/v1/label/outcome/values', { 'match[]': 'db_client_operation_duration_seconds_count' });

    // Assertions
    expect(botErrors.data.result.map((r) => r.metric.method)).toEqual(['sendMessage']);
    expect(apiRoutes.data.filter((r) => r.startsWith('/api/')).length).toBeGreaterThan(5);
    expect(apiRoutes.data).toEqual(expect.arrayContaining(['/healthz', '/readyz', '/metrics']));
    expect(dbOutcomes.data).toContain('success');
  });

  it("finds values for every dashboard variable's label_values()", async () => {
    for (const { json } of loadDashboards()) {
      for (const v of json.templating.list) {
        // Setup
        const query = typeof v.query === 'string' ? v.query : v.query.query;
        const [, metric, label] = /^label_values\((\w+),\s*(\w+)\)$/.exec(query) ?? [];

        // Action
        const res = await prom.get<string[]>(`/api/v1/label/${label}/values`, { 'match[]': metric ?? '' });

        // Assertions
        expect(res.data.length, `${json.uid} $${v.name}`).toBeGreaterThan(0);
      }
    }
  });
});
