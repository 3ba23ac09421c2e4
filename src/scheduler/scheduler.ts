import type { Database } from '../db/database.ts';
import type { Logger } from '../telemetry/logger.ts';
import { tryJobLock } from './scheduler.sql.ts';

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

/**
 * Runs jobs on their intervals. Each run holds a PostgreSQL advisory lock
 * named after the job, so with several instances one job never runs twice at
 * once; jobs themselves claim their work (alerts, periods) so nothing is
 * done twice in sequence either. A failing run is logged and retried at the
 * next tick; it never stops the scheduler.
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
      const run = this.runOnce(job).finally(() => {
        this.running.delete(run);
        this.schedule(job, job.intervalMs);
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

  /** Stops scheduling and waits for runs in progress. */
  async stop(): Promise<void> {
    this.stopped = true;
    for (const t of this.timers) clearTimeout(t);
    this.timers.clear();
    await Promise.allSettled([...this.running]);
  }
}
