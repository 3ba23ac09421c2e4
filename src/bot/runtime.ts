import { timingSafeEqual } from 'node:crypto';
import { run, type RunnerHandle } from '@grammyjs/runner';
import express, { type RequestHandler } from 'express';
import { BotError } from 'grammy';
import type { Update } from 'grammy/types';
import type { Config } from '../config.ts';
import type { Database } from '../db/database.ts';
import { problem, sendProblem } from '../http/problem.ts';
import { dailySummaryJob } from '../reports/daily-summary-job.ts';
import { notificationJobs } from '../scheduler/jobs.ts';
import { reminderJobs } from '../scheduler/reminder-jobs.ts';
import { Scheduler, type JobWrapper } from '../scheduler/scheduler.ts';
import type { Services } from '../services.ts';
import type { Logger } from '../telemetry/logger.ts';
import { createBot, type TelegramBot } from './create-bot.ts';
import { publishDefaultCommands } from './command-menu.ts';
import { safeError } from './error-boundary.ts';
import { createI18n } from './i18n.ts';

/** The only update kinds the bot handles; Telegram need not send the rest (my_chat_member: added to or removed from a group). */
// edited_message: a live location arrives as edits of the message that shared it (features/order-places.ts).
const ALLOWED_UPDATES = ['message', 'edited_message', 'callback_query', 'my_chat_member'] as const;

function sameSecret(given: string | undefined, expected: string): boolean {
  if (typeof given !== 'string') return false;
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}

/**
 * Telegram's updates are far smaller (a message is at most 4096 characters,
 * a caption 1024, plus entities and the sender): 256 kB leaves room for the
 * largest with every optional field, and no more for a stranger to send.
 */
const WEBHOOK_BODY_LIMIT = '256kb';

/**
 * POST /api/v1/telegram/webhook: the secret header is checked first (401
 * without it, before a byte of the body is read; the rate limiter in front
 * counts it as a failed authentication), then the body is read (413 past
 * WEBHOOK_BODY_LIMIT) and must look like an update (400). The update is
 * handled and committed before the 200; replies go out afterwards, so
 * Telegram gets its answer fast. A redelivery of a handled update answers
 * 200. Only a database outage gets through the bot's error boundary: that
 * answers 503, so Telegram delivers the update again later. (No grammY
 * webhookCallback: its timeout leaves a late failure unhandled, and the
 * error it throws carries the context, API client and token included.)
 */
export function webhookHandler(telegram: TelegramBot, secret: string, logger: Logger): RequestHandler {
  let ready: Promise<void> | undefined;
  const readBody = express.json({ limit: WEBHOOK_BODY_LIMIT, strict: true, type: () => true });
  return async (req, res) => {
    if (!sameSecret(req.header('X-Telegram-Bot-Api-Secret-Token'), secret)) {
      // Connection: close, so the unread body is not parsed as the next request.
      res.set('Connection', 'close');
      return sendProblem(res, problem(401, 'unauthenticated', 'X-Telegram-Bot-Api-Secret-Token is missing or wrong', 'X-Telegram-Bot-Api-Secret-Token'));
    }
    await new Promise<void>((resolve, reject) =>
      readBody(req, res, (err?: unknown) => (err ? reject(err instanceof Error ? err : new Error('could not read the update body')) : resolve())),
    );
    const body: unknown = req.body;
    const updateId = typeof body === 'object' && body !== null && !Array.isArray(body) ? (body as { update_id?: unknown }).update_id : undefined;
    if (typeof updateId !== 'number' || !Number.isSafeInteger(updateId) || updateId < 0) {
      return sendProblem(res, problem(400, 'validation', 'must be a Telegram update with a non-negative integer update_id', 'update_id'));
    }
    try {
      await (ready ??= telegram.bot.init());
      await telegram.bot.handleUpdate(body as Update);
      res.status(200).end();
    } catch (err) {
      if (!telegram.bot.isInited()) ready = undefined; // getMe failed: try again with the next update
      logger.error({ err: safeError(err instanceof BotError ? err.error : err), update_id: updateId }, 'webhook update not handled');
      sendProblem(res, problem(503, 'unavailable', 'the update could not be handled now; Telegram will deliver it again'), { 'Retry-After': '5' });
    }
  };
}

