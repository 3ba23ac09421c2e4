import { autoRetry } from '@grammyjs/auto-retry';
import { sequentialize } from '@grammyjs/runner';
import { apiThrottler } from '@grammyjs/transformer-throttler';
import { Bot } from 'grammy';
import { botApiTelemetry, updateTelemetry } from '../telemetry/bot-telemetry.ts';
import type { BotContext, BotDeps, BotKit } from './bot-context.ts';
import { BotStore } from './bot-store.ts';
import { Equipment } from './equipment.ts';
import { domainErrors, errorBoundary, safeError } from './error-boundary.ts';
import { dialogueGuard } from './dialogue-guard.ts';
import { exactlyOnce } from './exactly-once.ts';
import { dropEmptyKeyboardRows } from './keyboard-rows.ts';
import { adminMastersFeature } from './features/admin-masters.ts';
import { adminUsersFeature } from './features/admin-users.ts';
import { catalogFeature } from './features/catalog.ts';
import { clientFeature } from './features/client.ts';
import { clientLinkFeature } from './features/client-link.ts';
import { consoleLinkFeature } from './features/console-link.ts';
import { fallbackFeature } from './features/fallback.ts';
import { masterCompleteFeature } from './features/master-complete.ts';
import { refuseOnSiteFeature } from './features/refuse-on-site.ts';
import { orderCorrectFeature } from './features/order-correct.ts';
import { moneyFeature } from './features/money.ts';
import { masterEditFeature } from './features/master-edit.ts';
import { orderActionsFeature } from './features/order-actions.ts';
import { orderCreateFeature } from './features/order-create.ts';
import { orderDialogsFeature } from './features/order-dialogs.ts';
import { orderListsFeature } from './features/order-lists.ts';
import { orderDeleteFeature } from './features/order-delete.ts';
import { returningClientFeature } from './features/returning-client.ts';
import { mastersTodayFeature } from './features/masters-today.ts';
import { orderEditFeature } from './features/order-edit.ts';
import { orderHistoryFeature } from './features/order-history.ts';
import { orderRescheduleFeature } from './features/order-reschedule.ts';
import { orderMediaFeature } from './features/order-media.ts';
import { orderPlacesFeature } from './features/order-places.ts';
import { reportsFeature } from './features/reports.ts';
import { rulesFeature } from './features/rules.ts';
import { searchFeature } from './features/search.ts';
import { startFeature } from './features/start.ts';
import { workGroupsFeature } from './features/work-groups.ts';
import { createI18n, translator } from './i18n.ts';
import { callbackGate, identify, strangerGate } from './identify.ts';
import { Notifier } from './notifier.ts';
import { ChatLanes } from './chat-lanes.ts';
import { deferUntilCommit, Pending } from './outbox.ts';
import { saveSpilled, sendSaved } from './outbox-table.ts';
import { menuTaps } from './reply-menu.ts';
import { autoAnswer } from './routing.ts';

export interface TelegramBot {
  bot: Bot<BotContext>;
  notifier: Notifier;
  /** Resolves once every reply and notification started so far went out (or failed). */
  idle(): Promise<void>;
  /** Handler failures since start (each also logged and marked on the update's telemetry). */
  readonly failures: number;
  /** Sends the notifications an instance saved when it stopped (bot_outbox); resolves with how many. */
  sendSaved(): Promise<number>;
  /** Unsubscribes from order changes, saves queued notifications for the next instance, waits for replies in flight. */
  stop(): Promise<void>;
}

/**
 * The bot: one Composer per feature behind a fixed pipeline.
 *
 *   telemetry -> per-chat ordering -> error boundary -> exactly-once transaction
 *   -> who is writing -> language -> reply-keyboard taps -> button auto-answer -> domain errors (savepoint)
 *   -> clients (their own orders only) -> strangers see contact info -> forged buttons refused
 *   -> a menu command ends an open dialogue out loud -> features -> fallback
 *
 * Bot API calls pass, outermost first: empty keyboard rows dropped, deferral
 * until commit, the chat's lanes (replies ahead of notifications,
 * notifications coalesced and bounded), throttling (per chat and overall),
 * 429 retry, telemetry (each HTTP attempt).
 */
