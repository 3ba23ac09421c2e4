import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually } from '../support/eventually.ts';
import { startPrivatePostgres, type PrivatePostgres } from '../support/private-postgres.ts';
import { startServiceProcess, type ServiceProcess } from '../support/service-process.ts';

/**
 * The real process on a PostgreSQL of its own, whose connections drop while
 * they are lent out: a request waiting on a row lock when the server stops
 * immediately or its backend is SIGKILLed, and a scheduler job's
 * connection terminated while the job runs. The process must stay up,
 * answer 503 with Retry-After, and serve again once the database is back.
 */
let pgServer: PrivatePostgres;
let service: ServiceProcess | undefined;
/** Printed by the first start only (bootstrap); later starts reuse it. */
let adminToken: string | undefined;

beforeAll(async () => {
  pgServer = await startPrivatePostgres();
});

afterAll(async () => {
  service?.kill();
  await pgServer?.destroy();
});

/** A session of the test's own; retried while the server is still recovering from a fault. */
function client(): Promise<pg.Client> {
  return eventually(
    async () => {
      const c = new pg.Client({ connectionString: pgServer.url });
      c.on('error', () => {}); // our own session dies in these tests too
      await c.connect();
      return c;
    },
    { timeout: 30_000, what: 'a test session' },
  );
}

function api(path: string, init: RequestInit = {}): Promise<Response> {
  return fetch(`${service!.base}/api/v1${path}`, {
    ...init,
    headers: { authorization: `Bearer ${adminToken}`, 'content-type': 'application/json', ...init.headers },
  });
}

async function createOrder(): Promise<number> {
  const res = await api('/orders', {
    method: 'POST',
    body: JSON.stringify({ equipment_type: 'oven', description: 'Lock me', client_name: 'A', client_address: 'B', client_phone: '+79990001122' }),
  });
  expect(res.status).toBe(201);
  return ((await res.json()) as { id: number }).id;
}

/** Starts an edit of the order that waits on the locker's row lock; resolves to its pid. */
async function editWaitingOnLock(locker: pg.Client, id: number): Promise<{ answer: Promise<Response>; pid: number }> {
  await locker.query('BEGIN');
  await locker.query('SELECT 1 FROM orders WHERE id = $1 FOR UPDATE', [id]);
  const answer = api(`/orders/${id}`, { method: 'PATCH', headers: { 'if-match': '"1"' }, body: JSON.stringify({ notes: 'waits' }) });
  const pid = await eventually(
    async () => {
      const r = await locker.query<{ pid: number }>(`SELECT pid FROM pg_stat_activity WHERE application_name = 'repair-bot' AND wait_event_type = 'Lock'`);
      if (!r.rows[0]) throw new Error('no service session waits on a lock yet');
      return r.rows[0].pid;
    },
    { what: 'the edit to wait on the row lock' },
  );
  return { answer, pid };
}

async function readyAgain(): Promise<void> {
  await eventually(
    async () => {
      const res = await fetch(`${service!.base}/readyz`);
      if (res.status !== 200) throw new Error(`readyz ${res.status}`);
    },
    { timeout: 30_000, what: '/readyz to answer 200 again' },
  );
}

/** Stops the service left by an earlier test, if any, and starts a fresh one. */
async function freshService(opts: { waitForListening?: boolean; env?: Record<string, string> } = {}): Promise<ServiceProcess> {
  if (service) {
    service.kill();
    await service.exited;
  }
  service = await startServiceProcess({ DATABASE_URL: pgServer.url, PG_POOL_MIN: '1', ...opts.env }, opts);
  adminToken ??= service.token;
  return service;
}

function stillRunning(): boolean {
  return service!.child.exitCode === null && service!.child.signalCode === null;
}

/**
 * A fresh service whose prune job is waiting in the middle of its run on an
 * old processed update the returned client holds locked (in its open
 * transaction), with the job's backend pid.
 */
async function pruneWaitingOnALock(updateId: number): Promise<{ locker: pg.Client; jobBackend: number }> {
  const locker = await client();
  await locker.query(`INSERT INTO processed_updates (update_id, processed_at) VALUES ($1, now() - interval '30 days')`, [updateId]);
  // Each interval slot of a job runs once across instances and restarts: the earlier services' prune took this hour's.
  await locker.query(`DELETE FROM scheduler_ticks WHERE job = 'prune'`);
  await locker.query('BEGIN');
  await locker.query('SELECT 1 FROM processed_updates WHERE update_id = $1 FOR UPDATE', [updateId]);
  // A lock wait of its own length, so the job is still waiting when the test acts.
  await freshService({ env: { PG_LOCK_TIMEOUT_MS: '0' } });
  const jobBackend = await eventually(
    async () => {
      // pg_locks, not pg_stat_activity: the latter is a snapshot taken once per transaction, and the locker is in one.
      const r = await locker.query<{ pid: number }>(`SELECT pid FROM pg_locks WHERE NOT granted AND pid <> pg_backend_pid()`);
      if (!r.rows[0]) throw new Error('the prune job is not waiting yet');
      return r.rows[0].pid;
    },
    { timeout: 20_000, what: 'the prune job to wait on the locked row' },
  );
  return { locker, jobBackend };
}

