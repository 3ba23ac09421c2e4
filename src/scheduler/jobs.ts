import type { Queryable } from '../db/database.ts';
import { deleteExpiredIdempotencyKeys } from '../orders/idempotency.sql.ts';
import type { OrderView } from '../orders/order-view.ts';
import { slaSeconds } from '../orders/order-statuses.ts';
import type { MasterFigures, ReportsService, Summary } from '../reports/reports-service.ts';
import type { Principal } from '../users/principal.ts';
import { localParts, previousPeriod, type PeriodKind, type ReportPeriod } from './periods.ts';
import { claimOverdueRepairs, claimPeriodRun, claimSlaBreaches, pruneProcessedUpdates, releasePeriodRun } from './scheduler.sql.ts';
import type { Job } from './scheduler.ts';

/** Where scheduler notifications go (the bot implements it). */
export interface SchedulerNotifier {
  /** To dispatchers and admins, once per breach. */
  slaBreached(order: OrderView, limitMinutes: number): Promise<void>;
  /** To the dispatchers, once per long repair whose expected completion date has passed. */
  etaOverdue(order: OrderView): Promise<void>;
  /** To every admin, once per period; resolves with how many people it was for (0: nobody to receive it). */
  sendPeriodReport(period: ReportPeriod, summary: Summary, masters: MasterFigures[]): Promise<number>;
}

export interface JobSettings {
  timeZone: string;
  /** Local hour at which the previous period's report is sent. */
  reportHour: number;
  clock?: () => Date;
}

/** The scheduler acts with admin rights for reading reports; it writes nothing as a person. */
const SCHEDULER: Principal = { userId: 0, telegramId: null, name: 'scheduler', roles: ['ADMIN'], masterId: null, language: 'ru' };

const BATCH = 200;

export function notificationJobs(db: Queryable, reports: ReportsService, notifier: SchedulerNotifier, settings: JobSettings): Job[] {
  const now = settings.clock ?? (() => new Date());
  return [
    {
      name: 'sla_watch',
      intervalMs: 60_000,
      run: async () => {
        for (const order of await claimSlaBreaches(db, slaSeconds(), BATCH)) {
          await notifier.slaBreached(order, order.limit_minutes);
        }
      },
    },
    {
      name: 'eta_watch',
      intervalMs: 10 * 60_000,
      run: async () => {
        // The expected date is a local calendar date: overdue from the next local day on.
        const today = localParts(now(), settings.timeZone).date;
        for (const order of await claimOverdueRepairs(db, today, BATCH)) await notifier.etaOverdue(order);
      },
    },
    ...(['day', 'week', 'month'] as PeriodKind[]).map((kind) => ({
      name: `report_${kind}`,
      intervalMs: 5 * 60_000,
      run: async () => {
        const at = now();
        const period = previousPeriod(kind, at, settings.timeZone);
        // Due at reportHour local time on the day after the period ends.
        if (at.getTime() < Date.parse(period.to) + settings.reportHour * 3_600_000) return;
        if (!(await claimPeriodRun(db, `report_${kind}`, period.key))) return;
        const range = { from: period.from, to: period.to };
        const [summary, masters] = await Promise.all([reports.summary(SCHEDULER, range), reports.masters(SCHEDULER, range)]);
        // Nobody to receive it (no admin on Telegram yet): the period stays due and goes out once someone can read it.
        if ((await notifier.sendPeriodReport(period, summary, masters)) === 0) await releasePeriodRun(db, `report_${kind}`, period.key);
      },
    })),
  ];
}

/** Housekeeping that runs with or without the bot. */
export function maintenanceJobs(db: Queryable, clock: () => Date = () => new Date()): Job[] {
  return [
    {
      name: 'prune',
      intervalMs: 60 * 60_000,
      run: async () => {
        await pruneProcessedUpdates(db, 7 * 86_400);
        await deleteExpiredIdempotencyKeys(db, new Date(clock().getTime() - 86_400_000).toISOString());
      },
    },
  ];
}
