import { readdirSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { readText, readYaml, run } from './support/files.ts';
import { alertRules, RULE_FILES } from './support/rules.ts';

interface PromtoolTests {
  rule_files: string[];
  tests: Array<{ name: string; alert_rule_test?: Array<{ alertname: string; exp_alerts?: unknown[] }> }>;
}

const TEST_FILES = readdirSync(new URL('../../prometheus/tests/', import.meta.url))
  .filter((f) => f.endsWith('.test.yml'))
  .map((f) => `prometheus/tests/${f}`);

/** GitHub's anchor for a Markdown heading. */
const anchor = (heading: string) =>
  heading
    .trim()
    .toLowerCase()
    .replace(/[^a-z0-9 -]/g, '')
    .replace(/ /g, '-');

describe('Prometheus configuration and rules (promtool)', () => {
  it('promtool check config accepts prometheus.yml and the rule files it loads', async () => {
    // Action
    const result = await run('promtool', ['check', 'config', 'prometheus/prometheus.yml']);

    // Assertions
    expect(result.stdout + result.stderr).toContain('SUCCESS');
    expect(result.code, result.stderr).toBe(0);
    for (const file of RULE_FILES) expect(result.stdout + result.stderr).toContain(file.replace('prometheus/', ''));
  });

  it('promtool check rules accepts every rule file', async () => {
    // Action
    const result = await run('promtool', ['check', 'rules', ...RULE_FILES]);

    // Assertions
    expect(result.code, result.stdout + result.stderr).toBe(0);
    expect(result.stdout.match(/SUCCESS/g)?.length).toBe(RULE_FILES.length);
  });

  it('promtool test rules passes', async () => {
    // Action
    const result = await run('promtool', ['test', 'rules', ...TEST_FILES]);

    // Assertions
    expect(result.code, result.stdout + result.stderr).toBe(0);
    expect(result.stdout).toContain('SUCCESS');
  });

  it('unit-tests every alert with a firing and a not-firing case, against every rule file', () => {
    // Setup
    const suites = TEST_FILES.map((f) => readYaml<PromtoolTests>(f));
    const cases = suites.flatMap((s) => s.tests.flatMap((t) => t.alert_rule_test ?? []));

    // Assertions
    for (const suite of suites) {
      expect(suite.rule_files.map((f) => f.replace('../', 'prometheus/')).sort()).toEqual(RULE_FILES);
    }
    for (const rule of alertRules()) {
      const mine = cases.filter((c) => c.alertname === rule.alert);
      expect(
        mine.some((c) => (c.exp_alerts ?? []).length > 0),
        `${rule.alert} firing case`,
      ).toBe(true);
      expect(
        mine.some((c) => (c.exp_alerts ?? []).length === 0),
        `${rule.alert} not-firing case`,
      ).toBe(true);
    }
  });

  it('gives every alert a severity, a summary, a description and a runbook section that exists', () => {
    // Setup
    const runbooks = readText('docs/runbooks.md');
    const anchors = new Set([...runbooks.matchAll(/^#{2,3} (.+)$/gm)].map((m) => anchor(m[1] ?? '')));
    const routed = readText('alertmanager/alertmanager.yml');

    // Assertions
    expect(alertRules().length).toBeGreaterThanOrEqual(8);
    for (const rule of alertRules()) {
      expect(['page', 'warning', 'ticket'], `${rule.alert} severity`).toContain(rule.labels?.severity);
      expect(rule.annotations?.summary, `${rule.alert} summary`).toBeTruthy();
      expect(rule.annotations?.description, `${rule.alert} description`).toBeTruthy();
      const url = rule.annotations?.runbook_url ?? '';
      expect(url, `${rule.alert} runbook_url`).toMatch(/^docs\/runbooks\.md#/);
      expect(anchors.has(url.split('#')[1] ?? ''), `${url} has no heading in docs/runbooks.md`).toBe(true);
    }
    expect(routed).toContain('severity="page"');
  });

  it('has the alerts the spec asks for', () => {
    const exprs = Object.fromEntries(alertRules().map((r) => [r.alert, r.expr]));
    expect(exprs.ApiLatencyP95High).toMatch(/histogram_quantile\(0\.95/);
    expect(exprs.SlowQueries).toContain('db_slow_queries_total');
    expect(exprs.Http5xxRatioHigh).toContain('5..');
    expect(exprs.DbPoolSaturated).toContain('db_client_connection_max');
    expect(exprs.PostgresDown).toContain('pg_up');
    expect(exprs.OrdersSlaBreached).toContain('repair_orders_sla_breached');
    expect(exprs.TelegramBotApiErrors).toContain('telegram_bot_api_requests');
    // Multi-window multi-burn-rate for 99.9%: 14.4x over 1h and 5m, 6x over 6h and 30m.
    expect(exprs.ErrorBudgetBurnFast).toMatch(/ratio_rate1h > \(14\.4 \* 0\.001\)[\s\S]*ratio_rate5m > \(14\.4 \* 0\.001\)/);
    expect(exprs.ErrorBudgetBurnFast).toMatch(/ratio_rate6h > \(6 \* 0\.001\)[\s\S]*ratio_rate30m > \(6 \* 0\.001\)/);
    expect(exprs.ErrorBudgetBurnSlow).toMatch(/ratio_rate3d > 0\.001[\s\S]*ratio_rate6h > 0\.001/);
  });

  it('scrapes the service and postgres-exporter', () => {
    type ScrapeConfig = {
      job_name: string;
      static_configs?: Array<{ targets: string[] }>;
      dns_sd_configs?: Array<{ names: string[]; type: string; port: number }>;
    };
    const config = readYaml<{ scrape_configs: ScrapeConfig[] }>('prometheus/prometheus.yml');
    const targets = Object.fromEntries(
      config.scrape_configs.map((c) => [
        c.job_name,
        [...(c.static_configs ?? []).flatMap((s) => s.targets), ...(c.dns_sd_configs ?? []).flatMap((d) => d.names.map((n) => `${n}:${d.port}`))],
      ]),
    );
    // Every app instance (docker compose up --scale app=N) through Docker's DNS: one A record per instance.
    expect(config.scrape_configs.find((c) => c.job_name === 'repair-bot')!.dns_sd_configs).toMatchObject([{ type: 'A' }]);
    expect(targets['repair-bot']).toEqual(['app:3000']);
    expect(targets.postgres).toEqual(['postgres-exporter:9187']);
  });
});

describe('Alertmanager configuration', () => {
  it('amtool check-config accepts alertmanager.yml', async () => {
    // Action
    const result = await run('amtool', ['check-config', 'alertmanager/alertmanager.yml']);

    // Assertions
    expect(result.code, result.stdout + result.stderr).toBe(0);
    expect(result.stdout).toContain('SUCCESS');
  });
});
