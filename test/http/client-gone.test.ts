import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually } from '../support/eventually.ts';
import { orderInput, useApi } from './support.ts';

/**
 * A client that hangs up before its answer must leave nothing behind: the
 * statement it started is cancelled, not left to commit once the lock it
 * waits on goes (with client retries and no Idempotency-Key, that is how
 * duplicates were made).
 */
const api = useApi();
let watcher: pg.Client;

beforeAll(async () => {
  watcher = new pg.Client({ connectionString: api.t.url });
  await watcher.connect();
});

afterAll(async () => {
  await watcher?.end();
});

/** Sessions of the service's pool waiting on a lock, read outside any transaction (pg_stat_activity is a per-transaction snapshot). */
async function waitingOnLocks(): Promise<number> {
  const r = await watcher.query<{ n: number }>(
    `SELECT count(*)::int AS n FROM pg_stat_activity WHERE application_name = 'repair-bot' AND wait_event_type = 'Lock' AND datname = current_database()`,
  );
  return r.rows[0]!.n;
}

async function ordersDescribed(description: string): Promise<number> {
  const r = await watcher.query<{ n: number }>(`SELECT count(*)::int AS n FROM orders WHERE description = $1`, [description]);
  return r.rows[0]!.n;
}

describe('a client that hangs up before the commit', () => {
  it('gets its create cancelled: the lock wait ends at once and no order exists once the lock goes', async () => {
    // Setup: another session blocks every insert into orders
    const locker = new pg.Client({ connectionString: api.t.url });
    await locker.connect();
    await locker.query('BEGIN');
    await locker.query('LOCK TABLE orders IN SHARE MODE');
    const description = 'Created by a client that left';
    const hangUp = new AbortController();
    const create = fetch(`${api.base}/api/v1/orders`, {
      method: 'POST',
      headers: { authorization: `Bearer ${api.dispatcher.token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ ...orderInput(), description }),
      signal: hangUp.signal,
    }).catch((err: unknown) => err);
    await eventually(
      async () => {
        if ((await waitingOnLocks()) === 0) throw new Error('the create does not wait on the lock yet');
      },
      { what: 'the create to wait on the table lock' },
    );

    // Action: the client goes away while its insert waits
    hangUp.abort();
    const started = performance.now();
    await eventually(
      async () => {
        if ((await waitingOnLocks()) > 0) throw new Error('the insert still waits');
      },
      { what: 'the waiting insert to be cancelled' },
    );
    const cancelledMs = performance.now() - started;
    await locker.query('COMMIT');
    await locker.end();

    // Assertions: cancelled while the lock was still held, so nothing can commit later
    expect(await create).toBeInstanceOf(Error);
    expect(await ordersDescribed(description)).toBe(0);
    const next = await api.request('POST', '/api/v1/orders', { token: api.dispatcher.token, body: { ...orderInput(), description: 'After the hang-up' } });
    expect(next.status).toBe(201);
    expect(await ordersDescribed(description)).toBe(0);
    console.info(`[figures] client gone: waiting insert cancelled ${cancelledMs.toFixed(0)} ms after the hang-up`);
  });
});
