import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../src/config.ts';

/** The HTTP edge's settings from the environment: trusted proxies and request timeouts. */
describe('TRUST_PROXY and HTTP timeouts', () => {
  it('default to no trusted proxy and short timeouts', () => {
    // Action
    const { http } = loadConfig({});

    // Assertions
    expect(http).toMatchObject({ trustProxy: false, headersTimeoutMs: 10_000, requestTimeoutMs: 30_000 });
  });

  it.each([
    ['1', 1],
    ['true', true],
    ['false', false],
    ['loopback, 10.0.0.0/8', 'loopback, 10.0.0.0/8'],
  ])('reads TRUST_PROXY=%s as express takes it', (value, expected) => {
    expect(loadConfig({ TRUST_PROXY: value }).http.trustProxy).toEqual(expected);
  });

  it('refuses a TRUST_PROXY that is no address list, and a headers timeout past the request timeout', () => {
    // Action
    const attempt = () => loadConfig({ TRUST_PROXY: 'anyone; please', HTTP_HEADERS_TIMEOUT_MS: '40000', HTTP_REQUEST_TIMEOUT_MS: '30000' });

    // Assertions
    expect(attempt).toThrow(ConfigError);
    try {
      attempt();
    } catch (err) {
      const problems = (err as ConfigError).problems.join('\n');
      expect(problems).toMatch(/^TRUST_PROXY: /m);
      expect(problems).toMatch(/^HTTP_HEADERS_TIMEOUT_MS: must not exceed HTTP_REQUEST_TIMEOUT_MS/m);
    }
  });
});
