import pg from 'pg';
import { queryable, type Queryable } from '../../db/exec.ts';
import { LISTEN_STATEMENTS, SESSIONS_CHANNEL } from './listen.sql.ts';
import { OrderChangePoller } from './order-change-poller.ts';

export interface ChangeHandlers {
  /** Orders a committed statement touched. */
  orders(ids: number[]): void;
  /** Something may have been missed (a bulk change, or the session was down): everyone reloads. */
  resync(): void;
  sessionRevoked(id: number): void;
}

export interface ListenerLogger {
  info(obj: object, msg: string): void;
  warn(obj: object, msg: string): void;
}

export interface ListenerOptions {
  /** How often the order change log is read while a console watches; each read also proves the session alive. */
  pollMs?: number;
  /** How often it is read while no console watches (to keep its place and the session proven). */
  idlePollMs?: number;
  /** Whether any console is watching now (the hub has clients). */
  watched?: () => boolean;
  firstRetryMs?: number;
  maxRetryMs?: number;
}

/**
 * The live-update session: one dedicated pg.Client (LISTEN needs a session,
 * which a pooled or transaction-pooled connection is not), with an error
 * listener for life so a dropped connection never crashes the process.
 * Session revocations arrive by NOTIFY (rare); order changes are read from
 * the change log every `pollMs` (migration 0157 says why not NOTIFY), and
 * that read also catches a peer that vanished without closing the socket.
 * It reconnects with backoff, and after every reconnect says resync, since
 * what happened while it was away is not known.
 */
export class ChangeListener {
  private readonly url: string;
  private readonly handlers: ChangeHandlers;
  private readonly logger: ListenerLogger;
  private readonly pollMs: number;
  private readonly idlePollMs: number;
  private readonly watched: () => boolean;
  /** Runs the next read now instead of at its timer, unless one is under way. */
  private pollNow: (() => void) | undefined;
  private readonly poller = new OrderChangePoller();
  private readonly firstRetryMs: number;
  private readonly maxRetryMs: number;
  private client: pg.Client | undefined;
  private retryMs: number;
  private timer: NodeJS.Timeout | undefined;
  private polling: NodeJS.Timeout | undefined;
  private stopped = false;
  private everConnected = false;
  private connecting: Promise<void> | undefined;

  constructor(url: string, handlers: ChangeHandlers, logger: ListenerLogger, opts: ListenerOptions = {}) {
    this.url = url;
    this.handlers = handlers;
    this.logger = logger;
    this.pollMs = opts.pollMs ?? 200;
    this.idlePollMs = opts.idlePollMs ?? 2000;
    this.watched = opts.watched ?? (() => true);
    this.firstRetryMs = opts.firstRetryMs ?? 250;
    this.maxRetryMs = opts.maxRetryMs ?? 10_000;
    this.retryMs = this.firstRetryMs;
  }

  /** True while the session listens. */
  get connected(): boolean {
    return this.client !== undefined;
  }

  /**
   * Connects (or keeps trying in the background); resolves after the first
   * attempt either way, and on success after the first read of the change
   * log has fixed the position later reads start from.
   */
  start(): Promise<void> {
    return (this.connecting ??= this.connect());
  }

  private async connect(): Promise<void> {
    if (this.stopped) return;
    const client = new pg.Client({
      connectionString: this.url,
      application_name: 'repair-bot-listen',
      keepAlive: true,
      connectionTimeoutMillis: 10_000,
      query_timeout: 10_000,
    });
    let lost = false;
    const onLost = (err?: Error) => {
      if (lost) return;
      lost = true;
      if (this.client === client) this.client = undefined;
      if (this.stopped) return;
      this.logger.warn(
        { err: err ? { message: err.message, code: (err as { code?: string }).code } : undefined },
        'live updates: LISTEN session lost; reconnecting',
      );
      client.end().catch(() => undefined);
      this.schedule();
    };
    client.on('error', onLost);
    client.on('end', () => onLost());
    client.on('notification', (msg) => this.dispatch(msg.channel, msg.payload));
    try {
      await client.connect();
      for (const statement of LISTEN_STATEMENTS) await client.query(statement);
    } catch (err) {
      onLost(err as Error);
      return;
    }
    if (this.stopped) {
      await client.end().catch(() => undefined);
      return;
    }
    this.client = client;
    this.retryMs = this.firstRetryMs;
    this.logger.info({ reconnected: this.everConnected }, 'live updates: listening for order changes');
    if (this.everConnected) this.handlers.resync();
    this.everConnected = true;
    this.poller.reset();
    await this.keepPolling(client, onLost);
  }

  /**
   * Reads the change log on `client`, one read at a time, until the session
   * is replaced: every pollMs while a console watches, every idlePollMs while
   * none does (five reads a second per instance for nobody cost the database
   * and the process CPU at idle). `wake()` reads at once when one attaches.
   * Resolves when the first read is done (it never rejects: a failed read
   * hands the session to onLost).
   */
  private keepPolling(client: pg.Client, onLost: (err?: Error) => void): Promise<void> {
    const db: Queryable = queryable((q, params) => client.query({ name: q.name, text: q.text, values: q.bind(params) }));
    const tick = async () => {
      this.pollNow = undefined;
      if (this.client !== client) return;
      try {
        const { ids, resync } = await this.poller.poll(db);
        if (resync) this.handlers.resync();
        else if (ids.length > 0) this.handlers.orders(ids);
      } catch (err) {
        return onLost(err as Error);
      }
      this.polling = setTimeout(() => void tick(), this.watched() ? this.pollMs : this.idlePollMs);
      this.polling.unref();
      this.pollNow = () => {
        clearTimeout(this.polling);
        void tick();
      };
    };
    clearTimeout(this.polling);
    return tick();
  }

  /** A console started watching: read the log now rather than at the idle pace. */
  wake(): void {
    this.pollNow?.();
  }

  private schedule(): void {
    clearTimeout(this.timer);
    clearTimeout(this.polling);
    const delay = this.retryMs;
    this.retryMs = Math.min(this.retryMs * 2, this.maxRetryMs);
    this.timer = setTimeout(() => void this.connect(), delay);
    this.timer.unref();
  }

  private dispatch(channel: string, payload: string | undefined): void {
    if (channel !== SESSIONS_CHANNEL) return;
    const id = Number(payload);
    if (Number.isSafeInteger(id)) this.handlers.sessionRevoked(id);
  }

  /** Stops listening for good (shutdown). */
  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    clearTimeout(this.polling);
    const client = this.client;
    this.client = undefined;
    await client?.end().catch(() => undefined);
  }
}
