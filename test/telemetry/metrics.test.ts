import { randomBytes } from 'node:crypto';
import pg from 'pg';
import type { InMemorySpanExporter } from '@opentelemetry/sdk-trace';
import { beforeAll, describe, expect, it } from 'vitest';
import { orderInput } from '../support/fixtures.ts';
import { parseExposition, seriesOf, type Family } from './exposition.ts';
import { inMemoryTracing, useService } from './support.ts';

/**
 * /metrics of the whole service, scraped over HTTP after real traffic, in
 * both formats, read by a strict parser (exposition.ts).
 */
let exporter: InMemorySpanExporter;
beforeAll(async () => {
  exporter = await inMemoryTracing();
});
const svc = useService();

const auth = () => ({ authorization: `Bearer ${svc.token}`, 'content-type': 'application/json' });

async function scrape(format: 'prometheus' | 'openmetrics'): Promise<{ families: Map<string, Family>; contentType: string | null }> {
  const res = await svc.get('/metrics', format === 'openmetrics' ? { accept: 'application/openmetrics-text; version=1.0.0' } : {});
  expect(res.status).toBe(200);
  return { families: parseExposition(await res.text(), format), contentType: res.headers.get('content-type') };
}

/** Spec metrics: Prometheus-text family name, type, label names. */
const SPEC: Array<[string, string, string[]]> = [
  ['http_server_request_duration_seconds', 'histogram', ['http_request_method', 'http_route', 'http_response_status_code']],
  ['db_client_operation_duration_seconds', 'histogram', ['db_query_name', 'db_operation_name', 'outcome']],
  ['db_client_connection_count', 'gauge', ['state']],
  ['db_client_connection_max', 'gauge', []],
  ['db_client_connection_pending_requests', 'gauge', []],
  ['db_client_connection_wait_time_seconds', 'histogram', []],
  ['db_slow_queries_total', 'counter', ['db_query_name']],
  ['telegram_bot_update_duration_seconds', 'histogram', ['update_type', 'handler']],
  ['telegram_bot_api_request_duration_seconds', 'histogram', ['method', 'outcome']],
  ['repair_orders_created_total', 'counter', []],
  ['repair_order_transitions_total', 'counter', ['from', 'to']],
  ['repair_orders_open', 'gauge', ['status']],
  ['repair_orders_sla_breached', 'gauge', ['status']],
];

const omName = (name: string, type: string) => (type === 'counter' ? name.replace(/_total$/, '') : name);

beforeAll(async () => {
  // Traffic: probes, an unknown path, an order created and refused, and two
  // open orders aged past the NEW SLA (one of them scheduled for later).
  for (let i = 0; i < 3; i++) await svc.get('/readyz');
  await svc.get('/no/such/page');
  const post = (path: string, body: unknown) => fetch(svc.base + path, { method: 'POST', headers: auth(), body: JSON.stringify(body) });
  const refused = (await (await post('/api/v1/orders', orderInput())).json()) as { id: number };
  expect((await post(`/api/v1/orders/${refused.id}/refuse`, { reason: 'client cancelled' })).status).toBe(200);
  const late = (await (await post('/api/v1/orders', orderInput())).json()) as { id: number };
  const planned = (await (await post('/api/v1/orders', orderInput())).json()) as { id: number };
  const client = new pg.Client({ connectionString: (svc.service.db.pool.options as { connectionString?: string }).connectionString });
  await client.connect();
  await client.query(`UPDATE orders SET status_changed_at = now() - interval '3 hours' WHERE id = ANY($1::int8[])`, [[late.id, planned.id]]);
  await client.query(`UPDATE orders SET scheduled_at = now() + interval '1 hour' WHERE id = $1::int8`, [planned.id]);
  await client.end();
  await svc.service.telemetry.refreshGauges();
});

