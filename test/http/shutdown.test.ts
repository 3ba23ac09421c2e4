import type { ChildProcess } from 'node:child_process';
import { request } from 'node:http';
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { useTestDatabase } from '../support/db.ts';
import { eventually } from '../support/eventually.ts';
import { startServiceProcess } from '../support/service-process.ts';

/**
 * The real process (src/main.ts) on its own database, stopped with SIGTERM
 * while a request is held in flight by a row lock: it must stop accepting
 * connections, answer that request, close its pool and exit 0.
 */
const t = useTestDatabase();
let child: ChildProcess | undefined;

afterAll(() => {
  if (child && child.exitCode === null) child.kill('SIGKILL');
});

/** A fresh connection each time (no keep-alive pool): does the server still accept? */
function connects(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const req = request({ host: '127.0.0.1', port, path: '/healthz', agent: false }, (res) => {
      res.resume();
      resolve(true);
    });
    req.on('error', () => resolve(false));
    req.end();
  });
}

describe('graceful shutdown on SIGTERM', () => {
  it('stops accepting, finishes the request in flight, then closes the pool and exits 0', async () => {
    // Setup: start the service and read its port and bootstrap token
    const ours = await t.db.pool.query<{ pid: number }>(`SELECT pid FROM pg_stat_activity WHERE datname = current_database()`);
    const testPids = ours.rows.map((r) => r.pid);
    const service = await startServiceProcess({ DATABASE_URL: t.url, PG_POOL_MIN: '1' });
    child = service.child;
    const { port, token, exited } = service;
    const base = `http://127.0.0.1:${port}`;
    const auth = { authorization: `Bearer ${token}`, 'content-type': 'application/json' };
    const created = await fetch(`${base}/api/v1/orders`, {
      method: 'POST',
      headers: auth,
      body: JSON.stringify({ equipment_type: 'oven', description: 'Hold me', client_name: 'A', client_address: 'B', client_phone: '+79990001122' }),
    });
    expect(created.status).toBe(201);
    const { id } = (await created.json()) as { id: number };

    // Hold the order's row so the edit below waits inside the service.
    const locker = new pg.Client({ connectionString: t.url });
    await locker.connect();
    await locker.query('BEGIN');
    await locker.query('SELECT 1 FROM orders WHERE id = $1 FOR UPDATE', [id]);
    const inFlight = fetch(`${base}/api/v1/orders/${id}`, {
      method: 'PATCH',
      headers: { ...auth, 'if-match': '"1"' },
      body: JSON.stringify({ notes: 'finished during shutdown' }),
    });
    await eventually(
      async () => {
        const r = await locker.query(`SELECT count(*)::int AS n FROM pg_stat_activity WHERE application_name = 'repair-bot' AND wait_event_type = 'Lock'`);
        expect(r.rows[0].n).toBeGreaterThan(0);
      },
      { timeout: 20_000, what: 'the edit to wait on the lock' },
    );

    // Action
    child.kill('SIGTERM');
    await eventually(async () => expect(await connects(port)).toBe(false), { timeout: 20_000, what: 'new connections to be refused' });
    const stillRunning = child.exitCode === null;
    await locker.query('COMMIT');
    const released = Date.now();
    await locker.end();
    const answer = await inFlight;
    const body = (await answer.json()) as { version: number; notes: string };
    const [code] = await exited;
    const exitAfterMs = Date.now() - released;

    // Assertions
    expect(stillRunning).toBe(true);
    expect(answer.status).toBe(200);
    expect(answer.headers.get('connection')).toBe('close');
    // Idle kept-alive connections were closed, not waited out (10 s grace, 65 s keep-alive).
    expect(exitAfterMs).toBeLessThan(9000);
    expect(body).toMatchObject({ version: 2, notes: 'finished during shutdown' });
    expect(code).toBe(0);
    expect(service.output()).toContain('shutting down: finishing in-flight work');
    // Backends leave pg_stat_activity a moment after their client said goodbye.
    const admin = new pg.Client({ connectionString: t.url });
    await admin.connect();
    try {
      await eventually(
        async () => {
          const r = await admin.query(
            `SELECT count(*)::int AS n FROM pg_stat_activity WHERE application_name LIKE 'repair-bot%' AND datname = current_database() AND pid <> ALL ($1::int[])`,
            [testPids],
          );
          expect(r.rows[0].n).toBe(0);
        },
        { timeout: 5000, what: 'the service connections to end' },
      );
    } finally {
      await admin.end();
    }
  }, 60_000);
});
