import type { OrderStatus } from '../db/enums.ts';
import type { Principal } from '../users/principal.ts';
import type { ActionName } from './order-actions.ts';
import type { OrderView } from './order-view.ts';

/** One committed change to an order, for notifications and metrics. */
export interface OrderChange {
  /** 'create', or the action that changed it. */
  action: 'create' | ActionName;
  from: OrderStatus | null;
  to: OrderStatus;
  order: OrderView;
  /** For a reassignment or unassignment: the master who had it before. */
  previousMasterId: number | null;
  actor: Principal;
  note: string | null;
}

type Listener = (change: OrderChange) => void | Promise<void>;

/** Defers a callback until the surrounding transaction commits (Database.afterCommit). */
export type AfterCommit = (hook: () => void) => void;

/**
 * Fan-out of committed order changes. Listeners run after the commit (when
 * the change happens inside a caller's transaction, after that one commits;
 * never if it rolls back) and never fail the change that triggered them:
 * their errors go to `onError`.
 */
export class OrderChangeFeed {
  private readonly listeners: Listener[] = [];
  private readonly onError: (err: unknown, change: OrderChange) => void;
  private readonly afterCommit: AfterCommit;
  constructor(onError: (err: unknown, change: OrderChange) => void = () => {}, afterCommit: AfterCommit = (hook) => hook()) {
    this.onError = onError;
    this.afterCommit = afterCommit;
  }

  subscribe(listener: Listener): () => void {
    this.listeners.push(listener);
    return () => {
      const i = this.listeners.indexOf(listener);
      if (i >= 0) this.listeners.splice(i, 1);
    };
  }

  publish(change: OrderChange): void {
    this.afterCommit(() => this.deliver(change));
  }

  private deliver(change: OrderChange): void {
    for (const listener of this.listeners) {
      try {
        const result = listener(change);
        if (result) result.catch((err: unknown) => this.onError(err, change));
      } catch (err) {
        this.onError(err, change);
      }
    }
  }
}
