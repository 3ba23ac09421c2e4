import type { Database } from '../db/database.ts';
import { CheckViolationError, UniqueViolationError } from '../db/errors.ts';
import { ConflictError, NotFoundError, ValidationError } from '../errors.ts';
import { PeopleChangeFeed, type MasterEvent } from '../users/people-changes.ts';
import { requireAdmin, requireStaff, type Principal } from '../users/principal.ts';
import { grantUserRole, upsertUser } from '../users/users.sql.ts';
import { masterQuality, type MasterQuality } from './master-quality.ts';
import type { MasterView } from './master-view.ts';
import {
  findMaster,
  insertMaster,
  listMasters,
  listMastersInChat,
  moveMastersWorkChat,
  setMasterFlags,
  setMasterWorkChat,
  updateMasterDetails,
} from './masters.sql.ts';

export interface NewMasterInput {
  telegram_id: number;
  phone: string;
  specialization: string;
  work_chat_id?: number | null;
  /** Display name when the person has never written to the bot. */
  name?: string;
}

/**
 * Registering masters and switching them on and off (admins); listing them
 * (staff). The master hears of each change through `people`, whichever
 * edge made it.
 */
export class MastersService {
  private readonly db: Database;
  private readonly people: PeopleChangeFeed;
  constructor(db: Database, people = new PeopleChangeFeed()) {
    this.db = db;
    this.people = people;
  }

  /** Registers a master; the Telegram user is created if new and gains the MASTER role. */
  async create(actor: Principal, input: NewMasterInput): Promise<MasterView> {
    requireAdmin(actor);
    try {
      return await this.db.transaction(async (tx) => {
        const user = await upsertUser(
          tx,
          { telegramId: input.telegram_id, name: input.name ?? `id${input.telegram_id}`, username: null, language: null },
          input.name !== undefined,
        );
        await grantUserRole(tx, user.id, 'MASTER', actor.userId);
        const master = await insertMaster(
          tx,
          { userId: user.id, phone: input.phone, specialization: input.specialization, workChatId: input.work_chat_id ?? null },
          actor.userId,
        );
        this.tell('register', master, actor);
        return master;
      });
    } catch (err) {
      if (err instanceof UniqueViolationError && err.constraint === 'masters_user_id_key') {
        throw new ConflictError(`Telegram user ${input.telegram_id} is already a master`, { field: 'telegram_id' });
      }
      throw err;
    }
  }

  /** A master as their card shows them: with the clients' ratings and on-time arrival over all time (staff). */
  async card(actor: Principal, id: number): Promise<MasterView & MasterQuality> {
    const master = await this.get(actor, id);
    const quality = await masterQuality(this.db, [id], null);
    return { ...master, ...quality.get(id)! };
  }

  async get(actor: Principal, id: number): Promise<MasterView> {
    requireStaff(actor);
    const master = await findMaster(this.db, id);
    if (!master) throw new NotFoundError(`master ${id} not found`, { field: 'id' });
    return master;
  }

  /** A master for the system's own use (whom to notify): no caller, so no role check. */
  byId(id: number): Promise<MasterView | null> {
    return findMaster(this.db, id);
  }

  async list(actor: Principal, opts: { onlyAssignable?: boolean; afterId?: number; limit?: number } = {}): Promise<MasterView[]> {
    requireStaff(actor);
    return listMasters(this.db, opts.onlyAssignable ?? false, opts.afterId ?? 0, opts.limit ?? 100);
  }

  approve(actor: Principal, id: number): Promise<MasterView> {
    return this.setFlags(actor, id, { approve: true }, 'master.approve');
  }

  activate(actor: Principal, id: number): Promise<MasterView> {
    return this.setFlags(actor, id, { active: true }, 'master.activate');
  }

  deactivate(actor: Principal, id: number): Promise<MasterView> {
    return this.setFlags(actor, id, { active: false }, 'master.deactivate');
  }

  /** Corrects a master's name, phone or specialization (admins); the constraints check the values (phone format, lengths). */
  async update(actor: Principal, id: number, changes: { name?: string; phone?: string; specialization?: string }): Promise<MasterView> {
    requireAdmin(actor);
    try {
      const master = await updateMasterDetails(
        this.db,
        id,
        { name: changes.name ?? null, phone: changes.phone ?? null, specialization: changes.specialization ?? null },
        actor.userId,
      );
      if (!master) throw new NotFoundError(`master ${id} not found`, { field: 'id' });
      return master;
    } catch (err) {
      if (err instanceof CheckViolationError)
        throw new ValidationError(`is not valid (${err.constraint})`, { field: err.constraint?.replace(/^(masters|users)_|_\w+$/g, '') });
      throw err;
    }
  }

  /** Links a master to the Telegram group where they work (null unlinks); their orders are announced there. Admins only. */
  async setWorkChat(actor: Principal, id: number, chatId: number | null): Promise<MasterView> {
    requireAdmin(actor);
    if (chatId !== null && (!Number.isSafeInteger(chatId) || chatId >= 0)) {
      throw new ValidationError('must be a Telegram group chat id (a negative integer)', { field: 'work_chat_id' });
    }
    const master = await setMasterWorkChat(this.db, id, chatId, actor.userId);
    if (!master) throw new NotFoundError(`master ${id} not found`, { field: 'id' });
    return master;
  }

  /**
   * A group Telegram moved (to a supergroup: `toChatId`) or the bot was
   * removed from (null): the masters who worked there follow. A fact
   * reported by Telegram, not a choice, so no role is needed; `actorId`
   * (whoever did it) goes to the audit trail.
   */
  workChatMoved(actorId: number | null, fromChatId: number, toChatId: number | null): Promise<MasterView[]> {
    return moveMastersWorkChat(this.db, fromChatId, toChatId, actorId);
  }

  /** The masters who work in a group chat (for the system's own use: whom a group message is for). */
  inWorkChat(chatId: number): Promise<MasterView[]> {
    return listMastersInChat(this.db, chatId);
  }

  private async setFlags(
    actor: Principal,
    id: number,
    flags: { approve?: boolean; active?: boolean },
    action: 'master.approve' | 'master.activate' | 'master.deactivate',
  ): Promise<MasterView> {
    requireAdmin(actor);
    const set = await setMasterFlags(this.db, id, flags, actor.userId, action);
    if (!set) throw new NotFoundError(`master ${id} not found`, { field: 'id' });
    const { master, was } = set;
    // Pressed twice or asked twice, the master is told once: only a real change is news.
    if (action === 'master.approve' && !was.approved) this.tell('approve', master, actor);
    if (action === 'master.activate' && !was.active) this.tell('activate', master, actor);
    if (action === 'master.deactivate' && was.active) this.tell('deactivate', master, actor);
    return master;
  }

  private tell(event: MasterEvent, master: MasterView, actor: Principal): void {
    this.people.publish({ kind: 'master', event, master, actorTelegramId: actor.telegramId });
  }
}
