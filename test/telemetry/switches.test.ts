import { describe, expect, it } from 'vitest';
import { noopObserver } from '../../src/db/observer.ts';
import { eventually } from '../support/eventually.ts';
import { tracingActive } from '../../src/telemetry/tracing.ts';
import { useService } from './support.ts';

/**
 * Instrumentation off (METRICS_ENABLED=false, and OTEL_SDK_DISABLED=true as
 * the suite runs): the service runs with no observer around queries, no
 * /metrics, and only the request log in front of requests, so the cost of
 * instrumentation can be measured against it.
 */
const svc = useService({ METRICS_ENABLED: 'false' });

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

  it('still writes one request log line per request, without trace ids', async () => {
    // Action
    await svc.get('/readyz');
    // Assertions: the line is written when the response has finished, a moment after the client has it
    const requests = await eventually(() => {
      const found = svc.lines.filter((l) => l.msg === 'request' && l.route === '/readyz');
      expect(found.length).toBeGreaterThanOrEqual(1);
      return found;
    });
    expect(requests.length).toBeGreaterThanOrEqual(1);
    expect(requests[0]).toMatchObject({ method: 'GET', status: 200, duration_ms: expect.any(Number) });
    expect(requests[0]!.trace_id).toBeUndefined();
    expect(svc.service.telemetry.before).toHaveLength(1);
  });
});
