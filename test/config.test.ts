import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { CONFIG_VARIABLES, ConfigError, loadConfig } from '../src/config.ts';

/** The variables named in the first column of the README's configuration table. */
function readmeVariables(): string[] {
  const readme = readFileSync(path.resolve(import.meta.dirname, '../README.md'), 'utf8');
  const section = readme.slice(readme.indexOf('\n## Configuration'), readme.indexOf('\n## ', readme.indexOf('\n## Configuration') + 1));
  const rows = section.split('\n').filter((line) => /^\| `/.test(line));
  return rows.flatMap((row) => [...(row.split('|')[1] ?? '').matchAll(/`([A-Z][A-Z0-9_]*\*?)`/g)].map((m) => m[1]!));
}

describe('configuration', () => {
  it('has the documented defaults', () => {
    const c = loadConfig({});
    expect(c).toMatchObject({
      databaseUrl: undefined,
      http: { port: 3000 },
      pool: { min: 5, max: 20 },
      slowQueryMs: 100,
      logLevel: 'info',
      reports: { timeZone: 'Europe/Moscow', hour: 9 },
    });
    expect(c.commission).toEqual({ threshold: '7000', rateLow: 40, rateHigh: 50, reviewBonus: 10, outOfCityBonus: 10 });
  });

  it('names every bad variable on its own line', () => {
    try {
      loadConfig({
        PORT: 'eighty',
        PG_POOL_MAX: '0',
        DATABASE_URL: 'mysql://x',
        LOG_LEVEL: 'loud',
        TELEGRAM_BOT_TOKEN: 'nope',
        REPORT_TIMEZONE: 'Mars/Olympus',
      });
      expect.unreachable();
    } catch (err) {
      expect(err).toBeInstanceOf(ConfigError);
      const lines = (err as ConfigError).problems;
      for (const name of ['PORT', 'PG_POOL_MAX', 'DATABASE_URL', 'LOG_LEVEL', 'TELEGRAM_BOT_TOKEN', 'REPORT_TIMEZONE']) {
        expect(
          lines.filter((l) => l.startsWith(`${name}:`)),
          name,
        ).toHaveLength(1);
      }
    }
  });

  it('checks combinations: pool bounds, webhook secret, rates over 100%', () => {
    expect(() => loadConfig({ PG_POOL_MIN: '30', PG_POOL_MAX: '10' })).toThrow(/PG_POOL_MIN: must not exceed PG_POOL_MAX/);
    expect(() => loadConfig({ TELEGRAM_WEBHOOK_URL: 'https://example.org/hook' })).toThrow(/TELEGRAM_WEBHOOK_SECRET: is required/);
    expect(() => loadConfig({ COMMISSION_RATE_HIGH: '90' })).toThrow(/over 100%/);
  });

  it('reports every problem in one go, rules across variables included', () => {
    // Setup: bad single variables and broken combinations together
    const env = { PORT: 'eighty', PG_POOL_MIN: '30', PG_POOL_MAX: '10', TELEGRAM_WEBHOOK_URL: 'https://example.org/hook', COMMISSION_RATE_HIGH: '90' };
    // Action
    const problems = (() => {
      try {
        loadConfig(env);
        return [];
      } catch (err) {
        return (err as ConfigError).problems;
      }
    })();
    // Assertions
    expect(problems.map((p) => p.split(':')[0]).sort()).toEqual(['COMMISSION_RATE_HIGH', 'PG_POOL_MIN', 'PORT', 'TELEGRAM_WEBHOOK_SECRET']);
  });

  it('every variable it reads is in the README table, and the table names no other', () => {
    const documented = readmeVariables();
    // OTEL_* are read by the OpenTelemetry SDK (src/telemetry/tracing.ts), not by config.ts.
    const ours = documented.filter((v) => !v.startsWith('OTEL_'));
    expect(CONFIG_VARIABLES.filter((v) => !documented.includes(v))).toEqual([]);
    expect(ours.filter((v) => !CONFIG_VARIABLES.includes(v))).toEqual([]);
    expect(documented).toContain('OTEL_*');
  });

  it('treats empty variables as unset', () => {
    expect(loadConfig({ PORT: '', DATABASE_URL: '' })).toMatchObject({ http: { port: 3000 }, databaseUrl: undefined });
  });
});
