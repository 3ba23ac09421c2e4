import { hash as digest } from 'node:crypto';
import type { Request, Response } from 'express';
import { UnauthenticatedError } from '../errors.ts';
import type { Principal } from '../users/principal.ts';

export interface TokenAuthenticator {
  authenticate(token: string): Promise<Principal | null>;
}

interface Entry {
  at: number;
  principal: Promise<Principal | null>;
}

/**
 * Principals by token hash, kept for `ttlMs` so authentication is not a
 * query per request. Revoking a token or changing roles takes effect within
 * the TTL on every instance (at once on the instance that made a change
 * through the API, which calls clear()). Unknown tokens are cached too, so
 * a burst of bad tokens costs one query each; the map is bounded.
 * Concurrent first requests with one token share one lookup.
 */
export class PrincipalCache {
  private readonly entries = new Map<string, Entry>();
  private readonly users: TokenAuthenticator;
  private readonly ttlMs: number;
  private readonly maxEntries: number;
  constructor(users: TokenAuthenticator, opts: { ttlMs: number; maxEntries?: number }) {
    this.users = users;
    this.ttlMs = opts.ttlMs;
    this.maxEntries = opts.maxEntries ?? 10_000;
  }

  principalFor(token: string, tokenHash: string): Promise<Principal | null> {
    if (this.ttlMs <= 0) return this.users.authenticate(token);
    const now = performance.now();
    const hit = this.entries.get(tokenHash);
    if (hit && now - hit.at < this.ttlMs) return hit.principal;
    if (hit) this.entries.delete(tokenHash);
    if (this.entries.size >= this.maxEntries) {
      const oldest = this.entries.keys().next();
      if (!oldest.done) this.entries.delete(oldest.value);
    }
    const principal = this.users.authenticate(token);
    const entry = { at: now, principal };
    this.entries.set(tokenHash, entry);
    // A failed lookup (database down) must not be remembered.
    principal.catch(() => {
      if (this.entries.get(tokenHash) === entry) this.entries.delete(tokenHash);
    });
    return principal;
  }

  clear(): void {
    this.entries.clear();
  }
}

const BEARER = /^Bearer +(\S+) *$/i;

/** The bearer token of a request, or null when there is none (or another scheme). */
function bearerToken(req: Request): string | null {
  const header = req.headers.authorization;
  if (!header) return null;
  return BEARER.exec(header)?.[1] ?? null;
}

/**
 * SHA-256 of the bearer token, computed once per request (rate limiting and
 * auth share it), one-shot: a Hash object per request cost more than the digest.
 */
export function tokenHashOf(req: Request, res: Response): string | null {
  if (res.locals.tokenHash !== undefined) return res.locals.tokenHash as string | null;
  const token = bearerToken(req);
  const hash = token && token.length <= 256 ? digest('sha256', token, 'base64url') : null;
  res.locals.tokenHash = hash;
  return hash;
}

/** Another way in for requests without a bearer token (the console's session cookie): null when it does not apply. */
export type FallbackAuth = (req: Request, res: Response) => Promise<Principal | null>;

/** Resolves the caller or throws 401; the principal is kept in res.locals.principal. */
export async function authenticateRequest(cache: PrincipalCache, req: Request, res: Response, fallback?: FallbackAuth): Promise<Principal> {
  const token = bearerToken(req);
  const other = !token && fallback ? await fallback(req, res) : null;
  if (other) {
    res.locals.principal = other;
    return other;
  }
  if (!token) throw new UnauthenticatedError('send Authorization: Bearer <token>', { field: 'Authorization' });
  const hash = tokenHashOf(req, res);
  const principal = hash ? await cache.principalFor(token, hash) : null;
  if (!principal) throw new UnauthenticatedError('the token is unknown or revoked', { field: 'Authorization' });
  res.locals.principal = principal;
  return principal;
}
