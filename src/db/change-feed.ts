/** Defers a callback until the surrounding transaction commits (Database.afterCommit). */
export type AfterCommit = (hook: () => void) => void;

type Listener<T> = (change: T) => void | Promise<void>;

/**
 * Fan-out of committed changes. Listeners run after the commit (when the
 * change happens inside a caller's transaction, after that one commits;
 * never if it rolls back) and never fail the change that triggered them:
 * their errors go to `onError`.
 */
export class ChangeFeed<T> {
  private readonly listeners: Listener<T>[] = [];
  private readonly onError: (err: unknown, change: T) => void;
  private readonly afterCommit: AfterCommit;
  constructor(onError: (err: unknown, change: T) => void = () => {}, afterCommit: AfterCommit = (hook) => hook()) {
    this.onError = onError;
    this.afterCommit = afterCommit;
  }

  subscribe(listener: Listener<T>): () => void {
    this.listeners.push(listener);
    return () => {
      const i = this.listeners.indexOf(listener);
      if (i >= 0) this.listeners.splice(i, 1);
    };
  }

  publish(change: T): void {
    this.afterCommit(() => this.deliver(change));
  }

  private deliver(change: T): void {
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
