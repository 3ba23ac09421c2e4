import { beforeAll, describe, expect, it } from 'vitest';
import { OrderChangeFeed } from '../../src/orders/order-changes.ts';
import { OrderWorkflow } from '../../src/orders/order-workflow.ts';
import { OrdersService } from '../../src/orders/orders-service.ts';
import type { OrderView } from '../../src/orders/order-view.ts';
import { ReportsService } from '../../src/reports/reports-service.ts';
import { SettingsService } from '../../src/settings/settings-service.ts';
import { notificationJobs, type SchedulerNotifier } from '../../src/scheduler/jobs.ts';
import type { ReportPeriod } from '../../src/scheduler/periods.ts';
import { Scheduler, type Job } from '../../src/scheduler/scheduler.ts';
import { createLogger } from '../../src/telemetry/logger.ts';
import type { Principal } from '../../src/users/principal.ts';
import { useTestDatabase } from '../support/db.ts';
import { eventually } from '../support/eventually.ts';
import { makeMaster, makeUser, orderInput } from '../support/fixtures.ts';

const t = useTestDatabase();
const logger = createLogger('silent');
let orders: OrdersService;
let workflow: OrderWorkflow;
let reports: ReportsService;
let dispatcher: Principal;
let master: Principal & { masterId: number };

class RecordingNotifier implements SchedulerNotifier {
  breaches: Array<[number, number]> = [];
  reportsSent: ReportPeriod[] = [];
  async slaBreached(order: OrderView, limit: number) {
    this.breaches.push([order.id, limit]);
  }
  async sendPeriodReport(period: ReportPeriod) {
    this.reportsSent.push(period);
    return 1;
  }
  overdue: number[] = [];
  async etaOverdue(order: OrderView) {
    this.overdue.push(order.id);
  }
}

function job(jobs: Job[], name: string): Job {
  return jobs.find((j) => j.name === name)!;
}

/** Moves an order's status clock back, as if it had waited that long. */
async function age(id: number, minutes: number, scheduledInMinutes?: number) {
  await t.db.withClient((_db, raw) =>
    raw.query(
      `UPDATE orders SET status_changed_at = now() - make_interval(mins => $2::int),
         scheduled_at = CASE WHEN $3::int IS NULL THEN scheduled_at ELSE now() + make_interval(mins => $3::int) END
       WHERE id = $1`,
      [id, minutes, scheduledInMinutes ?? null],
    ),
  );
}

beforeAll(async () => {
  const changes = new OrderChangeFeed();
  orders = new OrdersService(t.db, changes);
  workflow = new OrderWorkflow(t.db, changes);
  reports = new ReportsService(t.db, new SettingsService(t.db));
  dispatcher = await makeUser(t.db, ['DISPATCHER']);
  master = await makeMaster(t.db);
});

describe('SLA watch', () => {
  it('announces each breach once, even with several instances, and not before the scheduled time', async () => {
    // Setup: one NEW order 3 h old (limit 2 h), one 1 h old, one 3 h old but scheduled in an hour.
    const late = (await orders.create(dispatcher, orderInput())).order;
    const fresh = (await orders.create(dispatcher, orderInput())).order;
    const scheduled = (await orders.create(dispatcher, orderInput())).order;
    await age(late.id, 180);
    await age(fresh.id, 60);
    await age(scheduled.id, 180, 60);
    const a = new RecordingNotifier();
    const b = new RecordingNotifier();
    const jobsA = notificationJobs(t.db, reports, a, { timeZone: 'Europe/Moscow', reportHour: 9 });
    const jobsB = notificationJobs(t.db, reports, b, { timeZone: 'Europe/Moscow', reportHour: 9 });
    // Action: two instances run the job at once, then again.
    await Promise.all([job(jobsA, 'sla_watch').run(), job(jobsB, 'sla_watch').run()]);
    await job(jobsA, 'sla_watch').run();
    // Assertions
    const all = [...a.breaches, ...b.breaches];
    expect(all).toEqual([[late.id, 120]]);
  });

  it('announces again after the order enters a new status and breaches that one', async () => {
    const order = (await orders.create(dispatcher, orderInput())).order;
    await age(order.id, 130);
    const n = new RecordingNotifier();
    const jobs = notificationJobs(t.db, reports, n, { timeZone: 'Europe/Moscow', reportHour: 9 });
    await job(jobs, 'sla_watch').run();
    await workflow.act(dispatcher, order.id, 'assign', { master_id: master.masterId });
    await age(order.id, 300);
    await job(jobs, 'sla_watch').run();
    await job(jobs, 'sla_watch').run();
    expect(n.breaches.filter(([id]) => id === order.id)).toEqual([
      [order.id, 120],
      [order.id, 240],
    ]);
  });
});

