import { createHash, createHmac, randomBytes } from 'node:crypto';
import type { ConsoleSettings } from '../config.ts';
import type { Database } from '../db/database.ts';
import { ForbiddenError, UnauthenticatedError, UnavailableError } from '../errors.ts';
import { isStaff, type Principal } from '../users/principal.ts';
import { toPrincipal } from '../users/users-service.ts';
import { findUser, findUserByTelegramId } from '../users/users.sql.ts';
import { checkInitData } from './init-data.ts';
import { consumeLoginLink, findSessionOwner, insertLoginLink, insertSession, revokeSessions } from './sessions.sql.ts';

/** A principal that came in through a console session cookie. */
export interface SessionPrincipal extends Principal {
  sessionId: number;
  sessionExpiresAt: string;
}

export interface NewSession {
  /** Goes into the cookie, never anywhere else. */
  token: string;
  principal: SessionPrincipal;
}

export type ConsoleAuthSettings = Pick<ConsoleSettings, 'publicUrl' | 'sessionTtlSeconds' | 'loginLinkTtlSeconds' | 'initDataMaxAgeSeconds'> & {
  /** Init data is signed with it; without a bot there is no Mini App login. */
  botToken: string | undefined;
};

const SESSION_TOKEN = /^rs_[A-Za-z0-9_-]{43}$/;
const LINK_TOKEN = /^rl_[A-Za-z0-9_-]{43}$/;

const sha256 = (s: string) => createHash('sha256').update(s).digest();
const newToken = (prefix: string) => prefix + randomBytes(32).toString('base64url');

function looksLikeSessionToken(token: string): boolean {
  return SESSION_TOKEN.test(token);
}

export function looksLikeLoginToken(token: string): boolean {
  return LINK_TOKEN.test(token);
}

/**
 * The synchronizer token for unsafe requests of a session: derived from the
 * session token, so it needs no storage, and readable by the console only
 * through a same-origin response (the cookie itself is HttpOnly).
 */
export function csrfTokenFor(sessionToken: string): string {
  return createHmac('sha256', sessionToken).update('repair-bot console csrf').digest('base64url');
}

/**
 * Who may open the console and for how long: Mini App init data or a
 * one-time login link from the bot, then a session (admins and dispatchers
 * only). Sessions expire and can be revoked; roles are read afresh with
 * every authentication, so a demoted user loses the console with the
 * principal cache's TTL.
 */
export class ConsoleAuth {
  private readonly db: Database;
  private readonly settings: ConsoleAuthSettings;
  constructor(db: Database, settings: ConsoleAuthSettings) {
    this.db = db;
    this.settings = settings;
  }

  get publicUrl(): string | undefined {
    return this.settings.publicUrl;
  }

  /** Signs in with init data from Telegram; the interface speaks the Telegram client's language when it is one we have. */
  async loginWithInitData(initData: string): Promise<NewSession> {
    if (!this.settings.botToken) throw new UnavailableError('the Telegram bot is not configured here, so Mini App sign-in is off', { field: 'init_data' });
    const check = checkInitData(initData, this.settings.botToken, this.settings.initDataMaxAgeSeconds);
    if (!check.ok) {
      const why = {
        malformed: 'is not Telegram init data',
        signature: 'is not signed by this bot',
        expired: 'is too old; reopen the console',
        'no-user': 'names no user',
      };
      throw new UnauthenticatedError(`init_data ${why[check.reason]}`, { field: 'init_data', details: { reason: check.reason } });
    }
    const user = await findUserByTelegramId(this.db, check.user.id);
    if (!user) throw new ForbiddenError('this Telegram user has no role here; ask an admin', { field: 'init_data' });
    const code = check.user.language_code?.slice(0, 2);
    const language = code === 'ru' || code === 'en' ? code : user.language === 'en' ? 'en' : 'ru';
    return this.open(toPrincipal(user), 'telegram', language);
  }

  /** Makes a one-time login link for the caller (the bot's /console). */
  async issueLoginLink(actor: Principal): Promise<{ url: string; expiresAt: string }> {
    if (!isStaff(actor)) throw new ForbiddenError('only admins and dispatchers may open the console');
    if (!this.settings.publicUrl) throw new UnavailableError('CONSOLE_PUBLIC_URL is not set, so there is no address to link to');
    const token = newToken('rl_');
    const { expires_at } = await insertLoginLink(this.db, actor.userId, sha256(token), this.settings.loginLinkTtlSeconds);
    return { url: `${this.settings.publicUrl}/console/login?token=${token}`, expiresAt: expires_at };
  }

  /** Uses a login link (once): the session speaks the user's stored language. */
  async loginWithLink(token: string): Promise<NewSession> {
    if (token === '') throw new UnauthenticatedError('no login link: ask the bot for one (/console)', { field: 'token', details: { reason: 'missing' } });
    const userId = looksLikeLoginToken(token) ? await consumeLoginLink(this.db, sha256(token)) : null;
    if (userId === null) {
      throw new UnauthenticatedError('this login link is unknown, used or expired; ask the bot for a new one (/console)', {
        field: 'token',
        details: { reason: 'invalid' },
      });
    }
    const user = await findUser(this.db, userId);
    if (!user) throw new UnauthenticatedError('this login link is unknown, used or expired', { field: 'token' });
    const principal = toPrincipal(user);
    return this.open(principal, 'login_link', principal.language);
  }

  private async open(principal: Principal, via: 'telegram' | 'login_link', language: 'ru' | 'en'): Promise<NewSession> {
    if (!isStaff(principal)) throw new ForbiddenError('the console is for admins and dispatchers');
    const token = newToken('rs_');
    const s = await insertSession(this.db, { userId: principal.userId, tokenHash: sha256(token), via, language, ttlSeconds: this.settings.sessionTtlSeconds });
    return { token, principal: { ...principal, language, sessionId: s.id, sessionExpiresAt: s.expires_at } };
  }

  /** The session's principal, or null for an unknown, revoked or expired one (PrincipalCache calls this). */
  async authenticate(token: string): Promise<SessionPrincipal | null> {
    if (!looksLikeSessionToken(token)) return null;
    const owner = await findSessionOwner(this.db, sha256(token));
    if (!owner) return null;
    const language = owner.session_language === 'en' ? 'en' : 'ru';
    return { ...toPrincipal(owner), language, sessionId: owner.session_id, sessionExpiresAt: owner.session_expires_at };
  }

  /** Ends this session, or every session of its user. */
  logout(p: SessionPrincipal, everywhere: boolean): Promise<number[]> {
    return revokeSessions(this.db, p.userId, everywhere ? null : p.sessionId);
  }
}
