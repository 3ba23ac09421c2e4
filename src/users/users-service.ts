import { insertAuditEntry } from '../audit/audit.sql.ts';
import type { Database, Queryable } from '../db/database.ts';
import type { UserRole } from '../db/enums.ts';
import { ConflictError, NotFoundError } from '../errors.ts';
import { PeopleChangeFeed } from './people-changes.ts';
import { requireAdmin, type Principal } from './principal.ts';
import type { TokenView } from './token-view.ts';
import { findTokenOwner, listTokens, revokeToken, touchToken } from './tokens.sql.ts';
import { hashToken, issueToken, looksLikeToken } from './tokens.ts';
import type { UserView } from './user-view.ts';
import { findUserByTelegramId, listUsers, listUsersWithRole, lockRoleChanges, replaceUserRoles, setUserLanguage, upsertUser } from './users.sql.ts';

/** Refuses to take ADMIN from the last admin. Callers hold the role-change lock, so two admins demoting each other cannot leave none. */
async function keepAnAdmin(tx: Queryable, user: UserView, roles: readonly UserRole[]): Promise<void> {
  if (user.roles.includes('ADMIN') && !roles.includes('ADMIN') && (await listUsersWithRole(tx, 'ADMIN')).length <= 1) {
    throw new ConflictError('this is the last admin; make someone else an admin first', { field: 'roles' });
  }
}

export function toPrincipal(u: UserView): Principal {
  return {
    userId: u.id,
    telegramId: u.telegram_id,
    name: u.name,
    roles: u.roles,
    // A deactivated master keeps the role but no orders: masterId scopes every master read and action.
    masterId: u.master_active ? u.master_id : null,
    language: u.language === 'en' ? 'en' : 'ru',
  };
}

/** People, their roles, and turning credentials into a Principal. A person whose roles change hears of it through `people`. */
export class UsersService {
  private readonly db: Database;
  private readonly people: PeopleChangeFeed;
  constructor(db: Database, people = new PeopleChangeFeed()) {
    this.db = db;
    this.people = people;
  }

  /** The principal behind an API token, or null for an unknown or revoked one. */
  async authenticate(token: string): Promise<Principal | null> {
    if (!looksLikeToken(token)) return null;
    const owner = await findTokenOwner(this.db, hashToken(token));
    if (!owner) return null;
    // Bookkeeping only; never worth failing or delaying the request over.
    if (owner.token_last_used_at === null || Date.parse(owner.token_last_used_at) < Date.now() - 60_000) {
      touchToken(this.db, owner.token_id).catch(() => undefined);
    }
    return toPrincipal(owner);
  }

  async byTelegramId(telegramId: number, db: Queryable = this.db): Promise<Principal | null> {
    const user = await findUserByTelegramId(db, telegramId);
    return user ? toPrincipal(user) : null;
  }

  /** Records a Telegram user who wrote to the bot (name and username refreshed). */
  async touchTelegramUser(
    from: { id: number; first_name: string; last_name?: string; username?: string; language_code?: string },
    db: Queryable = this.db,
  ): Promise<Principal> {
    const name = [from.first_name, from.last_name].filter(Boolean).join(' ').slice(0, 200) || `id${from.id}`;
    const language = from.language_code?.startsWith('en') ? 'en' : null;
    return toPrincipal(await upsertUser(db, { telegramId: from.id, name, username: from.username?.slice(0, 64) ?? null, language }, false));
  }

  /** Telegram ids of everyone holding one of these roles, once each: whom the system notifies (no caller, no role check). */
  async telegramIdsWithRole(...roles: UserRole[]): Promise<number[]> {
    const ids = new Set<number>();
    for (const role of roles) for (const u of await listUsersWithRole(this.db, role)) if (u.telegram_id !== null) ids.add(u.telegram_id);
    return [...ids];
  }

  async list(actor: Principal, afterId = 0, limit = 100): Promise<UserView[]> {
    requireAdmin(actor);
    return listUsers(this.db, afterId, limit);
  }

