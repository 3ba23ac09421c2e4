import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cloneTemplate } from '../support/db.ts';
import { eventually } from '../support/eventually.ts';
import { startServiceProcess, type ServiceProcess } from '../support/service-process.ts';

/**
 * SIGTERM while a statement waits on a lock that nobody releases (no
 * lock_timeout): the process must still exit within SHUTDOWN_TIMEOUT_MS,
 * cancelling the statement after the grace, and the cut request's change
 * must never commit.
 */
const SHUTDOWN_TIMEOUT_MS = 4000;
let clone: Awaited<ReturnType<typeof cloneTemplate>>;
let service: ServiceProcess | undefined;
let watcher: pg.Client;

beforeAll(async () => {
  clone = await cloneTemplate();
  watcher = new pg.Client({ connectionString: clone.url });
  await watcher.connect();
});

afterAll(async () => {
  service?.kill();
  await watcher?.end();
  await clone?.drop();
});

describe('shutdown with a statement blocked on a lock', () => {
  it('exits within SHUTDOWN_TIMEOUT_MS and the blocked change never commits', async () => {
    // Setup
    service = await startServiceProcess({
      DATABASE_URL: clone.url,
      PG_POOL_MIN: '0',
      PG_LOCK_TIMEOUT_MS: '0',
      SHUTDOWN_TIMEOUT_MS: String(SHUTDOWN_TIMEOUT_MS),
    });
    const headers = { authorization: `Bearer ${service.token}`, 'content-type': 'application/json' };
    const created = await fetch(`${service.base}/api/v1/orders`, {
      method: 'POST',
      headers,
      body: JSON.stringify({ equipment_type: 'oven', description: 'Held', client_name: 'A', client_address: 'B', client_phone: '+79990001122' }),
    });
    expect(created.status).toBe(201);
    const { id } = (await created.json()) as { id: number };
    const locker = new pg.Client({ connectionString: clone.url });
    await locker.connect();
    await locker.query('BEGIN');
    await locker.query('SELECT 1 FROM orders WHERE id = $1 FOR UPDATE', [id]);
    const blocked = fetch(`${service.base}/api/v1/orders/${id}`, {
      method: 'PATCH',
      headers: { ...headers, 'if-match': '"1"' },
      body: JSON.stringify({ notes: 'must not commit' }),
    }).catch((err: unknown) => err);
    await eventually(
      async () => {
        const r = await watcher.query(
          `SELECT 1 FROM pg_stat_activity WHERE application_name = 'repair-bot' AND wait_event_type = 'Lock' AND datname = current_database()`,
        );
        if (r.rowCount === 0) throw new Error('the edit does not wait on the lock yet');
      },
      { what: 'the edit to wait on the row lock' },
    );

    // Action
    const signalled = performance.now();
    service.child.kill('SIGTERM');
    const [code, signal] = await service.exited;
    const exitMs = performance.now() - signalled;
    // The lock is released only now: had the edit survived the shutdown, it would commit here.
    await locker.query('COMMIT');
    await locker.end();

    // Assertions
    expect(signal).toBeNull();
    expect(code).toBe(0);
    expect(exitMs).toBeLessThan(SHUTDOWN_TIMEOUT_MS + 1500);
    expect(service.output()).toContain('shutdown grace over: cancelling running statements');
    expect(await blocked).toBeInstanceOf(Error);
    await eventually(
      async () => {
        const r = await watcher.query(
          `SELECT count(*)::int AS n FROM pg_stat_activity WHERE application_name LIKE 'repair-bot%' AND datname = current_database()`,
        );
        if (r.rows[0].n > 0) throw new Error(`${r.rows[0].n} service sessions remain`);
      },
      { what: 'the service sessions to end' },
    );
    const order = await watcher.query<{ version: number; notes: string | null }>(`SELECT version, notes FROM orders WHERE id = $1`, [id]);
    expect(order.rows[0]).toEqual({ version: 1, notes: null });
    console.info(
      `[figures] shutdown with a statement blocked on a lock: exited (code ${code}) ${exitMs.toFixed(0)} ms after SIGTERM (bound ${SHUTDOWN_TIMEOUT_MS} ms)`,
    );
  }, 60_000);
});
