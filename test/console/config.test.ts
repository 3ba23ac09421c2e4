import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../src/config.ts';

describe('console settings', () => {
  it('have defaults, and the public URL falls back to the webhook origin', () => {
    // Action
    const plain = loadConfig({});
    const withWebhook = loadConfig({ TELEGRAM_WEBHOOK_URL: 'https://bot.example.com/api/v1/telegram/webhook', TELEGRAM_WEBHOOK_SECRET: 's3cret' });
    const explicit = loadConfig({ CONSOLE_PUBLIC_URL: 'https://repair.example.com/', DATABASE_LISTEN_URL: 'postgres://u@db:5432/repair' });

    // Assertions
    expect(plain.console).toEqual({
      publicUrl: undefined,
      sessionTtlSeconds: 12 * 3600,
      loginLinkTtlSeconds: 600,
      initDataMaxAgeSeconds: 3600,
      heartbeatSeconds: 15,
      assetsDir: undefined,
    });
    expect(plain.databaseListenUrl).toBeUndefined();
    expect(withWebhook.console.publicUrl).toBe('https://bot.example.com');
    expect(explicit.console.publicUrl).toBe('https://repair.example.com');
    expect(explicit.databaseListenUrl).toBe('postgres://u@db:5432/repair');
  });

  it('name each bad variable', () => {
    // Action
    const err = (() => {
      try {
        loadConfig({ CONSOLE_PUBLIC_URL: 'ftp://x', CONSOLE_SESSION_TTL_HOURS: '0', CONSOLE_LOGIN_LINK_TTL_SECONDS: 'soon', DATABASE_LISTEN_URL: 'mysql://x' });
      } catch (e) {
        return e as ConfigError;
      }
      throw new Error('accepted');
    })();

    // Assertions
    expect(err.problems.map((p) => p.split(':')[0]).sort()).toEqual([
      'CONSOLE_LOGIN_LINK_TTL_SECONDS',
      'CONSOLE_PUBLIC_URL',
      'CONSOLE_SESSION_TTL_HOURS',
      'DATABASE_LISTEN_URL',
    ]);
  });
});
