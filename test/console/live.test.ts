import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConsoleAuth } from '../../src/console/console-auth.ts';
import type { Database } from '../../src/db/database.ts';
import { createDatabase } from '../../src/db/pool.ts';
import { registerEnumArrayTypes } from '../../src/db/enum-arrays.ts';
import type { Principal } from '../../src/users/principal.ts';
import { tokenFor } from '../http/support.ts';
import { cloneTemplate } from '../support/db.ts';
import { eventually } from '../support/eventually.ts';
import { makeMaster, makeUser, orderInput } from '../support/fixtures.ts';
import { startServiceProcess, type ServiceProcess } from '../support/service-process.ts';

/**
 * Live updates across instances: two real service processes on one
 * database. A change made through one reaches a console watching the
 * other, through the order change log every instance reads, without any reload.
 */
interface SseEvent {
  id?: string;
  event: string;
  data: Record<string, unknown>;
  at: number;
}

interface Stream {
  events: SseEvent[];
  status: number;
  ended: Promise<void>;
  close(): void;
}

async function openStream(base: string, cookie: string, lastEventId?: string): Promise<Stream> {
  const abort = new AbortController();
  const res = await fetch(`${base}/api/v1/console/events`, {
    headers: { cookie, ...(lastEventId ? { 'last-event-id': lastEventId } : {}) },
    signal: abort.signal,
  });
  const events: SseEvent[] = [];
  const reader = res.body!.getReader();
  const decoder = new TextDecoder();
  let buffer = '';
  const ended = (async () => {
    try {
      for (;;) {
        const { done, value } = await reader.read();
        if (done) return;
        buffer += decoder.decode(value, { stream: true });
        let cut: number;
        while ((cut = buffer.indexOf('\n\n')) >= 0) {
          const block = buffer.slice(0, cut);
          buffer = buffer.slice(cut + 2);
          const field = (name: string) =>
            block
              .split('\n')
              .find((l) => l.startsWith(`${name}: `))
              ?.slice(name.length + 2);
          const event = field('event');
          if (event) events.push({ id: field('id'), event, data: JSON.parse(field('data') ?? '{}') as Record<string, unknown>, at: Date.now() });
        }
      }
    } catch {
      // Aborted by the test.
    }
  })();
  return { events, status: res.status, ended, close: () => abort.abort() };
}

function orderEvents(s: Stream, id: number): SseEvent[] {
  return s.events.filter((e) => e.event === 'order' && e.data.id === id);
}

let clone: Awaited<ReturnType<typeof cloneTemplate>>;
let db: Database;
let a: ServiceProcess;
let b: ServiceProcess;
let dispatcher: Principal;
let adminToken: string;
let masterId: number;
const streams: Stream[] = [];

async function signIn(base: string, p: Principal): Promise<string> {
  const auth = new ConsoleAuth(db, { publicUrl: base, sessionTtlSeconds: 3600, loginLinkTtlSeconds: 600, initDataMaxAgeSeconds: 3600, botToken: undefined });
  const token = new URL((await auth.issueLoginLink(p)).url).searchParams.get('token');
  const res = await fetch(`${base}/api/v1/console/session/link`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ token }),
  });
  if (res.status !== 200) throw new Error(`sign-in failed: ${res.status}`);
  return res.headers
    .getSetCookie()
    .map((c) => c.split(';')[0]!)
    .find((c) => c.startsWith('rb_session='))!;
}

async function watch(base: string, cookie: string, lastEventId?: string): Promise<Stream> {
  const s = await openStream(base, cookie, lastEventId);
  streams.push(s);
  await eventually(
    () =>
      expect(
        s.events.some((e) => e.event === 'hello'),
        `status ${s.status}`,
      ).toBe(true),
    { what: 'hello' },
  );
  return s;
}

