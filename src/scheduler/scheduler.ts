import type { Database } from '../db/database.ts';
import type { Logger } from '../telemetry/logger.ts';
import { claimJobTick, tryJobLock } from './scheduler.sql.ts';

export interface Job {
  /** Low-cardinality name: lock key, span and log field. */
  name: string;
  intervalMs: number;
  run(): Promise<void>;
}

/** What the scheduler needs of the database: a transaction to hold a job's advisory lock in, and a way out of it for the job. */
export type JobSessions = Pick<Database, 'transaction' | 'outsideTransaction'>;

/** Wraps a job run (telemetry: span + duration); must call and return `run()`. */
export type JobWrapper = <T>(name: string, run: () => Promise<T>) => Promise<T>;

/** What one timer tick of a job came to. */
type TickOutcome = 'ran' | 'done' | 'busy' | 'failed';

/** How soon an instance that found the job running elsewhere looks again: it takes over if that instance died. */
const BUSY_RETRY_MS = 5_000;

/**
 * Runs jobs on their intervals. Each run holds a PostgreSQL advisory lock
 * named after the job, so with several instances one job never runs twice at
 * once; jobs themselves claim their work (alerts, periods) so nothing is
 * done twice in sequence either. Timer ticks are aligned to interval slots
 * of the wall clock, and each slot is claimed (scheduler_ticks) under the
 * lock, so across instances a job runs once per interval; an instance that
 * finds the job running elsewhere looks again in 5 s, and runs the slot
 * itself if the other instance died before its run ended. A failing run is
 * logged and retried at the next tick; it never stops the scheduler.
 */
export class Scheduler {
  private readonly timers = new Set<NodeJS.Timeout>();
  private readonly running = new Set<Promise<unknown>>();
  private stopped = false;
  private readonly db: JobSessions;
  private readonly jobs: Job[];
  private readonly logger: Logger;
  private readonly wrap: JobWrapper;

  constructor(db: JobSessions, jobs: Job[], logger: Logger, wrap: JobWrapper = (_n, run) => run()) {
    this.db = db;
    this.jobs = jobs;
    this.logger = logger;
    this.wrap = wrap;
  }

  start(): void {
    for (const job of this.jobs) this.schedule(job, Math.min(5_000, job.intervalMs));
  }

  private schedule(job: Job, delayMs: number): void {
    if (this.stopped) return;
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      const run = this.tick(job).then((outcome) => {
        this.running.delete(run);
        this.schedule(job, nextDelay(job.intervalMs, outcome));
      });
      this.running.add(run);
    }, delayMs);
    timer.unref();
    this.timers.add(timer);
  }

  /** One locked run of a job; false when another instance holds the lock. */
  async runOnce(job: Job): Promise<boolean> {
    try {
      // The lock queries belong to the job's span too.
      // The lock's transaction stays open while the job runs, outside it: the
      // job's own claims commit as they go, and the lock ends with the transaction.
      return await this.wrap(job.name, () =>
        this.db.transaction(async (tx) => {
          if (!(await tryJobLock(tx, job.name))) return false;
          await this.db.outsideTransaction(() => job.run());
          return true;
        }),
      );
    } catch (err) {
      this.logger.error({ err, job: job.name }, 'scheduler job failed');
      return false;
    }
  }

  /** One timer tick: runs the job if this interval slot is still unclaimed and no other instance is running it. */
  private async tick(job: Job): Promise<TickOutcome> {
    const slot = Math.floor(Date.now() / job.intervalMs);
    try {
      return await this.wrap(job.name, () =>
        this.db.transaction(async (tx): Promise<TickOutcome> => {
          if (!(await tryJobLock(tx, job.name))) return 'busy';
          if (!(await claimJobTick(tx, job.name, slot))) return 'done';
          this.logger.debug({ job: job.name, slot }, 'scheduler job started');
          await this.db.outsideTransaction(() => job.run());
          this.logger.debug({ job: job.name, slot }, 'scheduler job ran');
          return 'ran';
        }),
      );
    } catch (err) {
      this.logger.error({ err, job: job.name }, 'scheduler job failed');
      return 'failed';
    }
  }

  /** Stops scheduling and waits for runs in progress. */
  async stop(): Promise<void> {
    this.stopped = true;
    for (const t of this.timers) clearTimeout(t);
    this.timers.clear();
    await Promise.allSettled([...this.running]);
  }
}

/** Done (here or elsewhere): the start of the next slot. Running elsewhere: soon, in case that instance dies. Failed: an interval on. */
function nextDelay(intervalMs: number, outcome: TickOutcome): number {
  if (outcome === 'busy') return Math.min(BUSY_RETRY_MS, intervalMs);
  if (outcome === 'failed') return intervalMs;
  return intervalMs - (Date.now() % intervalMs);
}
