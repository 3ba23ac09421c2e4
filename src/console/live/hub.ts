import { randomBytes } from 'node:crypto';
import type { Response } from 'express';
import type { Database } from '../../db/database.ts';
import { toBoardOrder, type BoardOrder, type BoardService, type BoardView } from '../board-service.ts';
import { listOrdersById } from '../board.sql.ts';
import { checkSessionLive } from '../sessions.sql.ts';
import type { ChangeHandlers } from './listener.ts';

/** A change as the stream tells it: the order now (or that it is gone). */
type Change = { seq: number; order: BoardOrder; deleted: boolean };

interface Client {
  res: Response;
  view: BoardView;
  /** Console sessions are re-checked with every heartbeat; API tokens are not sessions. */
  sessionId: number | null;
}

export interface HubLogger {
  warn(obj: object, msg: string): void;
}

export interface HubOptions {
  heartbeatMs: number;
  /** Changes kept for clients that reconnect with Last-Event-ID. */
  replay?: number;
  /** Changes announced within this window are read in one query. */
  batchMs?: number;
}

/** A client that cannot keep up this far behind is cut; it reconnects and resyncs. */
const MAX_BUFFERED_BYTES = 1 << 20;

/**
 * Server-sent events for the console. Fed by the LISTEN session (every
 * instance gets every committed change), it reads the changed orders once
 * per batch and tells each client the order as it is now and whether it
 * belongs on that client's board view. Event ids are `<instance>-<seq>`: a
 * client reconnecting to the same instance with Last-Event-ID gets what it
 * missed; anything else (another instance, a gap, a lost LISTEN session)
 * gets `resync`, and the console reloads. A `ping` every heartbeat carries
 * the server's clock and proves the stream alive; the session behind it is
 * re-checked then too, so a revoked or expired session loses its stream.
 */
export class LiveHub implements ChangeHandlers {
  readonly instance = randomBytes(4).toString('hex');
  private readonly db: Database;
  private readonly board: BoardService;
  private readonly logger: HubLogger;
  private readonly opts: Required<HubOptions>;
  private readonly clients = new Set<Client>();
  private readonly recent: Change[] = [];
  /** Sequence of the last change announced or skipped; a skip leaves a gap that forces resync. */
  private seq = 0;
  private pending = new Set<number>();
  private flushing: NodeJS.Timeout | undefined;
  private readonly heartbeat: NodeJS.Timeout;
  private readonly revocationListeners: Array<() => void> = [];
  private readonly attachListeners: Array<() => void> = [];

  constructor(db: Database, board: BoardService, logger: HubLogger, opts: HubOptions) {
    this.db = db;
    this.board = board;
    this.logger = logger;
    this.opts = { replay: 500, batchMs: 20, ...opts };
    this.heartbeat = setInterval(() => void this.beat(), this.opts.heartbeatMs);
    this.heartbeat.unref();
  }

  get size(): number {
    return this.clients.size;
  }

  orders(ids: number[]): void {
    for (const id of ids) this.pending.add(id);
    this.flushing ??= setTimeout(() => void this.flush(), this.opts.batchMs);
  }

  resync(): void {
    this.seq++;
    this.recent.length = 0;
    for (const c of this.clients) this.send(c, 'resync', {}, `${this.instance}-${this.seq}`);
  }

  sessionRevoked(id: number): void {
    for (const fn of this.revocationListeners) fn();
    for (const c of this.clients) if (c.sessionId === id) this.close(c, 'session-ended');
  }

  /** Called whenever any instance revokes a session (the HTTP layer forgets cached sessions). */
  onSessionRevoked(fn: () => void): void {
    this.revocationListeners.push(fn);
  }

  /** Called whenever a console starts watching (the listener speeds up its reads). */
  onAttach(fn: () => void): void {
    this.attachListeners.push(fn);
  }

  /** Starts a stream on `res` (the route has authenticated and validated). */
  attach(res: Response, view: BoardView, sessionId: number | null, lastEventId: string | undefined): void {
    res.writeHead(200, {
      'Content-Type': 'text/event-stream; charset=utf-8',
      'Cache-Control': 'no-store',
      // Proxies must pass events through as they come.
      'X-Accel-Buffering': 'no',
    });
    const client: Client = { res, view, sessionId };
    this.clients.add(client);
    res.on('close', () => this.clients.delete(client));
    res.write(`retry: 2000\n\n`);
    this.send(client, 'hello', { instance: this.instance, now: new Date().toISOString() });
    if (lastEventId !== undefined) this.replay(client, lastEventId);
    for (const fn of this.attachListeners) fn();
  }

  private replay(client: Client, lastEventId: string): void {
    const m = /^([0-9a-f]{8})-(\d{1,15})$/.exec(lastEventId);
    const after = m && m[1] === this.instance ? Number(m[2]) : -1;
    const oldest = this.recent[0]?.seq ?? this.seq + 1;
    // Everything after `after` must still be held, with no gap, or the client starts over.
    if (after < 0 || after > this.seq || (after < this.seq && after + 1 < oldest)) {
      this.send(client, 'resync', {}, `${this.instance}-${this.seq}`);
      return;
    }
    for (const change of this.recent) if (change.seq > after) this.announce(client, change);
  }

  private async flush(): Promise<void> {
    this.flushing = undefined;
    const ids = [...this.pending];
    this.pending = new Set();
    if (ids.length === 0) return;
    if (this.clients.size === 0) {
      // Nobody to tell: skip the read, and leave a gap so a late reconnect resyncs.
      this.seq++;
      this.recent.length = 0;
      return;
    }
    let rows;
    try {
      rows = await listOrdersById(this.db, ids);
    } catch (err) {
      this.logger.warn({ err: { message: (err as Error).message } }, 'live updates: could not read changed orders; clients resync');
      return this.resync();
    }
    for (const row of rows) {
      const { deleted, ...order } = row;
      const change: Change = { seq: ++this.seq, order: toBoardOrder(order), deleted };
      this.recent.push(change);
      if (this.recent.length > this.opts.replay) this.recent.shift();
      for (const c of this.clients) this.announce(c, change);
    }
  }

  private announce(c: Client, change: Change): void {
    const onBoard = !change.deleted && this.board.onBoard(change.order, c.view);
    this.send(c, 'order', { order: change.deleted ? null : change.order, id: change.order.id, on_board: onBoard }, `${this.instance}-${change.seq}`);
  }

  private send(c: Client, event: string, data: unknown, id?: string): void {
    if (c.res.writableLength > MAX_BUFFERED_BYTES) return this.close(c, 'too-slow');
    c.res.write(`${id ? `id: ${id}\n` : ''}event: ${event}\ndata: ${JSON.stringify(data)}\n\n`);
  }

  private close(c: Client, reason: string): void {
    this.clients.delete(c);
    if (!c.res.writableEnded) c.res.end(`event: bye\ndata: ${JSON.stringify({ reason })}\n\n`);
  }

  private async beat(): Promise<void> {
    const now = new Date().toISOString();
    for (const c of [...this.clients]) {
      if (c.sessionId !== null) {
        const live = await checkSessionLive(this.db, c.sessionId).catch(() => true);
        if (!live) {
          this.close(c, 'session-ended');
          continue;
        }
      }
      this.send(c, 'ping', { now });
    }
  }

  /** Ends every stream (shutdown: they would otherwise hold the server open). */
  stop(): void {
    clearInterval(this.heartbeat);
    clearTimeout(this.flushing);
    for (const c of [...this.clients]) this.close(c, 'shutdown');
  }
}
