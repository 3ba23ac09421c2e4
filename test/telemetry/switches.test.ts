import { describe, expect, it } from 'vitest';
import { noopObserver } from '../../src/db/observer.ts';
import { eventually } from '../support/eventually.ts';
import { tracingActive } from '../../src/telemetry/tracing.ts';
import { useService } from './support.ts';

/**
 * Instrumentation off (METRICS_ENABLED=false, and OTEL_SDK_DISABLED=true as
 * the suite runs): the service runs with no observer around queries, no
 * /metrics, and only the request log (failed and slow requests at info) in
 * front of requests, so the cost of instrumentation can be measured against
 * it. Nothing here is slow by the threshold, however busy the machine.
 */
const svc = useService({ METRICS_ENABLED: 'false', SLOW_QUERY_MS: '600000' });

describe('instrumentation switched off', () => {
  it('serves no /metrics and observes no query', async () => {
    // Action
    const metrics = await svc.get('/metrics');
    const ready = await svc.get('/readyz');
    // Assertions
    expect(tracingActive()).toBe(false);
    expect(metrics.status).toBe(404);
    expect(ready.status).toBe(200);
    expect(svc.service.telemetry.metrics).toBeNull();
    expect(svc.service.telemetry.observer).toBeUndefined();
    expect(svc.service.db.observer).toBe(noopObserver);
  });

  it('still logs a failed request, without trace ids, and a fine one only at debug', async () => {
    // Action
    await svc.get('/readyz');
    await svc.get('/no-such-route');
    // Assertions: the line is written when the response has finished, a moment after the client has it
    const failed = await eventually(() => {
      const found = svc.lines.filter((l) => l.msg === 'request' && l.route === 'unmatched');
      expect(found.length).toBeGreaterThanOrEqual(1);
      return found;
    });
    expect(failed[0]).toMatchObject({ method: 'GET', status: 404, level: 'info', duration_ms: expect.any(Number) });
    expect(failed[0]!.trace_id).toBeUndefined();
    // The 200 was answered before the 404, whose line is there: it has none at info.
    expect(svc.lines.filter((l) => l.msg === 'request' && l.route === '/readyz')).toEqual([]);
    expect(svc.service.telemetry.before).toHaveLength(1);
  });
});
