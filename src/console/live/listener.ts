import pg from 'pg';
import { LISTEN_STATEMENTS, ORDER_CHANGES_CHANNEL, PING_STATEMENT, SESSIONS_CHANNEL } from './listen.sql.ts';

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
  /** How often the session is proved alive (a dead TCP peer otherwise goes unnoticed). */
  pingMs?: number;
  firstRetryMs?: number;
  maxRetryMs?: number;
}

/**
 * The LISTEN session: one dedicated pg.Client (LISTEN needs a session, which
 * a pooled or transaction-pooled connection is not), with an error listener
 * for life so a dropped connection never crashes the process. It reconnects
 * with backoff, and after every reconnect says resync, since notifications
 * sent while it was away are gone. A ping every `pingMs` catches a peer that
 * vanished without closing the socket.
 */
export class ChangeListener {
  private readonly url: string;
  private readonly handlers: ChangeHandlers;
  private readonly logger: ListenerLogger;
  private readonly pingMs: number;
  private readonly firstRetryMs: number;
  private readonly maxRetryMs: number;
  private client: pg.Client | undefined;
  private retryMs: number;
  private timer: NodeJS.Timeout | undefined;
  private pinger: NodeJS.Timeout | undefined;
  private stopped = false;
  private everConnected = false;
  private connecting: Promise<void> | undefined;

  constructor(url: string, handlers: ChangeHandlers, logger: ListenerLogger, opts: ListenerOptions = {}) {
    this.url = url;
    this.handlers = handlers;
    this.logger = logger;
    this.pingMs = opts.pingMs ?? 30_000;
    this.firstRetryMs = opts.firstRetryMs ?? 250;
    this.maxRetryMs = opts.maxRetryMs ?? 10_000;
    this.retryMs = this.firstRetryMs;
  }

  /** True while the session listens. */
  get connected(): boolean {
    return this.client !== undefined;
  }

  /** Connects (or keeps trying in the background); resolves after the first attempt either way. */
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
    this.keepPinging(client, onLost);
  }

  private keepPinging(client: pg.Client, onLost: (err?: Error) => void): void {
    clearInterval(this.pinger);
    this.pinger = setInterval(() => {
      if (this.client !== client) return;
      client.query(PING_STATEMENT).catch((err: Error) => onLost(err));
    }, this.pingMs);
    this.pinger.unref();
  }

  private schedule(): void {
    clearTimeout(this.timer);
    clearInterval(this.pinger);
    const delay = this.retryMs;
    this.retryMs = Math.min(this.retryMs * 2, this.maxRetryMs);
    this.timer = setTimeout(() => void this.connect(), delay);
    this.timer.unref();
  }

  private dispatch(channel: string, payload: string | undefined): void {
    if (channel === SESSIONS_CHANNEL) {
      const id = Number(payload);
      if (Number.isSafeInteger(id)) this.handlers.sessionRevoked(id);
      return;
    }
    if (channel !== ORDER_CHANGES_CHANNEL) return;
    try {
      const data = JSON.parse(payload ?? '') as { ids?: unknown; resync?: unknown };
      if (data.resync === true) return this.handlers.resync();
      const ids = Array.isArray(data.ids) ? data.ids.filter((id): id is number => Number.isSafeInteger(id)) : [];
      if (ids.length > 0) this.handlers.orders(ids);
    } catch {
      this.handlers.resync();
    }
  }

  /** Stops listening for good (shutdown). */
  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    clearInterval(this.pinger);
    const client = this.client;
    this.client = undefined;
    await client?.end().catch(() => undefined);
  }
}
