import type { UserRole } from '../db/enums.ts';
import type { MasterView } from '../masters/master-view.ts';
import { ChangeFeed } from '../db/change-feed.ts';

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

/** Committed people changes: the bot tells the person whichever edge made them. */
export class PeopleChangeFeed extends ChangeFeed<PersonChange> {}
