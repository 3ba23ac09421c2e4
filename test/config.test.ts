import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../src/config.ts';

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

  it('treats empty variables as unset', () => {
    expect(loadConfig({ PORT: '', DATABASE_URL: '' })).toMatchObject({ http: { port: 3000 }, databaseUrl: undefined });
  });
});
