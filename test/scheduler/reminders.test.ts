import { beforeAll, describe, expect, it } from 'vitest';
import type { ReminderConfig } from '../../src/config.ts';
import { OrderChangeFeed } from '../../src/orders/order-changes.ts';
import { OrderWorkflow } from '../../src/orders/order-workflow.ts';
import { OrdersService } from '../../src/orders/orders-service.ts';
import { reminderJobs, type ReminderNotifier, type ReminderOrder } from '../../src/scheduler/reminder-jobs.ts';
import { Scheduler, type Job } from '../../src/scheduler/scheduler.ts';
import { createLogger } from '../../src/telemetry/logger.ts';
import type { Principal } from '../../src/users/principal.ts';
import { useTestDatabase } from '../support/db.ts';
import { makeMaster, makeUser, orderInput } from '../support/fixtures.ts';

const t = useTestDatabase();
let orders: OrdersService;
let workflow: OrderWorkflow;
let dispatcher: Principal;
let master: Principal & { masterId: number };
let otherMaster: Principal & { masterId: number };

type Kind = 'unassigned' | 'accept' | 'visit';

/** Writes down who was reminded of what, and when by the scheduler's clock. */
class Recorder implements ReminderNotifier {
  sent: Array<{ kind: Kind; id: number; at: string; minutes: number }> = [];
  private readonly clock: () => Date;
  constructor(clock: () => Date) {
    this.clock = clock;
  }
  private note(kind: Kind, orders: ReminderOrder[]) {
    for (const o of orders) this.sent.push({ kind, id: o.id, at: msk(this.clock()), minutes: o.minutes });
  }
  async remindUnassigned(o: ReminderOrder[]) {
    this.note('unassigned', o);
  }
  async remindToAccept(o: ReminderOrder[]) {
    this.note('accept', o);
  }
  async remindVisit(o: ReminderOrder[]) {
    this.note('visit', o);
  }
  of(id: number, kind: Kind) {
    return this.sent.filter((s) => s.id === id && s.kind === kind);
  }
}

const DAYTIME_ONLY: ReminderConfig = {
  unassigned: { afterMinutes: 15, everyMinutes: 5 },
  accept: { afterMinutes: 15, everyMinutes: 5 },
  visitBeforeMinutes: 120,
  quietHours: { startMinute: 22 * 60, endMinute: 6 * 60 },
};

/** "2026-11-23 10:20" Moscow time (UTC+3, no DST) as an instant, and back. */
const at = (local: string) => new Date(`${local.replace(' ', 'T')}:00+03:00`);
const msk = (d: Date) => new Date(d.getTime() + 3 * 3_600_000).toISOString().slice(0, 16).replace('T', ' ');

/** A controllable clock and the reminder jobs of one instance reading it. */
function instance(config: ReminderConfig = DAYTIME_ONLY) {
  let now = at('2026-11-23 09:00');
  const clock = () => now;
  const recorder = new Recorder(clock);
  const jobs = reminderJobs(t.db, recorder, { ...config, timeZone: 'Europe/Moscow', clock });
  const job = (name: string) => jobs.find((j) => j.name === name)!;
  return {
    recorder,
    jobs,
    set: (local: string) => (now = at(local)),
    /** Runs every reminder job once per minute from `from` to `to` (inclusive), by the clock. */
    async walk(from: string, to: string, stepMinutes = 1) {
      for (let m = at(from).getTime(); m <= at(to).getTime(); m += stepMinutes * 60_000) {
        now = new Date(m);
        for (const name of ['remind_unassigned', 'remind_accept', 'remind_visit']) await job(name).run();
      }
    },
  };
}

/** Setup only: when the order entered its status and its visit time, as if it had happened then. */
async function backdate(id: number, enteredLocal: string, visitLocal?: string | null) {
  await t.db.withClient((_c, raw) =>
    raw.query(`UPDATE orders SET status_changed_at = $2, scheduled_at = CASE WHEN $4 THEN $3::timestamptz ELSE scheduled_at END WHERE id = $1`, [
      id,
      at(enteredLocal),
      visitLocal ? at(visitLocal) : null,
      visitLocal !== undefined,
    ]),
  );
}

