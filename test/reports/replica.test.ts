import type pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually } from '../support/eventually.ts';
import { orderInput } from '../support/fixtures.ts';
import { startPrivatePostgres, type PrivatePostgres } from '../support/private-postgres.ts';
import { startReplica, type Replica } from '../support/replica.ts';
import { startServiceProcess, type ServiceProcess } from '../support/service-process.ts';

/**
 * The real process with REPORTS_DATABASE_URL pointing at a real streaming
 * replica of its own primary: report reads go to the replica (a paused
 * replica shows the old figures), fall back to the primary once it lags
 * past REPORTS_REPLICA_MAX_LAG_SECONDS or stops, and the lag is a metric.
 */
const MAX_LAG_SECONDS = 4;
let primary: PrivatePostgres;
let replica: Replica;
let service: ServiceProcess | undefined;
let admin: pg.Client | undefined;
const period = `from=${encodeURIComponent(new Date(Date.now() - 3_600_000).toISOString())}&to=${encodeURIComponent(new Date(Date.now() + 86_400_000).toISOString())}`;

beforeAll(async () => {
  primary = await startPrivatePostgres();
  replica = await startReplica(primary);
  service = await startServiceProcess(
    {
      DATABASE_URL: primary.url,
      REPORTS_DATABASE_URL: replica.url,
      REPORTS_REPLICA_MAX_LAG_SECONDS: String(MAX_LAG_SECONDS),
      PG_POOL_MIN: '0',
    },
    { listenTimeoutMs: 90_000 },
  );
  admin = await replica.admin();
}, 300_000);

afterAll(async () => {
  service?.kill();
  await service?.exited;
  await admin?.end().catch(() => undefined);
  await replica?.destroy();
  await primary?.destroy();
});

async function api(method: string, path: string, body?: unknown): Promise<{ status: number; body: { created: { total: number } } & { id: number } }> {
  const res = await fetch(`${service!.base}/api/v1${path}`, {
    method,
    headers: { authorization: `Bearer ${service!.token}`, 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return { status: res.status, body: (await res.json()) as never };
}

const createdInReport = async (): Promise<number> => {
  const r = await api('GET', `/reports/summary?${period}`);
  expect(r.status).toBe(200);
  return r.body.created.total;
};

async function metric(name: string): Promise<number> {
  const text = await (await fetch(`${service!.base}/metrics`)).text();
  const line = text.split('\n').find((l) => l.startsWith(`${name} `));
  if (!line) throw new Error(`${name} is not exposed`);
  return Number(line.slice(name.length + 1));
}

describe('reports from a streaming replica', () => {
  it('reads reports on the replica: paused, it answers with the figures it has replayed', async () => {
    // Setup: one order, replayed on the replica
    expect((await api('POST', '/orders', orderInput())).status).toBe(201);
    await eventually(
      async () => {
        if ((await createdInReport()) !== 1) throw new Error('the order is not in the report yet');
      },
      { timeout: 20_000, what: 'the first order to reach the report' },
    );
    const replicaReads = await metric('repair_reports_reads_total{target="replica"}');

    // Action: replay stops; a second order commits on the primary
    await admin!.query('SELECT pg_wal_replay_pause()');
    // A pause is a request: wait until replay has really stopped, or the next order may still be replayed.
    await eventually(
      async () => {
        const state = await admin!.query<{ s: string }>('SELECT pg_get_wal_replay_pause_state() AS s');
        if (state.rows[0]!.s !== 'paused') throw new Error(`replay is ${state.rows[0]!.s}`);
      },
      { timeout: 10_000, what: 'replay to pause' },
    );
    expect((await api('POST', '/orders', orderInput())).status).toBe(201);
    const stale = await createdInReport();

    // Assertions: the report came from the replica, which has not replayed the second order
    expect(stale).toBe(1);
    expect(await metric('repair_reports_reads_total{target="replica"}')).toBeGreaterThan(replicaReads);
  });

  it('falls back to the primary once the replica lags past the limit, and says how far behind it is', async () => {
    // Action: replay stays paused while time passes
    await eventually(
      async () => {
        if ((await createdInReport()) !== 2) throw new Error('the report still comes from the paused replica');
      },
      { timeout: 30_000, what: 'reports to fall back to the primary' },
    );

    // Assertions
    expect(await metric('repair_reports_replica_lag_seconds')).toBeGreaterThan(MAX_LAG_SECONDS);
    expect(await metric('repair_reports_replica_usable')).toBe(0);
    expect(await metric('repair_reports_reads_total{target="primary"}')).toBeGreaterThan(0);
    expect(service!.output()).toContain('report replica lags: reports read from the primary');
  });

  it('goes back to the replica once it catches up', async () => {
    // Action
    await admin!.query('SELECT pg_wal_replay_resume()');
    await eventually(
      async () => {
        if ((await metric('repair_reports_replica_usable')) !== 1) throw new Error('the replica is not used again yet');
      },
      { timeout: 30_000, what: 'the replica to catch up' },
    );
    const before = await metric('repair_reports_reads_total{target="replica"}');

    // Assertions
    expect(await createdInReport()).toBe(2);
    expect(await metric('repair_reports_reads_total{target="replica"}')).toBeGreaterThan(before);
    expect(await metric('repair_reports_replica_lag_seconds')).toBeLessThanOrEqual(MAX_LAG_SECONDS);
  });

  it('reads from the primary while the replica is down, with no failed report', async () => {
    // Setup
    await admin!.end();
    admin = undefined;
    await replica.stopImmediately();

    // Action
    expect((await api('POST', '/orders', orderInput())).status).toBe(201);
    const total = await createdInReport();
    const exported = await fetch(`${service!.base}/api/v1/reports/export?${period}&format=csv`, { headers: { authorization: `Bearer ${service!.token}` } });

    // Assertions
    expect(total).toBe(3);
    expect(exported.status).toBe(200);
    expect(await metric('repair_reports_replica_usable')).toBe(0);
    expect(await metric('repair_reports_replica_lag_seconds')).toBeNaN();
    expect(service!.child.exitCode).toBeNull();
  });
});
