import { SpanKind } from '@opentelemetry/api';
import type { InMemorySpanExporter, ReadableSpan } from '@opentelemetry/sdk-trace';
import { beforeAll, describe, expect, it } from 'vitest';
import { orderInput } from '../support/fixtures.ts';
import { eventually } from '../support/eventually.ts';
import { childrenOf, inMemoryTracing, useService } from './support.ts';

/**
 * Span trees of real requests through the whole service (startService),
 * recorded by the SDK started as in production with an in-memory exporter.
 */
let exporter: InMemorySpanExporter;
beforeAll(async () => {
  exporter = await inMemoryTracing();
});
const svc = useService();

function serverSpan(name: string): ReadableSpan {
  const found = exporter.getFinishedSpans().filter((s) => s.kind === SpanKind.SERVER && s.name === name);
  expect(found.map((s) => s.name)).toEqual([name]);
  return found[0]!;
}

/** Spans end asynchronously after the response: wait until `name` has been exported. */
async function waitForSpan(name: string): Promise<void> {
  await eventually(() => expect(exporter.getFinishedSpans().map((s) => s.name)).toContain(name), { what: `the span ${name}` });
}

describe('HTTP request traces', () => {
  it('GET /readyz is one server span named by its route, with its SQL as child spans named by query', async () => {
    // Setup
    exporter.reset();
    // Action
    const res = await svc.get('/readyz');
    await waitForSpan('GET /readyz');
    // Assertions
    expect(res.status).toBe(200);
    const root = serverSpan('GET /readyz');
    expect(root.attributes['http.route']).toBe('/readyz');
    expect(root.parentSpanContext).toBeUndefined();
    const children = childrenOf(exporter.getFinishedSpans(), root);
    expect(children.map((s) => s.name)).toContain('schema.list_applied_migrations');
    const sql = children.find((s) => s.name === 'schema.list_applied_migrations')!;
    expect(sql.kind).toBe(SpanKind.CLIENT);
    expect(sql.attributes).toMatchObject({ 'db.system.name': 'postgresql', 'db.operation.name': 'SELECT', 'db.response.returned_rows': expect.any(Number) });
  });

  it('an order read: server span named by the route template, SQL children without parameter values', async () => {
    // Setup
    const created = await fetch(`${svc.base}/api/v1/orders`, {
      method: 'POST',
      headers: { authorization: `Bearer ${svc.token}`, 'content-type': 'application/json' },
      body: JSON.stringify(orderInput({ client_phone: '+79161112233' })),
    });
    expect(created.status).toBe(201);
    const order = (await created.json()) as { id: number };
    exporter.reset();
    // Action
    const res = await svc.get(`/api/v1/orders/${order.id}`, { authorization: `Bearer ${svc.token}` });
    await waitForSpan('GET /api/v1/orders/:id');
    // Assertions
    expect(res.status).toBe(200);
    const root = serverSpan('GET /api/v1/orders/:id');
    const children = childrenOf(exporter.getFinishedSpans(), root);
    const names = children.map((s) => s.name);
    expect(names.length).toBeGreaterThan(0);
    for (const name of names) expect(name).toMatch(/^[a-z]+\.[a-z_]+$/);
    expect(names.some((n) => n.startsWith('orders.'))).toBe(true);
    // SQL spans carry only what describes the statement, never its parameter values.
    const allowed = ['db.system.name', 'db.namespace', 'server.address', 'server.port', 'db.operation.name', 'db.query.summary', 'db.response.returned_rows'];
    for (const span of children) {
      for (const key of Object.keys(span.attributes)) expect(allowed).toContain(key);
      expect(span.attributes['db.query.summary']).toBe(span.name);
    }
    expect(JSON.stringify([root, ...children].map((s) => s.attributes))).not.toContain('79161112233');
  });

  it('a request for an unknown path is named by the one unmatched value', async () => {
    // Setup
    exporter.reset();
    // Action
    const res = await svc.get('/no/such/path/12345');
    await waitForSpan('GET unmatched');
    // Assertions
    expect(res.status).toBe(404);
    expect(serverSpan('GET unmatched').attributes['http.route']).toBe('unmatched');
  });
});