export function createBot(deps: BotDeps): TelegramBot {
  const { services, logger } = deps;
  const uow = deps.database;
  const store = new BotStore(deps.database);
  const bot = new Bot<BotContext>(deps.token, { client: { apiRoot: deps.apiRoot }, botInfo: deps.botInfo });
  bot.api.config.use(botApiTelemetry());
  bot.api.config.use(autoRetry({ maxRetryAttempts: 5, maxDelaySeconds: 60, ...deps.autoRetry }));
  bot.api.config.use(apiThrottler(deps.throttle));
  const lanes = new ChatLanes({ onDropped: (_chat, method) => logger.warn({ method }, "notification dropped: the chat's outgoing queue is full") });
  bot.api.config.use(lanes.transformer());
  bot.api.config.use(deferUntilCommit());
  bot.api.config.use(dropEmptyKeyboardRows());

  const pending = new Pending();
  const i18n = createI18n(logger);
  const equipment = new Equipment(services.equipment);
  const notifier = new Notifier({ api: bot.api, services, i18n, equipment, settings: deps.settings, logger, pending });
  const kit: BotKit = { services, uow, store, settings: deps.settings, equipment, notifier, logger, groupT: translator(i18n, 'ru') };
  let failures = 0;

  bot.use(updateTelemetry());
  // One update per chat at a time (webhook deliveries and the runner are concurrent).
  bot.use(sequentialize<BotContext>((ctx) => (ctx.chat ?? ctx.from)?.id.toString()));
  bot.use(errorBoundary(i18n, logger, { handlerFailed: () => failures++, track: (p) => pending.track(p) }));
  bot.use(exactlyOnce(uow, store, pending, logger));
  bot.use(identify(services, store));
  bot.use(i18n);
  bot.use(menuTaps(i18n));
  bot.use(autoAnswer());
  bot.use(domainErrors(uow));
  // Clients hold no role: their links, buttons and messages are answered before the stranger gate.
  bot.use(clientFeature(kit));
  bot.use(strangerGate(deps.settings));
  bot.use(callbackGate());
  bot.use(dialogueGuard(store));
  bot.use(
    workGroupsFeature(kit),
    startFeature(kit),
    orderCreateFeature(kit),
    returningClientFeature(kit),
    orderListsFeature(kit),
    orderActionsFeature(kit),
    orderDialogsFeature(kit),
    orderRescheduleFeature(kit),
    orderHistoryFeature(kit),
    orderEditFeature(kit),
    orderDeleteFeature(kit),
    mastersTodayFeature(kit),
    masterCompleteFeature(kit),
    refuseOnSiteFeature(kit),
    orderCorrectFeature(kit),
    searchFeature(kit),
    adminMastersFeature(kit),
    masterEditFeature(kit),
    adminUsersFeature(kit),
    reportsFeature(kit),
    moneyFeature(kit),
    catalogFeature(kit),
    rulesFeature(kit),
    consoleLinkFeature(kit),
    clientLinkFeature(kit),
    orderMediaFeature(kit),
    orderPlacesFeature(kit),
  );
  bot.use(fallbackFeature());
  // Reached only by what the boundary lets through (a database outage).
  bot.catch((err) => logger.error({ err: safeError(err.error), update_id: err.ctx.update.update_id }, 'bot update failed'));

  const unsubscribe = services.changes.subscribe(notifier.onChange);
  const unsubscribePeople = services.people.subscribe(notifier.onPersonChange);
  return {
    bot,
    notifier,
    idle: () => pending.idle(),
    get failures() {
      return failures;
    },
    sendSaved: () => {
      const sending = sendSaved(store, bot.api, logger);
      pending.track(sending);
      return sending;
    },
    stop: async () => {
      unsubscribe();
      unsubscribePeople();
      lanes.stop();
      await pending.idle();
      await saveSpilled(store, lanes.takeSpilled(), logger);
    },
  };
}
