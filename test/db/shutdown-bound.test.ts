import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cloneTemplate } from '../support/db.ts';
import { eventually } from '../support/eventually.ts';
import { startServiceProcess, type ServiceProcess } from '../support/service-process.ts';

/**
 * SIGTERM while statements wait on locks that nobody releases (no
 * lock_timeout), a request's and a scheduler job's: the process must still
 * exit within SHUTDOWN_TIMEOUT_MS, cancelling them after the grace, and
 * neither change may commit.
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

describe('shutdown with statements blocked on locks', () => {
  it('exits within SHUTDOWN_TIMEOUT_MS and the blocked changes never commit', async () => {
    // Setup: an old processed update, locked, so the prune job's first tick waits on it
    const locker = new pg.Client({ connectionString: clone.url });
    await locker.connect();
    await watcher.query(`INSERT INTO processed_updates (update_id, processed_at) VALUES (1, now() - interval '30 days')`);
    await locker.query('BEGIN');
    await locker.query('SELECT 1 FROM processed_updates WHERE update_id = 1 FOR UPDATE');
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
    await locker.query('SELECT 1 FROM orders WHERE id = $1 FOR UPDATE', [id]);
    const blocked = fetch(`${service.base}/api/v1/orders/${id}`, {
      method: 'PATCH',
      headers: { ...headers, 'if-match': '"1"' },
      body: JSON.stringify({ notes: 'must not commit' }),
    });
    await eventually(
      async () => {
        const r = await watcher.query(
          `SELECT 1 FROM pg_stat_activity WHERE application_name = 'repair-bot' AND wait_event_type = 'Lock' AND datname = current_database()`,
        );
        if (r.rowCount !== 2) throw new Error(`${r.rowCount} of 2 statements wait on the locks`);
      },
      { timeout: 20_000, what: 'the edit and the prune job to wait on the row locks' },
    );

    // Action
    const signalled = performance.now();
    service.child.kill('SIGTERM');
    const [code, signal] = await service.exited;
    const exitMs = performance.now() - signalled;
    // The locks are released only now: had the edit or the job survived the shutdown, they would commit here.
    await locker.query('COMMIT');
    await locker.end();

    // Assertions
    expect(signal).toBeNull();
    expect(code).toBe(0);
    expect(exitMs).toBeLessThan(SHUTDOWN_TIMEOUT_MS + 1500);
    expect(service.output()).toContain('shutdown grace over: cancelling running statements');
    // The cut job's end cannot be recorded as the pool closes: expected while stopping, so a warning, not an error.
    const endLines = service
      .output()
      .split('\n')
      .filter((l) => l.includes('scheduler job end not recorded'));
    expect(endLines.map((l) => (JSON.parse(l) as { level: string }).level)).toEqual(['warn']);
    const answer = await blocked;
    expect(answer.status).toBe(503);
    expect(answer.headers.get('retry-after')).toMatch(/^\d+$/);
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
    const pruned = await watcher.query(`SELECT 1 FROM processed_updates WHERE update_id = 1`);
    expect(pruned.rowCount).toBe(1);
    console.info(
      `[figures] shutdown with a request and a job blocked on locks: exited (code ${code}) ${exitMs.toFixed(0)} ms after SIGTERM (bound ${SHUTDOWN_TIMEOUT_MS} ms)`,
    );
  }, 60_000);
});