describe('a connection that drops while lent out', () => {
  it('a request whose backend is SIGKILLed gets 503 with Retry-After, and the process stays up', async () => {
    // Setup
    await freshService();
    const id = await createOrder();
    const locker = await client();
    const { answer, pid } = await editWaitingOnLock(locker, id);

    // Action: the backend dies; the postmaster then resets every session
    process.kill(pid, 'SIGKILL');
    const res = await answer;

    // Assertions
    expect(res.status).toBe(503);
    expect(res.headers.get('retry-after')).toMatch(/^\d+$/);
    await readyAgain();
    expect(stillRunning()).toBe(true);
    expect(service!.output()).not.toMatch(/Unhandled 'error' event/);
    await locker.end().catch(() => undefined);
  }, 60_000);

  it('a request waiting when PostgreSQL stops immediately gets 503, and the service recovers after the restart', async () => {
    // Setup
    await freshService();
    const id = await createOrder();
    const locker = await client();
    const { answer } = await editWaitingOnLock(locker, id);

    // Action
    await pgServer.stopImmediately();
    const res = await answer;
    const probed = performance.now();
    const during = await fetch(`${service!.base}/readyz`);
    const readyzMs = performance.now() - probed;
    const duringBody = await during.json();
    await pgServer.restart();

    // Assertions
    expect(res.status).toBe(503);
    expect(res.headers.get('retry-after')).toMatch(/^\d+$/);
    expect(during.status).toBe(503);
    expect(duringBody).toEqual({ status: 'unavailable', reason: 'database unreachable' });
    expect(readyzMs).toBeLessThan(1000);
    console.info(`[figures] /readyz with PostgreSQL stopped: 503 "database unreachable" in ${readyzMs.toFixed(0)} ms`);
    await readyAgain();
    expect(stillRunning()).toBe(true);
    const after = await api(`/orders/${id}`);
    expect(after.status).toBe(200);
    await locker.end().catch(() => undefined);
  }, 90_000);

  it("terminating a scheduler job's connection while the job runs leaves the process up and ends its claim", async () => {
    // Setup: the prune job waits on a locked row in the middle of its run
    const { locker, jobBackend } = await pruneWaitingOnALock(1);

    // Action
    await locker.query('SELECT pg_terminate_backend($1)', [jobBackend]);
    await locker.query('COMMIT');

    // Assertions: the job's failure is logged, its claim is recorded as ended (nothing left for a lease to wait out), the service serves
    await eventually(
      async () => {
        if (!service!.output().includes('scheduler job failed')) throw new Error('no failure logged yet');
        const r = await locker.query(`SELECT finished_at IS NOT NULL AS ended FROM scheduler_ticks WHERE job = 'prune'`);
        if (r.rows[0]?.ended !== true) throw new Error('the claim is still open');
      },
      { what: 'the job failure to be logged and its claim ended' },
    );
    expect(service!.output()).toContain('scheduler job failed');
    await readyAgain();
    expect(stillRunning()).toBe(true);
    expect(service!.output()).not.toMatch(/Unhandled 'error' event/);
    await locker.end();
  }, 60_000);
});

describe('an instance killed while its work waits on a lock', () => {
  it('leaves a backend that rolls back within the check interval instead of committing once the lock is free', async () => {
    // Setup: the prune job waits on a locked row in the middle of its run
    const { locker, jobBackend } = await pruneWaitingOnALock(2);

    // Action: the instance dies; its backend still waits on the row the test holds
    const killedAt = performance.now();
    service!.kill();
    await service!.exited;
    service = undefined;
    await eventually(
      async () => {
        const r = await locker.query(`SELECT 1 FROM pg_locks WHERE pid = $1`, [jobBackend]);
        if (r.rowCount !== 0) throw new Error(`backend ${jobBackend} still holds or waits on locks`);
      },
      { timeout: 15_000, what: "the dead instance's backend to end" },
    );
    const endedMs = performance.now() - killedAt;
    await locker.query('COMMIT');

    // Assertions: the backend ended while the row was still locked, and its delete never committed
    const left = await locker.query(`SELECT 1 FROM processed_updates WHERE update_id = 2`);
    expect(left.rowCount).toBe(1);
    console.info(`[figures] a killed instance's backend waiting on a lock ended ${endedMs.toFixed(0)} ms after the kill (check interval 5 s)`);
    await locker.end();
  }, 60_000);
});

describe('starting while PostgreSQL is down', () => {
  it('waits and retries with backoff, logging each try, then serves once it is up', async () => {
    // Setup
    await pgServer.stopImmediately();

    // Action
    await freshService({ waitForListening: false });
    await eventually(
      () => {
        const tries = service!.output().match(/database not reachable yet/g) ?? [];
        if (tries.length < 2) throw new Error(`${tries.length} tries logged`);
      },
      { timeout: 20_000, what: 'two logged connection attempts' },
    );
    const aliveWhileDown = stillRunning();
    await pgServer.restart();

    // Assertions
    await eventually(
      () => {
        if (!service!.output().includes('repair-bot listening')) throw new Error('not listening yet');
      },
      { timeout: 30_000, what: 'the service to start' },
    );
    expect(aliveWhileDown).toBe(true);
  }, 90_000);

  it('gives up at once when PG_STARTUP_TIMEOUT_MS is 0', async () => {
    // Setup
    await pgServer.stopImmediately();

    // Action
    await freshService({ waitForListening: false, env: { PG_STARTUP_TIMEOUT_MS: '0' } });
    const [code] = await service!.exited;

    // Assertions
    expect(code).toBe(1);
    expect(service!.output()).toContain('repair-bot failed to start');
    await pgServer.restart();
  }, 60_000);
});