/** Long polling with the grammY runner (concurrent, per-chat ordered by sequentialize). */
export async function startPolling(telegram: TelegramBot, logger: Logger): Promise<RunnerHandle> {
  // A webhook left over from an earlier webhook deployment would make getUpdates fail with 409.
  await telegram.bot.api.deleteWebhook().catch((err: unknown) => logger.warn({ err: safeError(err) }, 'could not delete the Telegram webhook'));
  const runner = run(telegram.bot, { runner: { fetch: { allowed_updates: [...ALLOWED_UPDATES] } } });
  runner.task()?.catch((err: unknown) => logger.error({ err: safeError(err) }, 'Telegram long polling stopped'));
  return runner;
}

export interface BotRuntime {
  telegram: TelegramBot;
  /** Set in webhook mode: mount it (createHttpApp's telegramWebhook). */
  webhook: RequestHandler | undefined;
  /** Registers the webhook or starts polling, and the scheduler's notification jobs. */
  start(): Promise<void>;
  stop(): Promise<void>;
}

/** The bot as the service runs it, chosen by configuration: webhook when TELEGRAM_WEBHOOK_URL is set, else polling. */
export function prepareBot(config: Config, services: Services, database: Database, logger: Logger, wrapJob?: JobWrapper): BotRuntime {
  const tg = config.telegram;
  const telegram = createBot({
    token: tg.token!,
    apiRoot: tg.apiRoot,
    services,
    database,
    settings: { supportContact: config.supportContact, timeZone: config.reports.timeZone },
    logger,
  });
  const webhook = tg.webhookUrl ? webhookHandler(telegram, tg.webhookSecret!, logger) : undefined;
  const scheduler = new Scheduler(
    database,
    [
      ...notificationJobs(database, services.reports, telegram.notifier, { timeZone: config.reports.timeZone, reportHour: config.reports.hour }),
      ...reminderJobs(database, telegram.notifier.reminders, { ...config.reminders, timeZone: config.reports.timeZone }),
      dailySummaryJob(database, services.reports, telegram.notifier.summaries.sendDailySummary, { timeZone: config.reports.timeZone }),
    ],
    logger,
    wrapJob,
  );
  let runner: RunnerHandle | undefined;
  return {
    telegram,
    webhook,
    async start() {
      if (tg.webhookUrl) {
        await telegram.bot.api
          .setWebhook(tg.webhookUrl, { secret_token: tg.webhookSecret, allowed_updates: [...ALLOWED_UPDATES] })
          .then(() => logger.info('Telegram bot is on: webhook registered'))
          .catch((err: unknown) => logger.error({ err: safeError(err) }, 'could not register the Telegram webhook'));
      } else {
        runner = await startPolling(telegram, logger);
        logger.info('Telegram bot is on: long polling');
      }
      // Before anyone writes: the commands strangers and groups see (each person's own are set when they open the menu).
      await publishDefaultCommands(telegram.bot.api, createI18n(logger)).catch((err: unknown) =>
        logger.warn({ err: safeError(err) }, 'could not register the default command menus'),
      );
      scheduler.start();
      // What the previous instance had queued when it stopped.
      telegram.sendSaved().then(
        (n) => n > 0 && logger.info({ messages: n }, 'notifications saved by a stopped instance sent'),
        (err: unknown) => logger.error({ err: safeError(err) }, 'could not send the notifications a stopped instance saved'),
      );
      // The client links the API hands out are t.me/<username>?start=...: learn the username once.
      telegram.bot.init().then(
        () => services.clients.useBot(telegram.bot.botInfo.username),
        (err: unknown) => logger.warn({ err: safeError(err) }, 'could not read the bot username; API client links have no url until it is known'),
      );
    },
    async stop() {
      await scheduler.stop();
      if (runner?.isRunning()) await runner.stop();
      await telegram.stop();
    },
  };
}
