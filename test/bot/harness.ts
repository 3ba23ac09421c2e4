import { writeFileSync } from 'node:fs';
import { afterAll, beforeAll, expect } from 'vitest';
import { createBot, type TelegramBot } from '../../src/bot/create-bot.ts';
import { webhookHandler } from '../../src/bot/runtime.ts';
import { createHttpApp } from '../../src/http/app.ts';
import { listen, type RunningServer } from '../../src/http/server.ts';
import type { ConsoleConfig } from '../../src/console/console-services.ts';
import { createServices, type Services } from '../../src/services.ts';
import { createLogger } from '../../src/telemetry/logger.ts';
import type { Principal } from '../../src/users/principal.ts';
import type { TestDatabase } from '../support/db.ts';
import { startTelegramStub, type StubCall, type TelegramStub } from '../support/telegram-stub.ts';

/**
 * A bot wired as in production (webhook on a real express server, real
 * database, throttled and retrying API client) talking to the local Bot
 * API stub. Tests act as Telegram users: they post real update JSON to the
 * webhook and read what the bot sent from the stub. Every exchange is also
 * written down as a transcript.
 */
export const TOKEN = '123456789:TEST-token-for-the-stub-only_xyz';
export const SECRET = 'test-webhook-secret';
export const SUPPORT = 'Call +7 495 000-00-00 or write to @repair_support';

export interface Harness {
  stub: TelegramStub;
  /** Every log line the bot wrote (JSON), to check what is and is not logged. */
  logs: string[];
  services: Services;
  telegram: TelegramBot;
  http: RunningServer;
  webhookUrl: string;
  transcript: string[];
  /** Posts an update to the webhook as Telegram would. */
  post(update: object, secret?: string): Promise<Response>;
  user(id: number, name: string, languageCode?: string): TgUser;
  /** A new bot and server on the same database and stub, as after a process restart. */
  restart(): Promise<void>;
}

type Stage = 'assigned' | 'accepted' | 'in_progress' | 'completed' | 'closed';
const STAGES: Stage[] = ['assigned', 'accepted', 'in_progress', 'completed', 'closed'];

/**
 * Moves an order through the workflow as the people who may (staff assign
 * and close, the master does the rest), up to `until`; waits for the bot
 * to announce it all.
 */
export async function workOrder(
  h: Harness,
  people: { staff: Principal; master: Principal & { masterId: number } },
  orderId: number,
  until: Stage,
  money: { total_amount: string; materials_cost: string; has_review: boolean; out_of_city: boolean } = {
    total_amount: '10000',
    materials_cost: '2000',
    has_review: false,
    out_of_city: false,
  },
): Promise<void> {
  const w = h.services.workflow;
  const { staff, master } = people;
  const steps: Record<Stage, () => Promise<unknown>> = {
    assigned: () => w.act(staff, orderId, 'assign', { master_id: master.masterId }),
    accepted: () => w.act(master, orderId, 'accept', {}),
    in_progress: () => w.act(master, orderId, 'arrive', {}),
    completed: () => w.act(master, orderId, 'complete', money),
    closed: () => w.act(staff, orderId, 'close', {}),
  };
  for (const stage of STAGES.slice(0, STAGES.indexOf(until) + 1)) await steps[stage]();
  await h.telegram.idle();
}

/** A group chat as Telegram describes it in updates (ids are negative). */
export interface Group {
  id: number;
  type: 'group' | 'supergroup';
  title: string;
}

export interface Button {
  text: string;
  callback_data: string;
}

/** Calls that say something to someone (not getMe, setWebhook, ...). */
const SPOKEN = new Set(['sendMessage', 'editMessageText', 'editMessageReplyMarkup', 'answerCallbackQuery', 'sendDocument', 'sendPhoto', 'sendMediaGroup']);

let nextUpdateId = 10_000;
export const updateId = () => ++nextUpdateId;

export function keyboardOf(call: StubCall | undefined): Button[][] {
  const markup = call?.payload.reply_markup as { inline_keyboard?: Button[][] } | undefined;
  return markup?.inline_keyboard ?? [];
}

/** The reply keyboard (the persistent main menu under the input field) a message carries, by rows of labels; null when it carries none. */
export function replyKeyboardOf(call: StubCall | undefined): string[][] | null {
  const markup = call?.payload.reply_markup as { keyboard?: Array<Array<{ text: string }>> } | undefined;
  return markup?.keyboard ? markup.keyboard.map((row) => row.map((b) => b.text)) : null;
}

/** True when the message takes the reply keyboard away. */
export function removesKeyboard(call: StubCall | undefined): boolean {
  return (call?.payload.reply_markup as { remove_keyboard?: boolean } | undefined)?.remove_keyboard === true;
}

/** Labels of the inline buttons and of the reply keyboard a message carries. */
export function buttonsOf(call: StubCall | undefined): string[] {
  return [...keyboardOf(call).flat(), ...(replyKeyboardOf(call) ?? []).flat().map((text) => ({ text }))].map((b) => b.text);
}