describe('/metrics', () => {
  it('parses as Prometheus text with every spec metric, its type and exactly its labels', async () => {
    // Action
    const { families, contentType } = await scrape('prometheus');
    // Assertions
    expect(contentType).toMatch(/^text\/plain; version=0\.0\.4/);
    for (const [name, type, labels] of SPEC) {
      const f = families.get(name);
      expect(f, name).toBeDefined();
      expect(f!.type, name).toBe(type);
      for (const series of seriesOf(f!)) expect(Object.keys(series).sort(), name).toEqual([...labels].sort());
    }
    for (const name of [
      'process_cpu_seconds_total',
      'process_resident_memory_bytes',
      'nodejs_eventloop_lag_seconds',
      'nodejs_heap_size_used_bytes',
      'nodejs_gc_duration_seconds',
    ]) {
      expect(families.has(name), name).toBe(true);
    }
  });

  it('has 0.1 s as an exact bucket boundary in every histogram', async () => {
    // Action
    const { families } = await scrape('prometheus');
    // Assertions
    const histograms = [...families.values()].filter((f) => f.type === 'histogram' && f.samples.length > 0);
    expect(histograms.length).toBeGreaterThanOrEqual(3);
    for (const f of histograms) {
      const bounds = new Set(f.samples.filter((s) => s.name.endsWith('_bucket')).map((s) => s.labels.le));
      expect(bounds, f.name).toContain('0.1');
    }
    // Histograms without observations yet (the bot's here) show no buckets: check their configuration.
    const configured = svc.service.telemetry.metrics!.registry.getMetricsAsArray() as unknown as Array<{ name: string; type: string; upperBounds?: number[] }>;
    const all = configured.filter((m) => m.type === 'histogram');
    expect(all.map((m) => m.name)).toEqual(expect.arrayContaining(['telegram_bot_update_duration_seconds', 'telegram_bot_api_request_duration_seconds']));
    for (const m of all) expect(m.upperBounds, m.name).toContain(0.1);
  });

  it('counts requests by route template and the traffic by query name, pool state and business outcome', async () => {
    // Action
    const { families } = await scrape('prometheus');
    // Assertions
    const count = (name: string, labels: Record<string, string>) =>
      families.get(name)!.samples.find((s) => s.name === name && Object.entries(labels).every(([k, v]) => s.labels[k] === v))?.value;
    const requests = families.get('http_server_request_duration_seconds')!.samples.filter((s) => s.name.endsWith('_count'));
    const readyz = requests.find((s) => s.labels.http_route === '/readyz' && s.labels.http_response_status_code === '200');
    expect(readyz?.value).toBeGreaterThanOrEqual(3);
    expect(requests.some((s) => s.labels.http_route === '/api/v1/orders/:id/refuse' && s.labels.http_request_method === 'POST')).toBe(true);
    expect(requests.find((s) => s.labels.http_route === 'unmatched')?.labels.http_response_status_code).toBe('404');
    const queries = families.get('db_client_operation_duration_seconds')!.samples.filter((s) => s.name.endsWith('_count'));
    expect(queries.find((s) => s.labels.db_query_name === 'schema.list_applied_migrations')?.labels).toMatchObject({
      db_operation_name: 'SELECT',
      outcome: 'success',
    });
    expect(new Set(seriesOf(families.get('db_client_connection_count')!).map((s) => s.state))).toEqual(new Set(['idle', 'used']));
    expect(count('db_client_connection_max', {})).toBe(20);
    expect(count('repair_orders_created_total', {})).toBe(3);
    expect(count('repair_order_transitions_total', { from: 'NEW', to: 'REFUSED' })).toBe(1);
    expect(count('repair_order_transitions_total', { from: 'NEW', to: 'ASSIGNED' })).toBe(0);
    expect(count('repair_orders_open', { status: 'NEW' })).toBe(2);
    expect(count('repair_orders_sla_breached', { status: 'NEW' })).toBe(1);
    expect(count('repair_orders_sla_breached', { status: 'ASSIGNED' })).toBe(0);
  });

  it('parses as OpenMetrics when asked, with exemplars whose trace_id is a recorded span', async () => {
    // Setup
    await svc.get('/readyz');
    // Action
    const { families, contentType } = await scrape('openmetrics');
    // Assertions
    expect(contentType).toMatch(/^application\/openmetrics-text; version=1\.0\.0/);
    for (const [name, type] of SPEC) expect(families.get(omName(name, type))?.type, name).toBe(type);
    const spans = exporter.getFinishedSpans();
    const exemplars = families.get('http_server_request_duration_seconds')!.samples.filter((s) => s.exemplar);
    const readyz = exemplars.find((s) => s.labels.http_route === '/readyz');
    expect(readyz?.exemplar?.labels.trace_id).toMatch(/^[0-9a-f]{32}$/);
    const span = spans.find(
      (s) => s.spanContext().traceId === readyz!.exemplar!.labels.trace_id && s.spanContext().spanId === readyz!.exemplar!.labels.span_id,
    );
    expect(span?.name).toBe('GET /readyz');
    const dbExemplar = families
      .get('db_client_operation_duration_seconds')!
      .samples.find((s) => s.exemplar && s.labels.db_query_name === 'schema.list_applied_migrations');
    expect(spans.find((s) => s.spanContext().spanId === dbExemplar?.exemplar?.labels.span_id)?.name).toBe('schema.list_applied_migrations');
  });

  it("answers Prometheus's own Accept header with OpenMetrics and a plain client with text", async () => {
    // Setup
    const prometheus =
      'application/openmetrics-text;version=1.0.0;q=0.5,application/openmetrics-text;version=0.0.1;q=0.4,text/plain;version=0.0.4;q=0.3,*/*;q=0.2';
    // Action
    const scraper = await svc.get('/metrics', { accept: prometheus });
    const curl = await svc.get('/metrics', { accept: '*/*' });
    // Assertions
    expect(scraper.headers.get('content-type')).toMatch(/^application\/openmetrics-text/);
    expect((await scraper.text()).endsWith('# EOF\n')).toBe(true);
    expect(curl.headers.get('content-type')).toMatch(/^text\/plain/);
  });

  it('keeps counter names intact in Prometheus text after an OpenMetrics scrape', async () => {
    // Setup
    await scrape('openmetrics');
    // Action
    const { families } = await scrape('prometheus');
    // Assertions
    expect(families.get('repair_orders_created_total')?.samples[0]?.name).toBe('repair_orders_created_total');
    expect(families.has('repair_orders_created')).toBe(false);
  });

  it('adds no series for a burst of requests to random unknown paths', async () => {
    // Setup
    const before = await scrape('prometheus');
    const token = randomBytes(6).toString('hex');
    // Action
    await Promise.all(Array.from({ length: 100 }, (_, i) => svc.get(`/${token}/${i}/${randomBytes(4).toString('hex')}?q=${i}`)));
    await Promise.all(Array.from({ length: 20 }, (_, i) => fetch(`${svc.base}/api/v1/${token}${i}`, { method: 'DELETE' })));
    // Assertions
    const after = await scrape('prometheus');
    const series = (m: Map<string, Family>) => seriesOf(m.get('http_server_request_duration_seconds')!);
    const known = new Set(series(before.families).map((s) => JSON.stringify(s)));
    const added = series(after.families).filter((s) => !known.has(JSON.stringify(s)));
    // At most the DELETE method joins the one unmatched route; never a path.
    expect(added.length).toBeLessThanOrEqual(1);
    for (const s of added) expect(s).toEqual({ http_request_method: 'DELETE', http_route: 'unmatched', http_response_status_code: '404' });
    const text = await (await svc.get('/metrics')).text();
    expect(text).not.toContain(token);
  });

  it('is served only from GET /metrics, as a route of its own', async () => {
    // Action
    const res = await fetch(`${svc.base}/metrics`, { method: 'POST' });
    // Assertions
    expect(res.status).toBe(404);
  });
});