  /** Replaces a user's roles. Unknown Telegram ids are an error: users appear by writing to the bot or via the CLI. */
  async setRoles(actor: Principal, telegramId: number, roles: readonly UserRole[]): Promise<UserView> {
    requireAdmin(actor);
    return this.db.transaction(async (tx) => {
      await lockRoleChanges(tx);
      const user = await findUserByTelegramId(tx, telegramId);
      if (!user) throw new NotFoundError(`no user with Telegram id ${telegramId}`, { field: 'telegram_id' });
      await keepAnAdmin(tx, user, roles);
      await replaceUserRoles(tx, user.id, roles, actor.userId);
      const after = (await findUserByTelegramId(tx, telegramId))!;
      this.rolesChanged(user, after, actor.telegramId);
      return after;
    });
  }

  /** Only a real change is news: the same roles set twice (a button pressed twice) tells nobody. */
  private rolesChanged(before: UserView | null, after: UserView, actorTelegramId: number | null): void {
    const had = before?.roles ?? [];
    const same = had.length === after.roles.length && had.every((r) => after.roles.includes(r));
    if (same || after.telegram_id === null) return;
    this.people.publish({ kind: 'roles', telegramId: after.telegram_id, roles: after.roles, actorTelegramId });
  }

  /**
   * The operator's `user add` (a shell on the server, no principal): creates
   * or renames a Telegram user and gives them exactly these roles, under the
   * same rules as setRoles (serialized, never leaving no admin), audited.
   */
  async register(input: { telegramId: number; name: string; roles: readonly UserRole[] }): Promise<UserView> {
    return this.db.transaction(async (tx) => {
      await lockRoleChanges(tx);
      const before = await findUserByTelegramId(tx, input.telegramId);
      if (before) await keepAnAdmin(tx, before, input.roles);
      const saved = await upsertUser(tx, { telegramId: input.telegramId, name: input.name, username: null, language: null }, true);
      await replaceUserRoles(tx, saved.id, input.roles, null);
      await insertAuditEntry(tx, { actorId: null, action: 'user.cli_add', entityType: 'user', entityId: saved.id, details: { roles: input.roles } });
      const after = (await findUserByTelegramId(tx, input.telegramId))!;
      this.rolesChanged(before, after, null);
      return after;
    });
  }

  /** A new API token for a known Telegram user (the operator's `token create`); the plain token is returned once. */
  async createToken(telegramId: number, label: string): Promise<string> {
    const user = await findUserByTelegramId(this.db, telegramId);
    if (!user) throw new NotFoundError(`no user with Telegram id ${telegramId}`, { field: 'telegram_id' });
    return (await issueToken(this.db, user.id, label, null)).token;
  }

  /**
   * API tokens (never their hashes), for admins; `actor` null is the operator's CLI.
   * Revoked ones only when asked; one Telegram user's when telegramId is given.
   */
  async tokens(actor: Principal | null, f: { afterId?: number; telegramId?: number; includeRevoked?: boolean; limit?: number } = {}): Promise<TokenView[]> {
    if (actor) requireAdmin(actor);
    return listTokens(this.db, {
      afterId: f.afterId ?? 0,
      telegramId: f.telegramId ?? null,
      includeRevoked: f.includeRevoked ?? false,
      limit: f.limit ?? 1000,
    });
  }

  /**
   * Revokes a live token (audited); 404 for an unknown or already revoked one.
   * The caller forgets cached principals, so it takes effect at once on this
   * instance and within AUTH_CACHE_TTL_MS on the others.
   */
  async revokeToken(actor: Principal | null, tokenId: number): Promise<void> {
    if (actor) requireAdmin(actor);
    if (!(await revokeToken(this.db, tokenId, actor?.userId ?? null))) throw new NotFoundError(`no live token ${tokenId}`, { field: 'id' });
  }

  /** A user's own choice of interface language. */
  async setLanguage(actor: Principal, language: 'ru' | 'en'): Promise<void> {
    await setUserLanguage(this.db, actor.userId, language);
  }
}