class TgUser {
  readonly id: number;
  readonly name: string;
  private readonly h: Harness;
  private readonly from: Record<string, unknown>;
  constructor(h: Harness, id: number, name: string, languageCode = 'ru') {
    this.h = h;
    this.id = id;
    this.name = name;
    this.from = { id, is_bot: false, first_name: name, language_code: languageCode };
  }

  /** This person's private chat with the bot. */
  private get privateChat(): object {
    return { id: this.id, type: 'private', first_name: this.name };
  }

  messageUpdate(text: string, id = updateId(), chat: object = this.privateChat): object {
    const entities = text.startsWith('/') ? [{ type: 'bot_command', offset: 0, length: text.split(' ')[0]!.length }] : undefined;
    return this.messageWith({ text, ...(entities ? { entities } : {}) }, id, chat);
  }

  /** A message with any content (a sticker, chat_shared, migrate_to_chat_id, ...). */
  messageWith(content: object, id = updateId(), chat: object = this.privateChat): object {
    return { update_id: id, message: { message_id: id, date: Math.floor(Date.now() / 1000), chat, from: this.from, ...content } };
  }

  callbackUpdate(data: string, messageId: number, id = updateId(), chat: object = { id: this.id, type: 'private' }): object {
    return {
      update_id: id,
      callback_query: {
        id: `cb${id}`,
        from: this.from,
        chat_instance: `ci${this.id}`,
        data,
        message: { message_id: messageId, date: Math.floor(Date.now() / 1000), chat, text: '...' },
      },
    };
  }

  /** This person changes the bot's membership of a group (adds it: 'member', removes it: 'left'). */
  memberUpdate(group: Group, from: 'left' | 'member', to: 'left' | 'member' | 'kicked', id = updateId()): object {
    const bot = { id: 1000001, is_bot: true, first_name: 'Repair Bot', username: 'repair_test_bot' };
    return {
      update_id: id,
      my_chat_member: {
        chat: group,
        from: this.from,
        date: Math.floor(Date.now() / 1000),
        old_chat_member: { user: bot, status: from },
        new_chat_member: { user: bot, status: to },
      },
    };
  }

  /** Writes in a group chat. */
  async sendIn(group: Group, text: string): Promise<StubCall[]> {
    return this.act(`${this.name} in "${group.title}": ${text}`, this.messageUpdate(text, updateId(), group));
  }

  /** Presses the newest button whose label contains `label` in a group chat. */
  async pressIn(group: Group, label: string): Promise<StubCall[]> {
    const { button, messageId } = this.findButton(label, group.id);
    return this.act(`${this.name} in "${group.title}" presses [${button.text}]`, this.callbackUpdate(button.callback_data, messageId, updateId(), group));
  }

  /** Sends a text message and waits until the bot has answered. */
  async send(text: string): Promise<StubCall[]> {
    return this.act(`${this.name}: ${text}`, this.messageUpdate(text));
  }

  /**
   * Presses the newest inline button whose label contains `label` in this
   * chat or, when the reply keyboard shown has it, taps that (Telegram sends
   * the label as a message).
   */
  async press(label: string): Promise<StubCall[]> {
    const { button, messageId } = this.locate(label);
    if (messageId === null) return this.act(`${this.name} taps ⌨[${button.text}]`, this.messageUpdate(button.text));
    return this.act(`${this.name} presses [${button.text}]`, this.callbackUpdate(button.callback_data, messageId));
  }

  /**
   * The newest button with `label`: an inline one (with its message), or
   * one of the reply keyboard still shown (messageId null: a tap sends text).
   */
  private locate(label: string, chatId = this.id): { button: Button; messageId: number | null } {
    let keyboardShown = true; // until a newer message replaced or took away the reply keyboard
    for (const call of [...this.h.stub.messagesTo(chatId)].reverse()) {
      const button = keyboardOf(call)
        .flat()
        .find((b) => b.text.includes(label));
      if (button) {
        const messageId = call.method === 'sendMessage' ? (call.result as { message_id: number }).message_id : Number(call.payload.message_id);
        return { button, messageId };
      }
      const reply = replyKeyboardOf(call);
      const tap = keyboardShown ? reply?.flat().find((text) => text.includes(label)) : undefined;
      if (tap !== undefined) return { button: { text: tap, callback_data: '' }, messageId: null };
      if (reply || removesKeyboard(call)) keyboardShown = false;
    }
    throw new Error(`${this.name} has no button "${label}"`);
  }

  /** The newest inline button with `label` and its message (for callback updates built by hand). */
  findButton(label: string, chatId = this.id): { button: Button; messageId: number } {
    const found = this.locate(label, chatId);
    if (found.messageId === null) throw new Error(`${this.name}'s "${label}" is a reply-keyboard button, not an inline one`);
    return { button: found.button, messageId: found.messageId };
  }

