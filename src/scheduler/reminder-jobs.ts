import type { ReminderConfig } from '../config.ts';
import type { Queryable } from '../db/database.ts';
import { intervalStart, quietUntil } from './quiet-hours.ts';
import { claimAcceptReminders, claimUnassignedReminders, claimVisitReminders, deleteOldReminders, type ReminderOrder } from './reminders.sql.ts';
import type { Job } from './scheduler.ts';

export type { ReminderOrder } from './reminders.sql.ts';

/** Where reminders go (the bot implements it); each call gets the orders claimed in one run. */
export interface ReminderNotifier {
  /** To the dispatchers' group when one is set, else to every dispatcher. */
  remindUnassigned(orders: ReminderOrder[]): Promise<void>;
  /** To each master (and his work group) with Accept/Decline, and to each order's dispatcher. */
  remindToAccept(orders: ReminderOrder[]): Promise<void>;
  /** To each master: the visit is coming up. */
  remindVisit(orders: ReminderOrder[]): Promise<void>;
}

export interface ReminderJobSettings extends ReminderConfig {
  timeZone: string;
  clock?: () => Date;
}

const BATCH = 200;
/** Jobs look every minute; a reminder waits at most that long past its interval's start. */
const TICK_MS = 60_000;
const KEEP_DAYS = 7;

/**
 * The reminders the legacy bot sends, with their repeats, quiet hours and
 * once-per-interval claims. Every decision reads the injected clock, so a test
 * can walk through a night and a morning in milliseconds.
 */
export function reminderJobs(db: Queryable, notifier: ReminderNotifier, settings: ReminderJobSettings): Job[] {
  const clock = settings.clock ?? (() => new Date());
  const holdUntil = (now: Date) => quietUntil(now, settings.quietHours, settings.timeZone);
  const jobs: Job[] = [];
  const waiting = (name: string, repeat: ReminderConfig['unassigned'], claim: typeof claimUnassignedReminders, send: (o: ReminderOrder[]) => Promise<void>) => {
    if (repeat.afterMinutes === 0) return;
    jobs.push({
      name,
      intervalMs: TICK_MS,
      run: async () => {
        const now = clock();
        const claimed = await claim(db, {
          now,
          slot: intervalStart(now, repeat.everyMinutes),
          afterMinutes: repeat.afterMinutes,
          holdUntil: holdUntil(now),
          limit: BATCH,
        });
        if (claimed.length) await send(claimed);
      },
    });
  };
  waiting('remind_unassigned', settings.unassigned, claimUnassignedReminders, (o) => notifier.remindUnassigned(o));
  waiting('remind_accept', settings.accept, claimAcceptReminders, (o) => notifier.remindToAccept(o));
  if (settings.visitBeforeMinutes > 0) {
    jobs.push({
      name: 'remind_visit',
      intervalMs: TICK_MS,
      run: async () => {
        const now = clock();
        const claimed = await claimVisitReminders(db, { now, beforeMinutes: settings.visitBeforeMinutes, holdUntil: holdUntil(now), limit: BATCH });
        if (claimed.length) await notifier.remindVisit(claimed);
      },
    });
  }
  jobs.push({
    name: 'prune_reminders',
    intervalMs: 60 * TICK_MS,
    run: async () => {
      await deleteOldReminders(db, new Date(clock().getTime() - KEEP_DAYS * 86_400_000));
    },
  });
  return jobs;
}