async function post(base: string, path: string, body: unknown) {
  const res = await fetch(`${base}${path}`, {
    method: 'POST',
    headers: { authorization: `Bearer ${adminToken}`, 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  const json = (await res.json()) as { id: number; version: number; status: string };
  if (!res.ok) throw new Error(`${path}: ${res.status} ${JSON.stringify(json)}`);
  return json;
}

beforeAll(async () => {
  clone = await cloneTemplate();
  db = createDatabase(clone.url, { min: 0, max: 4, statementTimeoutMs: 30_000, idleTimeoutMs: 10_000 }, { error: () => {} });
  await registerEnumArrayTypes(db);
  dispatcher = await makeUser(db, ['DISPATCHER'], 'Live Dispatcher');
  adminToken = await tokenFor(db, await makeUser(db, ['ADMIN'], 'Live Admin'));
  masterId = (await makeMaster(db, { name: 'Live Master' })).masterId;
  const env = {
    DATABASE_URL: clone.url,
    CONSOLE_HEARTBEAT_SECONDS: '1',
    RATE_LIMIT_PER_MINUTE: '0',
    RATE_LIMIT_AUTH_FAILURES_PER_MINUTE: '0',
    PG_POOL_MIN: '0',
  };
  [a, b] = await Promise.all([startServiceProcess(env), startServiceProcess(env)]);
});

afterAll(async () => {
  for (const s of streams) s.close();
  a?.kill();
  b?.kill();
  await db?.close();
  await clone?.drop();
});

describe('live updates across instances', () => {
  it('a change made through one instance reaches a console watching another, with its board placement', async () => {
    // Setup
    const watcher = await watch(a.base, await signIn(a.base, dispatcher));

    // Action
    const created = await post(b.base, '/api/v1/orders', orderInput({ client_name: 'Live Client' }));
    const sent = Date.now();
    await eventually(() => expect(orderEvents(watcher, created.id)).toHaveLength(1), { what: 'the created order at instance A' });
    const assigned = await post(b.base, `/api/v1/orders/${created.id}/assign`, { master_id: masterId });
    await eventually(() => expect(orderEvents(watcher, created.id)).toHaveLength(2), { what: 'the assignment at instance A' });

    // Assertions
    const [first, second] = orderEvents(watcher, created.id);
    expect(first!.data).toMatchObject({
      on_board: true,
      order: { id: created.id, status: 'NEW', client_name: 'Live Client', actions: ['assign', 'refuse', 'reschedule', 'edit'] },
    });
    expect(second!.data).toMatchObject({ on_board: true, order: { status: 'ASSIGNED', master_name: 'Live Master', version: assigned.version } });
    expect(first!.id).toMatch(/^[0-9a-f]{8}-\d+$/);
    process.stdout.write(`live: created at B, seen at A after ${first!.at - sent} ms\n`);
  });

  it('sends a ping with the server clock every heartbeat', async () => {
    // Setup
    const watcher = await watch(a.base, await signIn(a.base, dispatcher));

    // Action / Assertions
    await eventually(() => expect(watcher.events.filter((e) => e.event === 'ping').length).toBeGreaterThanOrEqual(2), { what: 'two pings' });
    expect(Date.parse(String(watcher.events.find((e) => e.event === 'ping')!.data.now))).toBeGreaterThan(0);
  });

  it('replays what a reconnecting console missed on the same instance (Last-Event-ID), and says resync elsewhere', async () => {
    // Setup
    const cookie = await signIn(a.base, dispatcher);
    const first = await watch(a.base, cookie);
    const seed = await post(b.base, '/api/v1/orders', orderInput());
    await eventually(() => expect(orderEvents(first, seed.id)).toHaveLength(1));
    const lastId = orderEvents(first, seed.id)[0]!.id!;
    first.close();

    // Action
    const missed = await post(b.base, `/api/v1/orders/${seed.id}/refuse`, { reason: 'Gone while offline' });
    const again = await watch(a.base, cookie, lastId);
    await eventually(() => expect(orderEvents(again, seed.id).length).toBeGreaterThanOrEqual(1), { what: 'the missed change replayed' });
    const elsewhere = await watch(b.base, cookie, lastId);
    await eventually(() => expect(elsewhere.events.some((e) => e.event === 'resync')).toBe(true), { what: 'resync at the other instance' });

    // Assertions
    expect(missed.status).toBe('REFUSED');
    expect(again.events.some((e) => e.event === 'resync')).toBe(false);
    expect(orderEvents(again, seed.id).at(-1)!.data).toMatchObject({ on_board: false, order: { status: 'REFUSED' } });
  });

  it('survives losing its LISTEN session: no crash, the console resyncs, and later changes still arrive', async () => {
    // Setup
    const watcher = await watch(a.base, await signIn(a.base, dispatcher));
    const admin = new pg.Client({ connectionString: clone.url });
    await admin.connect();

    // Action
    const killed = await admin.query(
      `SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = 'repair-bot-listen' AND datname = current_database()`,
    );
    await eventually(() => expect(watcher.events.some((e) => e.event === 'resync')).toBe(true), { timeout: 20_000, what: 'resync after reconnect' });
    const later = await post(b.base, '/api/v1/orders', orderInput());
    await eventually(() => expect(orderEvents(watcher, later.id)).toHaveLength(1), { what: 'a change after the reconnect' });
    await admin.end();

    // Assertions
    expect(killed.rowCount).toBe(2);
    expect(a.child.exitCode).toBeNull();
    expect(b.child.exitCode).toBeNull();
    expect(a.output()).toMatch(/live updates: LISTEN session lost; reconnecting/);
  });

  it('ends the streams of sessions signed out elsewhere, at once', async () => {
    // Setup
    const someone = await makeUser(db, ['DISPATCHER'], 'Leaving Dispatcher');
    const cookieA = await signIn(a.base, someone);
    const watcher = await watch(a.base, cookieA);
    const cookieB = await signIn(b.base, someone);
    const csrf = ((await (await fetch(`${b.base}/api/v1/console/session`, { headers: { cookie: cookieB } })).json()) as { csrf_token: string }).csrf_token;

    // Action
    const out = await fetch(`${b.base}/api/v1/console/sessions`, { method: 'DELETE', headers: { cookie: cookieB, 'x-csrf-token': csrf } });
    await eventually(() => expect(watcher.events.some((e) => e.event === 'bye')).toBe(true), { what: 'bye at instance A' });
    await watcher.ended;
    const reopened = await openStream(a.base, cookieA);
    streams.push(reopened);

    // Assertions
    expect(out.status).toBe(204);
    expect(watcher.events.find((e) => e.event === 'bye')!.data).toEqual({ reason: 'session-ended' });
    expect(reopened.status).toBe(401);
  });

  it('ends open streams on SIGTERM so the instance stops promptly and cleanly', async () => {
    // Setup
    const watcher = await watch(a.base, await signIn(a.base, dispatcher));

    // Action
    a.child.kill('SIGTERM');
    const [code] = await a.exited;
    await watcher.ended;

    // Assertions
    expect(code).toBe(0);
    // Told and closed by the server, not cut when the shutdown grace ran out.
    expect(watcher.events.at(-1)).toMatchObject({ event: 'bye', data: { reason: 'shutdown' } });
  });
});