async function newOrder(enteredLocal: string, visitLocal?: string | null) {
  const { order } = await orders.create(dispatcher, orderInput());
  await backdate(order.id, enteredLocal, visitLocal);
  return order.id;
}

async function assigned(enteredLocal: string, visitLocal?: string | null, to = master) {
  const id = await newOrder('2026-11-23 08:00');
  await workflow.act(dispatcher, id, 'assign', { master_id: to.masterId });
  await backdate(id, enteredLocal, visitLocal);
  return id;
}

beforeAll(async () => {
  const changes = new OrderChangeFeed();
  orders = new OrdersService(t.db, changes);
  workflow = new OrderWorkflow(t.db, changes);
  dispatcher = await makeUser(t.db, ['DISPATCHER']);
  master = await makeMaster(t.db);
  otherMaster = await makeMaster(t.db);
});

describe('unassigned orders', () => {
  it('are reminded every 5 minutes from 15 minutes on, once per interval, until assigned', async () => {
    // Setup: a new order since 10:02:30
    const id = await newOrder('2026-11-23 10:02');
    await t.db.pool.query(`UPDATE orders SET status_changed_at = status_changed_at + interval '30 seconds' WHERE id = $1`, [id]);
    const one = instance();

    // Action: every minute until 10:36, twice at 10:30; then it is assigned and time goes on
    await one.walk('2026-11-23 10:03', '2026-11-23 10:36');
    await one.walk('2026-11-23 10:30', '2026-11-23 10:30');
    await workflow.act(dispatcher, id, 'assign', { master_id: master.masterId });
    await one.walk('2026-11-23 10:37', '2026-11-23 11:00');

    // Assertions: on the 5-minute grid, first when 15 minutes had passed at the interval's start
    expect(one.recorder.of(id, 'unassigned')).toEqual([
      { kind: 'unassigned', id, at: '2026-11-23 10:20', minutes: 17 },
      { kind: 'unassigned', id, at: '2026-11-23 10:25', minutes: 22 },
      { kind: 'unassigned', id, at: '2026-11-23 10:30', minutes: 27 },
      { kind: 'unassigned', id, at: '2026-11-23 10:35', minutes: 32 },
    ]);
  });

  it('follow the configured thresholds', async () => {
    // Setup: first after 30 minutes, then every 10
    const id = await newOrder('2026-11-23 12:00');
    const one = instance({ ...DAYTIME_ONLY, unassigned: { afterMinutes: 30, everyMinutes: 10 } });

    // Action
    await one.walk('2026-11-23 12:00', '2026-11-23 12:55');

    // Assertions
    expect(one.recorder.of(id, 'unassigned').map((s) => s.at)).toEqual(['2026-11-23 12:30', '2026-11-23 12:40', '2026-11-23 12:50']);
  });
});

describe('assignments not accepted', () => {
  it('are reminded every 5 minutes from 15 minutes on; a reassignment starts over; accepting stops them', async () => {
    // Setup: assigned at 14:00
    const id = await assigned('2026-11-23 14:00');
    const one = instance();

    // Action: reassigned at 14:22 (backdated), accepted at 14:50
    await one.walk('2026-11-23 14:00', '2026-11-23 14:21');
    await workflow.act(dispatcher, id, 'assign', { master_id: otherMaster.masterId });
    await backdate(id, '2026-11-23 14:22');
    await one.walk('2026-11-23 14:22', '2026-11-23 14:49');
    await workflow.act(otherMaster, id, 'accept', {});
    await one.walk('2026-11-23 14:50', '2026-11-23 15:10');

    // Assertions
    expect(one.recorder.of(id, 'accept').map((s) => `${s.at} ${s.minutes}`)).toEqual([
      '2026-11-23 14:15 15',
      '2026-11-23 14:20 20',
      '2026-11-23 14:40 18',
      '2026-11-23 14:45 23',
    ]);
  });
});

