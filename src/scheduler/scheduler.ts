import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import type { Queryable } from '../db/database.ts';
import type { Logger } from '../telemetry/logger.ts';
import { claimJobSlot, finishJobSlot, renewJobLease, type SlotClaim } from './job-slots.sql.ts';

export interface Job {
  /** Low-cardinality name: claim key, span and log field. */
  name: string;
  intervalMs: number;
  run(): Promise<void>;
}

/** Wraps a job run (telemetry: span + duration); must call and return `run()`. */
export type JobWrapper = <T>(name: string, run: () => Promise<T>) => Promise<T>;

/** What one timer tick of a job came to. */
type TickOutcome = 'ran' | 'done' | 'busy' | 'failed';

/**
 * How long a claim lasts without renewal, and how often a running instance
 * renews it. A dead instance renews nothing: its claim ends at most
 * LEASE_MS after its last renewal, and another instance takes it over.
 */
const LEASE_MS = 15_000;
const RENEW_MS = 5_000;

/** How soon an instance that found the job claimed elsewhere looks again: it takes over once that claim's lease has run out. */
const BUSY_RETRY_MS = 5_000;

/**
 * Runs jobs on their intervals. Timer ticks are aligned to interval slots of
 * the wall clock, and each slot of a job is claimed in one committed
 * statement (scheduler_ticks) with a lease the running instance renews
 * every 5 s, so across instances a job runs once per interval and never on
 * two at once; jobs themselves claim their work (alerts, periods) so nothing
 * is done twice in sequence either. Nothing is held open during a run: no
 * transaction, no second connection, nothing a dead instance's backend (or a
 * pooler in front of it) could keep. An instance that finds the job claimed
 * looks again in 5 s; if the claimant died, its lease runs out within 15 s
 * and the next look takes the slot over, so a killed instance's job runs
 * elsewhere within 20 s. A failing run is logged and the job runs again at
 * its next slot; it never stops the scheduler.
 */
export class Scheduler {
  private readonly timers = new Set<NodeJS.Timeout>();
  private readonly running = new Set<Promise<unknown>>();
  private stopped = false;
  private readonly db: Queryable;
  /** Names this instance in its claims, for an operator reading scheduler_ticks or a takeover's log line. */
  private readonly instance = `${hostname()}:${process.pid}`;
  private readonly jobs: Job[];
  private readonly logger: Logger;
  private readonly wrap: JobWrapper;

  constructor(db: Queryable, jobs: Job[], logger: Logger, wrap: JobWrapper = (_n, run) => run()) {
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

  /** One run of a job now, whatever its slot; false when another run holds the job or the run failed. */
  async runOnce(job: Job): Promise<boolean> {
    return (await this.tick(job, true)) === 'ran';
  }

  /** One timer tick: runs the job if this interval slot is still unclaimed, or its claimant's lease ran out. */
  private async tick(job: Job, anySlot = false): Promise<TickOutcome> {
    const claim = `${this.instance}:${randomUUID()}`;
    const held: { won?: SlotClaim; renewing?: Promise<void> } = {};
    let renewal: NodeJS.Timeout | undefined;
    try {
      // The claim's queries belong to the job's span too.
      return await this.wrap(job.name, async (): Promise<TickOutcome> => {
        const slot = Math.floor(Date.now() / job.intervalMs);
        const won = await claimJobSlot(this.db, { job: job.name, slot, claim, leaseMs: LEASE_MS, anySlot });
        if (typeof won === 'string') return won;
        held.won = won;
        renewal = setInterval(() => {
          held.renewing ??= this.renew(job, claim).finally(() => (held.renewing = undefined));
        }, RENEW_MS);
        renewal.unref();
        const fields = logFields(job, won);
        if (won.taken_over_from) this.logger.warn(fields, 'scheduler job taken over: its claimant stopped renewing');
        this.logger.debug(fields, 'scheduler job started');
        await job.run();
        this.logger.debug(fields, 'scheduler job ran');
        return 'ran';
      });
    } catch (err) {
      this.logger.error({ err, ...(held.won ? logFields(job, held.won) : { job: job.name }) }, 'scheduler job failed');
      return 'failed';
    } finally {
      clearInterval(renewal);
      // A renewal landing after the end would read as a lost claim.
      await held.renewing;
      if (held.won) await this.finish(job, claim, held.won);
    }
  }

  /** Records a claimed run's end (run or failed); one that cannot be recorded leaves the claim to lapse, and the slot runs again then. */
  private async finish(job: Job, claim: string, won: SlotClaim): Promise<void> {
    try {
      if (!(await finishJobSlot(this.db, job.name, claim))) this.logger.warn(logFields(job, won), 'scheduler job finished after its claim was taken over');
    } catch (err) {
      // Cut by a shutdown (the pool closing under it) this is expected, and the slot runs again when its lease lapses.
      if (this.stopped) this.logger.warn({ err, ...logFields(job, won) }, 'scheduler job end not recorded: stopping; the slot runs again elsewhere');
      else this.logger.error({ err, ...logFields(job, won) }, 'scheduler job end not recorded');
    }
  }

  private async renew(job: Job, claim: string): Promise<void> {
    try {
      if (!(await renewJobLease(this.db, job.name, claim, LEASE_MS)))
        this.logger.warn({ job: job.name }, 'scheduler job lease lost: another instance took it over');
    } catch (err) {
      this.logger.warn({ err, job: job.name }, 'scheduler job lease not renewed');
    }
  }

  /**
   * The process is shutting down: no new run starts, and a run cut by the
   * shutdown is expected. Called as a shutdown begins, before anything waits
   * (the HTTP server may wait on requests long after the grace cancels a run).
   */
  beginStop(): void {
    this.stopped = true;
  }

  /** Stops scheduling and waits for runs in progress. */
  async stop(): Promise<void> {
    this.beginStop();
    for (const t of this.timers) clearTimeout(t);
    this.timers.clear();
    await Promise.allSettled([...this.running]);
  }
}

/**
 * Claimed elsewhere: soon, in case that instance dies. Otherwise (done
 * here or elsewhere, or failed) the start of the next slot: ticks stay
 * aligned, so a slot starts at its beginning and a takeover has the rest
 * of it.
 */
function nextDelay(intervalMs: number, outcome: TickOutcome): number {
  if (outcome === 'busy') return Math.min(BUSY_RETRY_MS, intervalMs);
  return intervalMs - (Date.now() % intervalMs);
}

function logFields(job: Job, won: SlotClaim): { job: string; slot: number; taken_over_from?: string } {
  return { job: job.name, slot: won.slot, ...(won.taken_over_from ? { taken_over_from: won.taken_over_from } : {}) };
}
