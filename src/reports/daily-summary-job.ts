import type { Queryable } from '../db/database.ts';
import type { OrderStatus } from '../db/enums.ts';
import { addDays, localInstant, localMidnight, localParts } from '../scheduler/periods.ts';
import { claimPeriodRun, releasePeriodRun } from '../scheduler/scheduler.sql.ts';
import type { Job } from '../scheduler/scheduler.ts';
import type { Principal } from '../users/principal.ts';
import { countActiveOrders } from './daily-summary.sql.ts';
import type { ReportsService } from './reports-service.ts';

/** The evening summary: what came in today and what is still open, by status and by equipment. */
export interface DailySummary {
  /** The local date it sums up. */
  date: string;
  created: number;
  createdByEquipment: Record<string, number>;
  active: number;
  activeByStatus: Partial<Record<OrderStatus, number>>;
  activeByEquipment: Record<string, number>;
}

/** Local time the summary goes out, as the legacy bot sent it. */
const DAILY_SUMMARY_AT = { hour: 21, minute: 30 };

const SCHEDULER: Principal = { userId: 0, telegramId: null, name: 'scheduler', roles: ['ADMIN'], masterId: null, language: 'ru' };

function addTo<K extends string>(into: Partial<Record<K, number>>, key: K, n: number): void {
  into[key] = (into[key] ?? 0) + n;
}

async function dailySummary(db: Queryable, reports: ReportsService, date: string, timeZone: string): Promise<DailySummary> {
  const period = { from: localMidnight(date, timeZone).toISOString(), to: localMidnight(addDays(date, 1), timeZone).toISOString() };
  const [today, active] = await Promise.all([reports.summary(SCHEDULER, period), countActiveOrders(db)]);
  const summary: DailySummary = {
    date,
    created: today.created.total,
    createdByEquipment: today.created.by_equipment,
    active: 0,
    activeByStatus: {},
    activeByEquipment: {},
  };
  for (const row of active) {
    summary.active += row.orders;
    addTo(summary.activeByStatus, row.status, row.orders);
    addTo(summary.activeByEquipment, row.equipment_type, row.orders);
  }
  return summary;
}

/**
 * Sends the day's summary once a day from 21:30 local time (REPORT_TIMEZONE),
 * once across instances (claimed per date); a day the service was down at
 * 21:30 is sent when it comes back before midnight.
 */
export function dailySummaryJob(
  db: Queryable,
  reports: ReportsService,
  /** Resolves with how many people the summary was for. */
  send: (summary: DailySummary) => Promise<number>,
  settings: { timeZone: string; clock?: () => Date },
): Job {
  const now = settings.clock ?? (() => new Date());
  return {
    name: 'daily_summary',
    intervalMs: 60_000,
    run: async () => {
      const at = now();
      const local = localParts(at, settings.timeZone);
      const due = localInstant(local.date, DAILY_SUMMARY_AT.hour * 60 + DAILY_SUMMARY_AT.minute, settings.timeZone).getTime();
      if (at.getTime() < due) return;
      if (!(await claimPeriodRun(db, 'daily_summary', local.date))) return;
      // Nobody to receive it: the day stays due (until midnight) rather than being marked sent to no one.
      if ((await send(await dailySummary(db, reports, local.date, settings.timeZone))) === 0) await releasePeriodRun(db, 'daily_summary', local.date);
    },
  };
}
