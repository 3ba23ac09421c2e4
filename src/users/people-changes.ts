import type { UserRole } from '../db/enums.ts';
import type { MasterView } from '../masters/master-view.ts';
import type { AfterCommit } from '../orders/order-changes.ts';

/**
 * One committed change to what a person may do in the service. The edges
 * change people through the services, which publish here; the bot listens
 * in the service's process, so the person is told once whether the bot or
 * the HTTP API made the change. (The CLI is a process of its own without
 * the bot: what it changes is published to nobody.) `actorTelegramId`:
 * who made it (they know, and are not told).
 */
export type PersonChange =
  | { kind: 'roles'; telegramId: number; roles: UserRole[]; actorTelegramId: number | null }
  | { kind: 'master'; event: MasterEvent; master: MasterView; actorTelegramId: number | null };

/** Registered (pending approval), approved, or switched on or off. */
export type MasterEvent = 'register' | 'approve' | 'activate' | 'deactivate';

type Listener = (change: PersonChange) => void | Promise<void>;

/** Fan-out of committed people changes: listeners run after the commit (never on a rollback) and never fail the change. */
export class PeopleChangeFeed {
  private readonly listeners: Listener[] = [];
  private readonly onError: (err: unknown, change: PersonChange) => void;
  private readonly afterCommit: AfterCommit;
  constructor(onError: (err: unknown, change: PersonChange) => void = () => {}, afterCommit: AfterCommit = (hook) => hook()) {
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

  publish(change: PersonChange): void {
    this.afterCommit(() => {
      for (const listener of this.listeners) {
        try {
          const result = listener(change);
          if (result) result.catch((err: unknown) => this.onError(err, change));
        } catch (err) {
          this.onError(err, change);
        }
      }
    });
  }
}
