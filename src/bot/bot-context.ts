import type { I18nFlavor } from '@grammyjs/i18n';
import type { AutoRetryOptions } from '@grammyjs/auto-retry';
import type { APIThrottlerOptions } from '@grammyjs/transformer-throttler';
import type { Context } from 'grammy';
import type { Database, UnitOfWork } from '../db/database.ts';
import type { UserFromGetMe } from 'grammy/types';
import type { Services } from '../services.ts';
import type { Logger } from '../telemetry/logger.ts';
import type { Principal } from '../users/principal.ts';
import type { BotStore } from './bot-store.ts';
import type { CallbackData, MenuItem } from './callback-data.ts';
import type { Conversation } from './conversation.ts';
import type { Equipment } from './equipment.ts';
import type { Translate } from './i18n.ts';
import type { Notifier } from './notifier.ts';

export interface BotSettings {
  /** Shown to people without a role. */
  supportContact: string;
  /** Business time zone: report periods and the times people type and read. */
  timeZone: string;
}

export interface BotDeps {
  token: string;
  /** Bot API root (self-hosted or a stub); Telegram's when absent. */
  apiRoot?: string;
  services: Services;
  /** Only for the bot's unit of work and its own tables (BotStore); features never see it. */
  database: Database;
  settings: BotSettings;
  logger: Logger;
  /** Send limits; defaults follow Telegram's (about 1 message/s per chat, 30/s overall). */
  throttle?: APIThrottlerOptions;
  autoRetry?: Partial<AutoRetryOptions>;
  /** Known bot identity: skips getMe (tests). */
  botInfo?: UserFromGetMe;
}

/** What the middleware in front of the features puts on every context. */
interface BotState {
  principal: Principal;
  /** The update came from a group chat (a work group, the dispatchers' group): replies there are seen by everyone in it. */
  inGroup: boolean;
  /** The conversation in progress in this chat, if any (row locked for this update). */
  conversation: Conversation | null;
  /** The parsed callback data of a callback query; null when there is none. */
  callback: CallbackData | null;
  /** A tap on the reply-keyboard main menu (reply-menu.ts): the item whose label the message is; null otherwise. */
  menuTap: MenuItem | null;
}

export type BotContext = Context & I18nFlavor & { state: BotState };

/** What feature composers are built with. */
export interface BotKit {
  services: Services;
  /** An update's effects in one transaction (savepoints for parts that may fail alone). */
  uow: UnitOfWork;
  store: BotStore;
  settings: BotSettings;
  equipment: Equipment;
  notifier: Notifier;
  logger: Logger;
  /** Group chats are written in Russian, the business's language, whoever's update it answers. */
  groupT: Translate;
}