describe('ETA watch', () => {
  it('tells the dispatchers once when a long repair passes its expected date (Moscow calendar), across instances', async () => {
    // Setup: a long repair promised by 30 June 2099
    const order = (await orders.create(dispatcher, orderInput())).order;
    await workflow.act(dispatcher, order.id, 'assign', { master_id: master.masterId });
    await workflow.act(master, order.id, 'accept', {});
    await workflow.act(master, order.id, 'long_repair', { estimated_completion_date: '2099-06-30', parts_needed: 'ТЭН' });
    const settings = (iso: string) => ({ timeZone: 'Europe/Moscow', reportHour: 9, clock: () => new Date(iso) });
    const onTheDay = new RecordingNotifier();
    const a = new RecordingNotifier();
    const b = new RecordingNotifier();
    // Action: 23:00 MSK on the day (not overdue), then 00:30 MSK the day after on two instances, then again
    await job(notificationJobs(t.db, reports, onTheDay, settings('2099-06-30T20:00:00Z')), 'eta_watch').run();
    const next = (n: RecordingNotifier) => job(notificationJobs(t.db, reports, n, settings('2099-06-30T21:30:00Z')), 'eta_watch').run();
    await Promise.all([next(a), next(b)]);
    await next(a);
    // Assertions
    expect(onTheDay.overdue).toEqual([]);
    expect([...a.overdue, ...b.overdue]).toEqual([order.id]);
  });
});

describe('periodic reports', () => {
  it('sends the previous day once, only after the report hour, across instances', async () => {
    const before = new RecordingNotifier();
    const early = notificationJobs(t.db, reports, before, { timeZone: 'Europe/Moscow', reportHour: 9, clock: () => new Date('2026-11-24T05:00:00Z') }); // 08:00 MSK
    await job(early, 'report_day').run();
    expect(before.reportsSent).toEqual([]);
    const a = new RecordingNotifier();
    const b = new RecordingNotifier();
    const clock = () => new Date('2026-11-24T06:30:00Z'); // 09:30 MSK
    const jobsA = notificationJobs(t.db, reports, a, { timeZone: 'Europe/Moscow', reportHour: 9, clock });
    const jobsB = notificationJobs(t.db, reports, b, { timeZone: 'Europe/Moscow', reportHour: 9, clock });
    await Promise.all([job(jobsA, 'report_day').run(), job(jobsB, 'report_day').run()]);
    await job(jobsA, 'report_day').run();
    expect([...a.reportsSent, ...b.reportsSent].map((p) => p.key)).toEqual(['day:2026-11-23']);
  });
});

describe('scheduler locking', () => {
  it('runs a job on one instance at a time', async () => {
    // Setup: a job that says when it has started (holding the job's lock), then blocks until released.
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    let started!: () => void;
    const running = new Promise<void>((r) => (started = r));
    let runs = 0;
    const slow: Job = {
      name: 'lock_probe',
      intervalMs: 60_000,
      run: async () => {
        runs++;
        started();
        await gate;
      },
    };
    const one = new Scheduler(t.db, [slow], logger);
    const two = new Scheduler(t.db, [slow], logger);
    // Action: the second instance tries while the first is inside the job
    const first = one.runOnce(slow);
    await running;
    const second = await two.runOnce(slow);
    release();
    // Assertions
    expect(second).toBe(false);
    expect(await first).toBe(true);
    expect(runs).toBe(1);
    expect(await two.runOnce(slow)).toBe(true);
  });

  it('logs a failing job and keeps going', async () => {
    const failing: Job = {
      name: 'always_fails',
      intervalMs: 60_000,
      run: async () => {
        throw new Error('boom');
      },
    };
    const s = new Scheduler(t.db, [failing], logger);
    expect(await s.runOnce(failing)).toBe(false);
  });
});

