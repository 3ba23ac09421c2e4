import { syncClock } from './format.ts';
import type { Order, View } from './types.ts';

export interface LiveHandlers {
  order(order: Order | null, id: number, onBoard: boolean): void;
  /** Reload everything: the stream cannot vouch that nothing was missed. */
  resync(): void;
  status(connected: boolean): void;
  /** The server ended the stream for good (signed out, session expired). */
  ended(): void;
  /** Whether the session still holds (asked before a fresh stream starts). */
  verify(): Promise<boolean>;
}

/**
 * The live stream of one board view. EventSource reconnects by itself and
 * sends Last-Event-ID, so a short drop replays what was missed; when it
 * gives up (the server answered with an error), a fresh stream starts after
 * a pause and the board is reloaded, since events may be lost in between.
 */
export class LiveStream {
  private source: EventSource | undefined;
  private retry: ReturnType<typeof setTimeout> | undefined;
  private closed = false;
  private readonly view: View;
  private readonly on: LiveHandlers;

  constructor(view: View, on: LiveHandlers) {
    this.view = view;
    this.on = on;
    this.open(false);
  }

  private open(reload: boolean): void {
    if (this.closed) return;
    const q = new URLSearchParams({ date: this.view.date });
    if (this.view.masterId !== null) q.set('master_id', String(this.view.masterId));
    if (this.view.equipmentType !== null) q.set('equipment_type', this.view.equipmentType);
    const source = new EventSource(`/api/v1/console/events?${q}`);
    this.source = source;
    const data = (e: Event) => JSON.parse((e as MessageEvent<string>).data) as Record<string, unknown>;
    source.addEventListener('hello', (e) => {
      syncClock(String(data(e).now));
      this.on.status(true);
      if (reload) this.on.resync();
      reload = false;
    });
    source.addEventListener('ping', (e) => syncClock(String(data(e).now)));
    source.addEventListener('order', (e) => {
      const d = data(e);
      this.on.order((d.order as Order | null) ?? null, Number(d.id), d.on_board === true);
    });
    source.addEventListener('resync', () => this.on.resync());
    source.addEventListener('bye', (e) => {
      const reason = String(data(e).reason);
      source.close();
      this.on.status(false);
      if (reason === 'session-ended') this.on.ended();
      else this.again();
    });
    source.onerror = () => {
      this.on.status(false);
      if (source.readyState === EventSource.CLOSED) this.again();
    };
  }

  private again(): void {
    if (this.closed) return;
    this.source?.close();
    clearTimeout(this.retry);
    this.retry = setTimeout(() => {
      this.on.verify().then(
        (ok) => (ok ? this.open(true) : this.on.ended()),
        () => this.again(),
      );
    }, 3000);
  }

  close(): void {
    this.closed = true;
    clearTimeout(this.retry);
    this.source?.close();
  }
}
