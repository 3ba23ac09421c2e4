import { check, fail, sleep } from 'k6';
import exec from 'k6/execution';
import http from 'k6/http';
import { Trend } from 'k6/metrics';
import type { Options } from 'k6/options';
import { BASE_URL, int, pick } from './lib/http.ts';
import { fixture, type Account } from './lib/fixture.ts';
import { summaryFor, thresholds, TREND_STATS } from './lib/report.ts';

/**
 * The bot under load through its webhook, as people use it: each VU is one
 * dispatcher and one master, each in their own chat. The dispatcher creates
 * an order in the step-by-step dialogue and assigns it with the buttons;
 * the master accepts, arrives and completes it in the completion dialogue;
 * the dispatcher opens the card and closes it: 21 updates per order.
 * Replies go to the stub Bot API the harness runs; the VU reads them back
 * from the stub and clicks the buttons it was sent, as a client would.
 * VUS (default 10) for DURATION (default 1m), THINK seconds between updates (default 1: the bot's sends are throttled per chat as Telegram requires, so faster clicking only queues replies).
 */
const VUS = Number(__ENV.VUS || 10);
const DURATION = __ENV.DURATION || '1m';
const THINK = Number(__ENV.THINK || 1);
const WEBHOOK = 'POST /telegram/webhook';
const reply = new Trend('telegram_reply_ms', true);

export const options: Options = {
  scenarios: { telegram: { executor: 'constant-vus', vus: VUS, duration: DURATION } },
  thresholds: { ...thresholds([WEBHOOK], { dropped: false }), telegram_reply_ms: ['p(95)<1000'] },
  summaryTrendStats: TREND_STATS,
};

const tg = fixture.telegram;
if (!tg) fail('the telegram scenario needs the stub Bot API: run it with `npm run loadtest -- telegram`');
if (fixture.dispatchers.length < VUS || fixture.masters.length < VUS) fail(`VUS=${VUS} needs as many dispatchers and masters in the fixture`);
const BOT = { id: 1000001, is_bot: true, first_name: 'Repair Bot', username: 'repair_test_bot' };

interface StubCall {
  seq: number;
  method: string;
  payload: { chat_id?: number; text?: string; reply_markup?: { inline_keyboard?: Array<Array<{ callback_data?: string }>> } };
  result?: { message_id?: number; text?: string };
}
interface Sent {
  data: string;
  messageId: number;
}

let updateId = 0;
const nextUpdateId = () => (Math.floor(Date.now() / 1000) % 1_000_000) * 1_000_000_000 + exec.vu.idInTest * 1_000_000 + ++updateId;

/** One person's private chat with the bot. */
class Chat {
  readonly user: Account;
  private since = 0;
  private buttons: Sent[] = [];
  constructor(user: Account) {
    this.user = user;
  }

  private post(update: Record<string, unknown>): void {
    const res = http.post(`${BASE_URL}/api/v1/telegram/webhook`, JSON.stringify({ update_id: nextUpdateId(), ...update }), {
      headers: { 'Content-Type': 'application/json', 'X-Telegram-Bot-Api-Secret-Token': tg!.secret },
      tags: { name: WEBHOOK },
    });
    check(res, { [`${WEBHOOK} answers 200`]: (r) => r.status === 200 });
  }

  private get from() {
    return { id: this.user.telegramId, is_bot: false, first_name: 'Нагрузка', language_code: 'ru' };
  }

  text(text: string): void {
    sleep(THINK);
    this.post({
      message: {
        message_id: int(1, 1e9),
        date: Math.floor(Date.now() / 1000),
        chat: { id: this.user.telegramId, type: 'private' },
        from: this.from,
        text,
        ...(text.startsWith('/') ? { entities: [{ type: 'bot_command', offset: 0, length: text.split(' ')[0]!.length }] } : {}),
      },
    });
  }