describe('scheduler ticks across instances', () => {
  it('runs each interval slot of a job once when two instances tick it', async () => {
    // Setup: two schedulers on one database, each ticking the same 1 s job
    const runs: number[] = [];
    const job = (): Job => ({
      name: 'tick_probe',
      intervalMs: 1000,
      run: async () => {
        runs.push(Date.now());
      },
    });
    const logger = createLogger('silent');
    const one = new Scheduler(t.db, [job()], logger);
    const two = new Scheduler(t.db, [job()], logger);
    const firstSlot = Math.floor(Date.now() / 1000);

    // Action
    one.start();
    two.start();
    await eventually(
      () => {
        if (runs.length < 4) throw new Error(`${runs.length} runs so far`);
      },
      { timeout: 30_000, what: 'four runs of the job' },
    );
    await Promise.all([one.stop(), two.stop()]);
    const lastSlot = Math.floor(Date.now() / 1000);

    // Assertions: never more runs than slots went by (each instance alone would run every slot)
    expect(runs.length).toBeLessThanOrEqual(lastSlot - firstSlot + 1);
  }, 60_000);
});

describe('scheduler claims of a dead instance', () => {
  const probe = (name: string, runs: number[]): Job => ({
    name,
    intervalMs: 60_000,
    run: async () => {
      runs.push(Date.now());
    },
  });
  const claimOf = async (job: string) =>
    (
      await t.db.pool.query<{ slot: string; claimed_by: string; taken_over_from: string | null; finished: boolean }>(
        `SELECT slot, claimed_by, taken_over_from, finished_at IS NOT NULL AS finished FROM scheduler_ticks WHERE job = $1`,
        [job],
      )
    ).rows[0];

  it('leaves a claim alone while its lease lasts, and takes it over once it has run out', async () => {
    // Setup: another instance claimed the job and renews its lease
    const runs: number[] = [];
    const s = new Scheduler(t.db, [probe('lease_probe', runs)], logger);
    await t.db.pool.query(
      `INSERT INTO scheduler_ticks (job, slot, claimed_by, lease_until) VALUES ('lease_probe', $1, 'elsewhere:1:a', now() + interval '1 hour')`,
      [Math.floor(Date.now() / 60_000)],
    );

    // Action + Assertions: busy while the lease lasts
    expect(await s.runOnce(probe('lease_probe', runs))).toBe(false);
    expect(runs).toHaveLength(0);

    // Action: the other instance stops renewing (died)
    await t.db.pool.query(`UPDATE scheduler_ticks SET lease_until = now() - interval '1 second' WHERE job = 'lease_probe'`);
    const ran = await s.runOnce(probe('lease_probe', runs));

    // Assertions
    expect(ran).toBe(true);
    expect(runs).toHaveLength(1);
    const claim = await claimOf('lease_probe');
    expect(claim).toMatchObject({ taken_over_from: 'elsewhere:1:a', finished: true });
    expect(claim!.claimed_by).toMatch(new RegExp(`:${process.pid}:`));
  });

  it("runs a dead instance's unfinished slot once, on the next tick of two instances", async () => {
    // Setup: a claim of this very slot whose lease has run out, as a killed instance leaves it
    const runs: number[] = [];
    const slot = Math.floor(Date.now() / 60_000);
    await t.db.pool.query(
      `INSERT INTO scheduler_ticks (job, slot, claimed_by, lease_until) VALUES ('takeover_probe', $1, 'killed:2:b', now() - interval '1 second')`,
      [slot],
    );
    const one = new Scheduler(t.db, [probe('takeover_probe', runs)], logger);
    const two = new Scheduler(t.db, [probe('takeover_probe', runs)], logger);

    // Action: both tick (first tick 5 s after start)
    one.start();
    two.start();
    await eventually(
      async () => {
        if (!(await claimOf('takeover_probe'))?.finished) throw new Error('the slot has not run yet');
      },
      { timeout: 20_000, what: "the dead instance's slot to run" },
    );
    await Promise.all([one.stop(), two.stop()]);

    // Assertions: one run, for that slot (or the next, had the minute turned meanwhile), taken over from the dead claim
    expect(runs).toHaveLength(1);
    const claim = await claimOf('takeover_probe');
    expect(claim!.taken_over_from).toBe('killed:2:b');
    expect(Number(claim!.slot)).toBeGreaterThanOrEqual(slot);
  }, 30_000);
});