describe('visits', () => {
  it('remind the master once, 2 hours before, and again after a reschedule', async () => {
    // Setup: accepted, visit at 16:00
    const id = await assigned('2026-11-23 11:00', '2026-11-23 16:00');
    await workflow.act(master, id, 'accept', {});
    await backdate(id, '2026-11-23 11:10');
    const one = instance();

    // Action: the visit moves to 17:30 at 14:30
    await one.walk('2026-11-23 13:50', '2026-11-23 14:30');
    await backdate(id, '2026-11-23 11:10', '2026-11-23 17:30');
    await one.walk('2026-11-23 14:31', '2026-11-23 15:40');

    // Assertions
    expect(one.recorder.of(id, 'visit').map((s) => `${s.at} ${s.minutes}`)).toEqual(['2026-11-23 14:00 120', '2026-11-23 15:30 120']);
  });
});

describe('quiet hours', () => {
  it('hold what can wait until 06:00 (once, not a backlog) and let night visits through', async () => {
    // Setup (Moscow time): an unassigned order since 21:50; one due for a visit at 01:00 tonight;
    // an accepted order visited at 07:00; an unaccepted one with a visit at 23:30.
    const quiet = await newOrder('2026-11-23 21:50');
    const night = await newOrder('2026-11-23 21:50', '2026-11-24 01:00');
    const early = await assigned('2026-11-23 20:00', '2026-11-24 07:00');
    await workflow.act(master, early, 'accept', {});
    await backdate(early, '2026-11-23 20:10');
    const lateCall = await assigned('2026-11-23 21:40', '2026-11-23 23:30');
    const one = instance();

    // Action: the night, every 5 minutes
    await one.walk('2026-11-23 21:55', '2026-11-24 06:10', 5);

    // Assertions
    const times = (id: number, kind: Kind) => one.recorder.of(id, kind).map((s) => s.at);
    expect(times(quiet, 'unassigned')).toEqual(['2026-11-24 06:00', '2026-11-24 06:05', '2026-11-24 06:10']);
    const nightly = times(night, 'unassigned');
    expect(nightly[0]).toBe('2026-11-23 22:05');
    expect(nightly).toContain('2026-11-24 00:55');
    expect(nightly).not.toContain('2026-11-24 01:00'); // the visit time has passed: back to waiting for the morning
    expect(nightly.filter((a) => a > '2026-11-24 01:00')[0]).toBe('2026-11-24 06:00');
    expect(times(early, 'visit')).toEqual(['2026-11-24 06:00']);
    expect(times(lateCall, 'accept').slice(0, 3)).toEqual(['2026-11-23 21:55', '2026-11-23 22:00', '2026-11-23 22:05']);
    expect(times(lateCall, 'accept')).toContain('2026-11-23 23:25');
    expect(times(lateCall, 'visit')).toEqual(['2026-11-23 21:55']);
    expect(times(lateCall, 'accept').filter((a) => a >= '2026-11-23 23:30' && a < '2026-11-24 06:00')).toEqual([]);
  });
});

describe('several instances', () => {
  it('send each reminder once per interval when two schedulers share the database', async () => {
    // Setup: an unassigned order and an unaccepted one, both due; two instances with their own clocks set alike
    const unassigned = await newOrder('2026-11-25 09:00');
    const unaccepted = await assigned('2026-11-25 09:00');
    const a = instance();
    const b = instance();
    const logger = createLogger('silent');
    const sa = new Scheduler(t.db, a.jobs, logger);
    const sb = new Scheduler(t.db, b.jobs, logger);
    const byName = (jobs: Job[], name: string) => jobs.find((j) => j.name === name)!;

    // Action: both run every job of the 09:20 interval at once, through the scheduler and bare (no lock)
    a.set('2026-11-25 09:20');
    b.set('2026-11-25 09:21');
    for (const name of ['remind_unassigned', 'remind_accept']) {
      await Promise.all([sa.runOnce(byName(a.jobs, name)), sb.runOnce(byName(b.jobs, name))]);
      await Promise.all([byName(a.jobs, name).run(), byName(b.jobs, name).run()]);
    }
    b.set('2026-11-25 09:25');
    await Promise.all([byName(a.jobs, 'remind_unassigned').run(), byName(b.jobs, 'remind_unassigned').run()]);

    // Assertions: one per interval between them
    const all = [...a.recorder.sent, ...b.recorder.sent];
    expect(all.filter((s) => s.id === unassigned).map((s) => s.at)).toEqual(['2026-11-25 09:20', '2026-11-25 09:25']);
    expect(all.filter((s) => s.id === unaccepted)).toHaveLength(1);
  });
});