  /** Clicks the newest button whose data matches; fails the iteration when the bot never offered one. */
  click(match: RegExp): string {
    const button = this.await(match);
    // What was on screen before this click is spent.
    this.buttons = [];
    sleep(THINK);
    this.post({
      callback_query: {
        id: String(nextUpdateId()),
        from: this.from,
        chat_instance: String(this.user.telegramId),
        data: button.data,
        message: {
          message_id: button.messageId,
          date: Math.floor(Date.now() / 1000),
          chat: { id: this.user.telegramId, type: 'private' },
          from: BOT,
          text: '…',
        },
      },
    });
    return button.data;
  }

  offers(match: RegExp): boolean {
    return this.buttons.some((b) => match.test(b.data));
  }

  /** Waits until the bot has sent this chat a button matching `match` (read from the stub). */
  await(match: RegExp): Sent {
    const started = Date.now();
    for (let polls = 0; polls < 200; polls++) {
      const found = [...this.buttons].reverse().find((b) => match.test(b.data));
      if (found) {
        if (polls > 0) reply.add(Date.now() - started);
        return found;
      }
      const res = http.get(`${tg!.stubUrl}/stub/calls?chat_id=${this.user.telegramId}&since=${this.since}`, { tags: { name: 'stub: read replies' } });
      for (const call of (res.json() as unknown as StubCall[]) ?? []) {
        this.since = Math.max(this.since, call.seq);
        for (const row of call.payload.reply_markup?.inline_keyboard ?? []) {
          for (const b of row) if (b.callback_data) this.buttons.push({ data: b.callback_data, messageId: call.result?.message_id ?? 1 });
        }
      }
      sleep(0.05);
    }
    fail(`chat ${this.user.telegramId}: the bot never offered a button matching ${match}`);
  }
}

let chats: { dispatcher: Chat; master: Chat; masterId: number } | undefined;

export default function (): void {
  if (!chats) {
    const i = exec.vu.idInTest - 1;
    const m = fixture.masters[i]!;
    chats = { dispatcher: new Chat(fixture.dispatchers[i]!), master: new Chat(m), masterId: m.id };
  }
  const { dispatcher: d, master: m, masterId } = chats;
  d.text('/new');
  d.click(/^eq:/);
  d.text(pick(['Не сливает воду', 'Не греет', 'Течёт снизу', 'Не включается']));
  d.text(`${pick(['Смирнова', 'Кузнецов', 'Попова', 'Орлов'])} ${pick(['Анна', 'Иван', 'Ольга', 'Сергей'])}`);
  d.text(`ул. Ленина, д. ${int(1, 150)}, кв. ${int(1, 300)}`);
  d.text(`+7 9${int(10, 99)} ${int(100, 999)}-${int(10, 99)}-${int(10, 99)}`);
  d.click(/^sk$/);
  d.click(/^sk$/);
  d.click(/^cf:y$/);
  const pickMaster = d.click(/^pm:\d+:\d+:0$/);
  const orderId = pickMaster.split(':')[1]!;
  // Page through the masters until ours is on the keyboard.
  const assign = new RegExp(`^as:${orderId}:\\d+:${masterId}$`);
  for (let page = 0; page < 50; page++) {
    d.await(new RegExp(`^(as|pm):${orderId}:`));
    if (d.offers(assign)) break;
    d.click(new RegExp(`^pm:${orderId}:\\d+:[1-9]\\d*$`));
  }
  d.click(assign);
  m.click(new RegExp(`^oa:ac:${orderId}:`));
  m.click(new RegExp(`^oa:ar:${orderId}:`));
  m.click(new RegExp(`^oa:cp:${orderId}:`));
  m.text(String(int(20, 150) * 100));
  m.text(String(int(0, 15) * 100));
  m.click(/^yn:/);
  m.click(/^yn:/);
  m.click(/^cf:y$/);
  // The dispatcher is told the order is done, opens it from the notice and settles it.
  d.click(new RegExp(`^oc:${orderId}$`));
  d.click(new RegExp(`^oa:cl:${orderId}:`));
}

export const handleSummary = summaryFor(`telegram: ${VUS} dispatcher+master pairs for ${DURATION}`);
