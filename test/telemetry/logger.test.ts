import { beforeAll, describe, expect, it } from 'vitest';
import { tracer } from '../../src/telemetry/tracing.ts';
import { inMemoryTracing, memoryLogger } from './support.ts';

beforeAll(async () => {
  await inMemoryTracing();
});

describe('JSON logs', () => {
  it('carry trace_id and span_id of the active span on every line', async () => {
    // Setup
    const { logger, lines } = memoryLogger();
    // Action
    const ids = tracer().startActiveSpan('work', (span) => {
      logger.info('inside');
      logger.warn({ step: 2 }, 'still inside');
      span.end();
      return span.spanContext();
    });
    logger.info('outside');
    await new Promise((r) => setImmediate(r));
    // Assertions
    expect(lines.slice(0, 2).map((l) => [l.trace_id, l.span_id])).toEqual([
      [ids.traceId, ids.spanId],
      [ids.traceId, ids.spanId],
    ]);
    expect(lines[2]!.trace_id).toBeUndefined();
  });

  it('mask phone numbers by field, in message text and inside errors', async () => {
    // Setup
    const { logger, lines } = memoryLogger();
    const err = Object.assign(new Error('insert failed for +7 916 123-45-67'), { detail: 'Key (client_phone)=(+79161234567) already exists.' });
    // Action
    logger.info({ phone: '+79161234567', order: { client_phone: '8 (916) 123-45-67' } }, 'call 89161234567 about the order');
    logger.error({ err }, 'write failed');
    await new Promise((r) => setImmediate(r));
    // Assertions
    const text = JSON.stringify(lines);
    expect(text).not.toMatch(/1234567|123-45-67/);
    expect(lines[0]).toMatchObject({ phone: '7916***67', order: { client_phone: '8916***67' }, msg: 'call 8916***67 about the order' });
    expect((lines[1]!.err as { detail: string }).detail).toBe('Key (client_phone)=(7916***67) already exists.');
  });

  it('leave dates, decimals, trace ids and short numbers alone', async () => {
    // Setup
    const { logger, lines } = memoryLogger();
    const msg = 'order 123456 at 2026-11-24 01:36:01 total 12345678.50 trace 4bf92f3577b34da6a3ce929d0e0e4736 id 1234567890123456789012';
    // Action
    logger.info(msg);
    await new Promise((r) => setImmediate(r));
    // Assertions
    expect(lines[0]!.msg).toBe(msg);
  });

  it('remove Bot API tokens from error text', async () => {
    // Setup
    const { logger, lines } = memoryLogger();
    const cause = new Error('request to https://api.example/bot123456:AAH-secret_token_value_123/sendMessage failed');
    // Action
    logger.error({ err: new Error('Network request failed', { cause }) }, 'send failed');
    await new Promise((r) => setImmediate(r));
    // Assertions
    expect(JSON.stringify(lines)).not.toContain('secret_token');
    expect(JSON.stringify(lines)).toContain('/bot<redacted>/sendMessage');
  });
});
