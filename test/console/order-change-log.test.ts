import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ChangeListener } from '../../src/console/live/listener.ts';
import { OrderChangePoller } from '../../src/console/live/order-change-poller.ts';
import { eventually } from '../support/eventually.ts';
import { makeUser } from '../support/fixtures.ts';
import { useTestDatabase } from '../support/db.ts';
import { orderDriver } from '../support/money.ts';

/**
 * The console's order change log (migration 0157): what the live board's
 * listener reads instead of NOTIFY. Raw sessions hold transactions open so
 * that commits land out of the order their transaction ids were given.
 */
const t = useTestDatabase();
const sessions: pg.Client[] = [];

async function session(): Promise<pg.Client> {
  const c = new pg.Client({ connectionString: t.url });
  await c.connect();
  sessions.push(c);
  return c;
}

/** Touches orders in one statement (the trigger logs one row per statement). */
const TOUCH = 'UPDATE orders SET updated_at = now() WHERE id = ANY($1::int8[])';

let ids: number[];
let driver: ReturnType<typeof orderDriver>;

beforeAll(async () => {
  driver = orderDriver(t.db, await makeUser(t.db, ['ADMIN']));
  ids = [];
  for (let i = 0; i < 3; i++) ids.push(await driver.created());
});

afterAll(async () => {
  await Promise.all(sessions.map((c) => c.end()));
});

describe('order change log', () => {
  it('delivers every commit once, even one that commits after a later transaction', async () => {
    // Setup
    const poller = new OrderChangePoller();
    await poller.poll(t.db);
    const early = await session();
    const late = await session();
    await early.query('BEGIN');
    await early.query(TOUCH, [[ids[0]]]);
    await late.query(TOUCH, [[ids[1]]]);

    // Action: early's transaction id is older than late's, but it commits after late's was read.
    const first = await poller.poll(t.db);
    await early.query('COMMIT');
    const second = await poller.poll(t.db);
    const third = await poller.poll(t.db);

    // Assertions
    expect(first).toEqual({ ids: [ids[1]], resync: false });
    expect(second).toEqual({ ids: [ids[0]], resync: false });
    expect(third).toEqual({ ids: [], resync: false });
  });

  it('never delivers a rolled-back change', async () => {
    const poller = new OrderChangePoller();
    await poller.poll(t.db);
    const c = await session();
    await c.query('BEGIN');
    await c.query(TOUCH, [[ids[2]]]);
    await c.query('ROLLBACK');

    expect(await poller.poll(t.db)).toEqual({ ids: [], resync: false });
  });

  it('says resync for a statement that changed more than 100 orders, and for a reader that fell behind the log', async () => {
    // Setup
    let now = 1_000_000;
    const poller = new OrderChangePoller({ retainMs: 60_000, now: () => now });
    const many: number[] = [];
    for (let i = 0; i < 101; i++) many.push(await driver.created());
    await poller.poll(t.db);
    const c = await session();

    // Action / Assertions: one statement over 101 orders is logged as "reload", not as ids.
    await c.query(TOUCH, [many]);
    expect(await poller.poll(t.db)).toEqual({ ids: [], resync: true });
    await c.query(TOUCH, [many.slice(0, 100)]);
    const hundred = await poller.poll(t.db);
    expect(hundred.resync).toBe(false);
    expect(hundred.ids.toSorted((a, b) => a - b)).toEqual(many.slice(0, 100));

    // A reader that has not read for half the retention may have lost rows to another reader's pruning.
    now += 31_000;
    await c.query(TOUCH, [[ids[0]]]);
    expect(await poller.poll(t.db)).toEqual({ ids: [], resync: true });
    await c.query(TOUCH, [[ids[1]]]);
    expect(await poller.poll(t.db)).toEqual({ ids: [ids[1]], resync: false });
  });

  it('prunes rows every reader has been past for the retention, and keeps the rest', async () => {
    let now = 2_000_000;
    const poller = new OrderChangePoller({ retainMs: 60_000, pruneEveryMs: 10_000, now: () => now });
    await poller.poll(t.db);
    const c = await session();
    await c.query(TOUCH, [[ids[0]]]);
    const before = await count();
    now += 20_000;
    await poller.poll(t.db);
    expect(await count()).toBe(before);
    now += 50_000;
    await poller.poll(t.db);
    now += 1_000;
    await c.query(TOUCH, [[ids[1]]]);
    now += 10_000;
    await poller.poll(t.db);

    expect(await count()).toBe(1);
  });

  it('writers no longer notify: no trigger on orders calls pg_notify', async () => {
    const { rows } = await t.db.pool.query<{ tgname: string; src: string }>(
      `SELECT t.tgname, p.prosrc AS src FROM pg_trigger t JOIN pg_proc p ON p.oid = t.tgfoid
       WHERE t.tgrelid = 'orders'::regclass AND NOT t.tgisinternal`,
    );
    expect(rows.map((r) => r.tgname)).toContain('orders_console_log_update');
    expect(rows.filter((r) => /pg_notify/i.test(r.src)).map((r) => r.tgname)).toEqual([]);
  });

  it('is read slowly while no console watches, and at once when one starts watching', async () => {
    // Setup: one listener as if a console watched (fast), one as if none did (a minute between reads)
    const seen = { watched: [] as number[], idle: [] as number[] };
    const handlers = (into: number[]) => ({ orders: (got: number[]) => into.push(...got), resync: () => {}, sessionRevoked: () => {} });
    const quiet = { info: () => {}, warn: () => {} };
    const watched = new ChangeListener(t.url, handlers(seen.watched), quiet, { pollMs: 20, watched: () => true });
    const idle = new ChangeListener(t.url, handlers(seen.idle), quiet, { pollMs: 20, idlePollMs: 60_000, watched: () => false });
    await Promise.all([watched.start(), idle.start()]);
    try {
      await eventually(() => expect(watched.connected && idle.connected).toBe(true));

      // Action: two changes, the second after the fast listener has delivered the first
      await t.db.pool.query(TOUCH, [[ids[0]]]);
      await eventually(() => expect(seen.watched).toContain(ids[0]));
      await t.db.pool.query(TOUCH, [[ids[1]]]);
      await eventually(() => expect(seen.watched).toContain(ids[1]));

      // Assertions: the idle one has read neither yet; woken, it delivers both
      expect(seen.idle).toEqual([]);
      idle.wake();
      await eventually(() => expect([...seen.idle].sort()).toEqual([ids[0], ids[1]].sort()), { timeout: 2000 });
    } finally {
      await Promise.all([watched.stop(), idle.stop()]);
    }
  });
});

async function count(): Promise<number> {
  const { rows } = await t.db.pool.query<{ n: string }>('SELECT count(*) AS n FROM console_order_changes');
  return Number(rows[0]!.n);
}
