import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { request } from 'node:http';
import path from 'node:path';
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { useTestDatabase } from '../support/db.ts';

/**
 * The real process (src/main.ts) on its own database, stopped with SIGTERM
 * while a request is held in flight by a row lock: it must stop accepting
 * connections, answer that request, close its pool and exit 0.
 */
const t = useTestDatabase();
const ROOT = path.resolve(import.meta.dirname, '../..');
let child: ChildProcess | undefined;

afterAll(() => {
  if (child && child.exitCode === null) child.kill('SIGKILL');
});

function until<T>(what: string, probe: () => Promise<T | undefined> | T | undefined, timeoutMs = 20_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  return new Promise((resolve, reject) => {
    const tick = async () => {
      const value = await probe();
      if (value !== undefined) return resolve(value);
      if (Date.now() > deadline) return reject(new Error(`timed out waiting for ${what}`));
      setTimeout(tick, 25);
    };
    void tick();
  });
}

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
    child = spawn(process.execPath, ['src/main.ts'], {
      cwd: ROOT,
      env: { ...process.env, DATABASE_URL: t.url, PORT: '0', HOST: '127.0.0.1', LOG_LEVEL: 'info', PG_POOL_MIN: '1', TELEGRAM_BOT_TOKEN: '' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout!.on('data', (d: Buffer) => (output += d.toString()));
    child.stderr!.on('data', (d: Buffer) => (output += d.toString()));
    const exited = once(child, 'exit') as Promise<[number | null, string | null]>;
    const port = await until('the listening line', () => {
      const m = /"port":(\d+)[^\n]*"msg":"repair-bot listening"/.exec(output) ?? /"msg":"repair-bot listening"[^\n]*"port":(\d+)/.exec(output);
      return m ? Number(m[1]) : undefined;
    });
    const token = /rb_[A-Za-z0-9_-]{43}/.exec(output)![0];
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
    await until('the edit to wait on the lock', async () => {
      const r = await locker.query(`SELECT count(*)::int AS n FROM pg_stat_activity WHERE application_name = 'repair-bot' AND wait_event_type = 'Lock'`);
      return r.rows[0].n > 0 ? true : undefined;
    });

    // Action
    child.kill('SIGTERM');
    await until('new connections to be refused', async () => ((await connects(port)) ? undefined : true));
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
    expect(output).toContain('shutting down: finishing in-flight work');
    // Backends leave pg_stat_activity a moment after their client said goodbye.
    const admin = new pg.Client({ connectionString: t.url });
    await admin.connect();
    const left = await until(
      'the service connections to end',
      async () => {
        const r = await admin.query(
          `SELECT count(*)::int AS n FROM pg_stat_activity WHERE application_name LIKE 'repair-bot%' AND datname = current_database() AND pid <> ALL ($1::int[])`,
          [testPids],
        );
        return r.rows[0].n === 0 ? 0 : undefined;
      },
      5000,
    ).catch(() => 'still connected');
    await admin.end();
    expect(left).toBe(0);
  }, 60_000);
});
