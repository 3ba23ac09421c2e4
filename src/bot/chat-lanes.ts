import { AsyncLocalStorage } from 'node:async_hooks';
import type { Transformer } from 'grammy';

/**
 * What goes out to one chat, in two lanes, one call at a time into the
 * throttler (which paces a chat at about one message a second):
 * - urgent: replies to what the person just did and apologies (marked with
 *   urgent()); they overtake everything queued in the bulk lane;
 * - bulk: notifications. Queued sendMessage calls to a chat are coalesced
 *   (a burst of status changes becomes one message, buttons kept), and the
 *   lane is bounded: past `maxQueued` the oldest is dropped and logged.
 * At shutdown (stop()) queued and later notifications are not sent but
 * handed over (spilled) for the outbox table, so the next instance sends
 * them and shutdown does not wait for a long queue.
 * Calls without a chat (answerCallbackQuery) go straight through.
 */

const urgentCalls = new AsyncLocalStorage<true>();

/** Runs `fn` with its Bot API calls in the urgent lane of their chat. */
export function urgent<T>(fn: () => T): T {
  return urgentCalls.run(true, fn);
}

/** Telegram's longest message, and its limit of buttons on one keyboard. */
const MAX_TEXT = 4096;
const MAX_BUTTONS = 100;

type Payload = Record<string, unknown> & { chat_id?: unknown };
interface Keyboard {
  inline_keyboard: Array<Array<{ callback_data?: string; url?: string; text: string }>>;
}
interface Call {
  method: string;
  payload: Payload;
  run(payload: Payload): Promise<unknown>;
  settle: Array<{ resolve(v: unknown): void; reject(e: unknown): void }>;
}
interface Lane {
  busy: boolean;
  urgent: Call[];
  bulk: Call[];
}

/** A notification handed over at shutdown: sent later by whichever instance starts next. */
export interface SpilledMessage {
  chatId: number;
  payload: Payload;
}

const ACCEPTED = { ok: true as const, result: true };

function keyboardOf(p: Payload): Keyboard | undefined {
  return p.reply_markup as Keyboard | undefined;
}

/** Whether b can join a (plain text messages, same options, one keyboard of inline buttons, within Telegram's limits). */
function mergeable(a: Payload, b: Payload): boolean {
  const others = (p: Payload) => JSON.stringify(Object.entries(p).filter(([k]) => k !== 'text' && k !== 'reply_markup' && k !== 'chat_id'));
  if (others(a) !== others(b)) return false;
  const ka = keyboardOf(a);
  const kb = keyboardOf(b);
  if ((ka && !ka.inline_keyboard) || (kb && !kb.inline_keyboard)) return false;
  const buttons = (ka?.inline_keyboard.flat().length ?? 0) + (kb?.inline_keyboard.flat().length ?? 0);
  return String(a.text).length + 2 + String(b.text).length <= MAX_TEXT && buttons <= MAX_BUTTONS;
}

function merge(a: Payload, b: Payload): Payload {
  const rows = [...(keyboardOf(a)?.inline_keyboard ?? []), ...(keyboardOf(b)?.inline_keyboard ?? [])];
  const seen = new Set<string>();
  const unique = rows.filter((row) => {
    const key = JSON.stringify(row);
    return seen.has(key) ? false : (seen.add(key), true);
  });
  return { ...a, text: `${String(a.text)}\n\n${String(b.text)}`, ...(unique.length ? { reply_markup: { inline_keyboard: unique } } : {}) };
}

export class ChatLanes {
  private readonly lanes = new Map<string, Lane>();
  private readonly maxQueued: number;
  private readonly onDropped: (chatId: string, method: string) => void;
  private stopped = false;
  private spilled: SpilledMessage[] = [];

  constructor(opts: { maxQueued?: number; onDropped?: (chatId: string, method: string) => void } = {}) {
    this.maxQueued = opts.maxQueued ?? 20;
    this.onDropped = opts.onDropped ?? (() => {});
  }

  /** The API transformer; install it inside deferUntilCommit and outside the throttler. */
  transformer(): Transformer {
    return (prev, method, payload, signal) => {
      const p = payload as Payload | undefined;
      if (!p || p.chat_id === undefined) return prev(method, payload, signal);
      const isUrgent = urgentCalls.getStore() === true;
      if (this.stopped && !isUrgent && method === 'sendMessage') {
        this.spilled.push({ chatId: Number(p.chat_id), payload: p });
        return Promise.resolve(ACCEPTED as never);
      }
      const run = (pl: Payload) => prev(method, pl as never, signal);
      return this.enqueue(chatKey(p.chat_id), { method, payload: p, run, settle: [] }, isUrgent) as never;
    };
  }

  private enqueue(chatId: string, call: Call, isUrgent: boolean): Promise<unknown> {
    let lane = this.lanes.get(chatId);
    if (!lane) this.lanes.set(chatId, (lane = { busy: false, urgent: [], bulk: [] }));
    const done = new Promise<unknown>((resolve, reject) => call.settle.push({ resolve, reject }));
    const last = lane.bulk.at(-1);
    if (isUrgent) lane.urgent.push(call);
    else if (last && call.method === 'sendMessage' && last.method === 'sendMessage' && mergeable(last.payload, call.payload)) {
      last.payload = merge(last.payload, call.payload);
      last.settle.push(...call.settle);
    } else {
      lane.bulk.push(call);
      if (lane.bulk.length > this.maxQueued) {
        const dropped = lane.bulk.shift()!;
        for (const s of dropped.settle) s.reject(new Error(`chat ${chatId}: outgoing queue full, ${dropped.method} dropped`));
        this.onDropped(chatId, dropped.method);
      }
    }
    this.pump(chatId, lane);
    return done;
  }

  private pump(chatId: string, lane: Lane): void {
    if (lane.busy) return;
    const next = lane.urgent.shift() ?? lane.bulk.shift();
    if (!next) {
      this.lanes.delete(chatId);
      return;
    }
    lane.busy = true;
    next
      .run(next.payload)
      .then(
        (result) => next.settle.forEach((s) => s.resolve(result)),
        (err: unknown) => next.settle.forEach((s) => s.reject(err)),
      )
      .finally(() => {
        lane.busy = false;
        this.pump(chatId, lane);
      });
  }

  /**
   * Stops sending notifications: those queued (and any made from now on)
   * are answered as accepted and kept for takeSpilled(). Urgent calls, and
   * what is in flight, still go.
   */
  stop(): void {
    this.stopped = true;
    for (const lane of this.lanes.values()) {
      const keep: Call[] = [];
      for (const call of lane.bulk) {
        if (call.method !== 'sendMessage') {
          keep.push(call);
          continue;
        }
        this.spilled.push({ chatId: Number(call.payload.chat_id), payload: call.payload });
        for (const s of call.settle) s.resolve(ACCEPTED);
      }
      lane.bulk = keep;
    }
  }

  /** The notifications stop() kept back, once each. */
  takeSpilled(): SpilledMessage[] {
    const out = this.spilled;
    this.spilled = [];
    return out;
  }
}

/** A chat id as the lanes' key (Telegram sends numbers or @channel names). */
function chatKey(id: unknown): string {
  return typeof id === 'number' || typeof id === 'string' ? String(id) : '';
}