  /** Everything sent to this chat. */
  get inbox(): StubCall[] {
    return this.h.stub.messagesTo(this.id);
  }

  get last(): StubCall | undefined {
    return this.inbox.at(-1);
  }

  async act(said: string, update: object): Promise<StubCall[]> {
    await this.h.telegram.idle(); // what earlier changes announced is not this action's answer
    const since = this.h.stub.calls.at(-1)?.seq ?? 0;
    this.h.transcript.push(`> ${said}`);
    const res = await this.h.post(update);
    expect(res.status).toBe(200);
    await this.h.telegram.idle();
    const answered = this.h.stub.calls.filter((c) => c.seq > since && !c.failed && SPOKEN.has(c.method));
    for (const c of answered) this.h.transcript.push(...describe(c, this.h, this.id));
    return answered;
  }
}

function describe(c: StubCall, h: Harness, self: number): string[] {
  const inline = keyboardOf(c)
    .map((row) => row.map((b) => `[${b.text}]`).join(' '))
    .join(' ');
  // The reply keyboard, row by row ("/" between rows), or its removal.
  const reply = replyKeyboardOf(c);
  const keyboard = reply ? `⌨ ${reply.map((row) => row.map((text) => `[${text}]`).join(' ')).join(' / ')}` : removesKeyboard(c) ? '⌨ removed' : '';
  const buttons = [inline, keyboard].filter(Boolean).join('\n    ');
  const chatId = Number(c.payload.chat_id);
  const to = chatId === self ? 'bot' : `bot -> ${chatId < 0 ? `group ${chatId}` : h.user(chatId, '').name || chatId}`;
  switch (c.method) {
    case 'sendMessage':
    case 'editMessageText':
      return [
        `< ${to}${c.method === 'editMessageText' ? ' (edits)' : ''}: ${(c.payload.text as string).replaceAll('\n', '\n    ')}${buttons ? `\n    ${buttons}` : ''}`,
      ];
    case 'editMessageReplyMarkup':
      return [`< ${to} (edits the buttons): ${buttons}`];
    case 'answerCallbackQuery':
      return c.payload.text ? [`< toast: ${c.payload.text as string}`] : [];
    case 'sendDocument':
      return [`< ${to}: [file ${c.files.document?.name}, ${c.files.document?.size} bytes] ${(c.payload.caption as string | undefined) ?? ''}`];
    case 'sendMediaGroup':
      return [`< ${to}: [album of ${(c.result as unknown[]).length}]`];
    case 'sendPhoto':
      return [
        `< ${to}: [photo ${c.files.photo?.name}, ${c.files.photo?.size} bytes] ${((c.payload.caption as string | undefined) ?? '').replaceAll('\n', '\n    ')}`,
      ];
    default:
      return [];
  }
}

const names = new Map<number, string>();

/** The bot, the stub and an HTTP server for this test file. */
export function useBotHarness(t: TestDatabase, config: ConsoleConfig = {}): Harness {
  const h = { transcript: [] as string[], logs: [] as string[] } as unknown as Harness;
  const logger = createLogger('info', { write: (line: string) => void h.logs.push(line) });
  const boot = async () => {
    h.services = createServices(t.db, { ...config }, { error: () => {} });
    h.telegram = createBot({
      token: TOKEN,
      apiRoot: h.stub.url,
      services: h.services,
      database: t.db,
      settings: { supportContact: SUPPORT, timeZone: 'Europe/Moscow' },
      logger,
      // Per-chat order kept, Telegram's pacing dropped: tests are not about waiting.
      throttle: { global: { maxConcurrent: 20 }, group: { maxConcurrent: 1 }, out: { maxConcurrent: 1 } },
    });
    const app = createHttpApp({ services: h.services, expectedMigrations: [], telegramWebhook: webhookHandler(h.telegram, SECRET, logger) });
    h.http = await listen(app, 0, '127.0.0.1');
    h.webhookUrl = `http://127.0.0.1:${h.http.port}/api/v1/telegram/webhook`;
  };
  const shutdown = async () => {
    await h.telegram?.stop();
    await h.http?.close(100);
  };
  beforeAll(async () => {
    h.stub = await startTelegramStub();
    await boot();
    h.restart = async () => {
      await shutdown();
      await boot();
    };
    h.post = (update, secret = SECRET) =>
      fetch(h.webhookUrl, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-telegram-bot-api-secret-token': secret },
        body: JSON.stringify(update),
      });
    h.user = (id, name, languageCode) => {
      if (name) names.set(id, name);
      return new TgUser(h, id, names.get(id) ?? name, languageCode);
    };
  });
  afterAll(async () => {
    await shutdown();
    await h.stub?.close();
    if (process.env.BOT_TRANSCRIPT_FILE) writeFileSync(process.env.BOT_TRANSCRIPT_FILE, `${h.transcript.join('\n')}\n`, { flag: 'a' });
  });
  return h;
}
