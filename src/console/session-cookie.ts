import { createHash, timingSafeEqual } from 'node:crypto';
import type { Request, Response } from 'express';
import { ForbiddenError, UnauthenticatedError } from '../errors.ts';
import type { PrincipalCache } from '../http/auth.ts';
import { csrfTokenFor, type SessionPrincipal } from './console-auth.ts';

/**
 * The console's session cookie: HttpOnly (scripts never see the token),
 * SameSite=Strict (no other site's page or link sends it), Path=/, and
 * Secure with the __Host- prefix when the console is served over https.
 * A Mini App session over https is SameSite=None; Partitioned instead:
 * Telegram Web shows the Mini App in a frame of its own site, where a
 * Strict cookie is never sent and an unpartitioned third-party cookie is
 * blocked; partitioned, the cookie lives only inside that frame.
 * Unsafe methods also need X-CSRF-Token, which only a same-origin page can
 * read (GET /api/v1/console/session): a second, independent CSRF defence.
 */
const SESSION_COOKIE = 'rb_session';
const SECURE_SESSION_COOKIE = '__Host-rb_session';
/** A login link's token between the link's redirect and the console's sign-in call. */
export const LOGIN_COOKIE = 'rb_login';
const LOGIN_COOKIE_PATH = '/api/v1/console/session';
const CSRF_HEADER = 'X-CSRF-Token';

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

export function readCookie(req: Request, name: string): string | null {
  const header = req.headers.cookie;
  if (!header) return null;
  for (const part of header.split(';')) {
    const eq = part.indexOf('=');
    if (eq > 0 && part.slice(0, eq).trim() === name) return part.slice(eq + 1).trim() || null;
  }
  return null;
}

/** https: the request came over TLS, or the configured public address is https (behind a TLS-terminating proxy). */
export function isSecure(req: Request, publicUrl: string | undefined): boolean {
  return req.secure || (publicUrl?.startsWith('https:') ?? false);
}

function cookie(name: string, value: string, opts: { secure: boolean; path: string; maxAge: number; framed?: boolean }): string {
  const site = opts.framed && opts.secure ? ['SameSite=None', 'Secure', 'Partitioned'] : ['SameSite=Strict', ...(opts.secure ? ['Secure'] : [])];
  return [`${name}=${value}`, `Path=${opts.path}`, `Max-Age=${opts.maxAge}`, 'HttpOnly', ...site].join('; ');
}

/** framed: a Mini App sign-in, which Telegram Web shows in a frame (a partitioned cookie over https). */
export function setSessionCookie(res: Response, token: string, expiresAt: string, secure: boolean, framed = false): void {
  const maxAge = Math.max(0, Math.floor((Date.parse(expiresAt) - Date.now()) / 1000));
  res.append('Set-Cookie', cookie(secure ? SECURE_SESSION_COOKIE : SESSION_COOKIE, token, { secure, path: '/', maxAge, framed }));
}

/** Clears both kinds: a partitioned cookie is removed only by a partitioned Set-Cookie. */
export function clearSessionCookie(res: Response, secure: boolean): void {
  const name = secure ? SECURE_SESSION_COOKIE : SESSION_COOKIE;
  res.append('Set-Cookie', cookie(name, '', { secure, path: '/', maxAge: 0 }));
  if (secure) res.append('Set-Cookie', cookie(name, '', { secure, path: '/', maxAge: 0, framed: true }));
}

export function setLoginCookie(res: Response, token: string, maxAge: number, secure: boolean): void {
  res.append('Set-Cookie', cookie(LOGIN_COOKIE, token, { secure, path: LOGIN_COOKIE_PATH, maxAge }));
}

export function clearLoginCookie(res: Response, secure: boolean): void {
  res.append('Set-Cookie', cookie(LOGIN_COOKIE, '', { secure, path: LOGIN_COOKIE_PATH, maxAge: 0 }));
}

function sessionToken(req: Request): string | null {
  return readCookie(req, SECURE_SESSION_COOKIE) ?? readCookie(req, SESSION_COOKIE);
}

function sameToken(given: string, expected: string): boolean {
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}

/** The session of a request authenticated by cookie, kept for the session routes. */
export interface RequestSession {
  token: string;
  principal: SessionPrincipal;
}

export function requestSession(res: Response): RequestSession | undefined {
  return res.locals.consoleSession as RequestSession | undefined;
}

/**
 * Authenticates a request without a bearer token by its session cookie:
 * null when there is none; 401 when it names no live session; 403 for an
 * unsafe method without this session's X-CSRF-Token.
 */
export function sessionCookieAuth(cache: PrincipalCache): (req: Request, res: Response) => Promise<SessionPrincipal | null> {
  return async (req, res) => {
    const token = sessionToken(req);
    if (!token) return null;
    const principal = (await cache.principalFor(token, createHash('sha256').update(token).digest('base64url'))) as SessionPrincipal | null;
    if (!principal) throw new UnauthenticatedError('your console session has ended; sign in again', { field: 'Cookie' });
    if (!SAFE_METHODS.has(req.method)) {
      const given = req.header(CSRF_HEADER);
      if (!given || !sameToken(given, csrfTokenFor(token))) {
        throw new ForbiddenError(`send the ${CSRF_HEADER} header of this session with every change`, { field: CSRF_HEADER });
      }
    }
    res.locals.consoleSession = { token, principal } satisfies RequestSession;
    return principal;
  };
}
