import { AsyncLocalStorage } from 'node:async_hooks';
import { context as otelContext } from '@opentelemetry/api';
import type { Transformer } from 'grammy';
import type { UnitOfWork } from '../db/database.ts';
import { urgent } from './chat-lanes.ts';

/**
 * Bot API calls made while an update's transaction is open wait in its
 * Outbox and go out after COMMIT: no network wait (or throttling delay)
 * holds a database connection, and an update that rolls back sends nothing.
 * Work that must read the database after the commit (notifications) waits
 * here too, so it never runs on a connection the transaction gave back.
 */
export class Outbox {
  private held: Array<() => Promise<unknown>> = [];

  hold(work: () => Promise<unknown>): void {
    this.held.push(work);
  }

  /** Forgets everything held (a retried transaction starts over). */
  reset(): void {
    this.held = [];
  }

  get size(): number {
    return this.held.length;
  }

  /** Forgets what was held after the first `size` items (their savepoint rolled back). */
  truncate(size: number): void {
    this.held.length = Math.min(this.held.length, size);
  }

  /**
   * Starts every held call in order, without waiting between them: the
   * throttler queues per chat in call order, so a chat reads its replies in
   * the order the handler wrote them.
   */
  async flush(onError: (err: unknown) => void): Promise<void> {
    const work = this.held;
    this.held = [];
    await Promise.all(work.map((w) => w().catch(onError)));
  }
}

const current = new AsyncLocalStorage<Outbox>();

/** Runs `fn` with `outbox` collecting the Bot API calls it makes. */
export function collectInto<T>(outbox: Outbox, fn: () => Promise<T>): Promise<T> {
  return current.run(outbox, fn);
}

/** The outbox of the update being handled here, if any. */
export function currentOutbox(): Outbox | undefined {
  return current.getStore();
}

/** Methods whose result no handler reads: safe to send after the commit. */
const DEFERRABLE = new Set([
  'sendMessage',
  'editMessageText',
  'editMessageReplyMarkup',
  'answerCallbackQuery',
  'sendDocument',
  'deleteMessage',
  'sendChatAction',
  'setMyCommands',
]);

/**
 * API transformer, installed outermost: inside an update's transaction a
 * deferrable call is held and answered `true` at once; anywhere else it
 * passes straight through. Held calls are replies to the person who acted:
 * they go in their chat's urgent lane, ahead of queued notifications.
 */
export function deferUntilCommit(): Transformer {
  return (prev, method, payload, signal) => {
    const outbox = current.getStore();
    if (!outbox || !DEFERRABLE.has(method)) return prev(method, payload, signal);
    outbox.hold(() => urgent(() => prev(method, payload, signal)));
    return Promise.resolve({ ok: true as const, result: true as never });
  };
}

/**
 * Runs `fn` in a savepoint of the update's transaction; when it fails, the
 * sends and notifications it queued are dropped with its writes.
 */
export async function savepoint<T>(uow: UnitOfWork, fn: () => Promise<T>): Promise<T> {
  const outbox = current.getStore();
  const mark = outbox?.size ?? 0;
  try {
    return await uow.inTransaction(fn);
  } catch (err) {
    outbox?.truncate(mark);
    throw err;
  }
}

// Bound at module load, where no AsyncLocalStorage holds anything: work run
// through it sees no ambient transaction and no outbox.
const outsideEverything = AsyncLocalStorage.bind(<T>(fn: () => T): T => fn());

/** Runs `fn` outside any ambient transaction, keeping the trace context. */
export function detached<T>(fn: () => T): T {
  const trace = otelContext.active();
  return outsideEverything(() => otelContext.with(trace, fn));
}

/** Promises still running (replies, notifications), so tests and shutdown can wait for them. */
export class Pending {
  private readonly running = new Set<Promise<unknown>>();

  track(p: Promise<unknown>): void {
    const tracked = p.finally(() => this.running.delete(tracked));
    tracked.catch(() => undefined);
    this.running.add(tracked);
  }

  /** Resolves once nothing is running, including work started meanwhile. */
  async idle(): Promise<void> {
    while (this.running.size > 0) await Promise.allSettled([...this.running]);
  }
}
