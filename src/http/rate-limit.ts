import { createHash } from 'node:crypto';
import type { Request, RequestHandler, Response } from 'express';
import { ipKeyGenerator, rateLimit } from 'express-rate-limit';
import { problem, sendProblem } from './problem.ts';
import { tokenHashOf } from './auth.ts';

export interface RateLimitSettings {
  /** Requests per minute per token (per IP without one); 0 turns the limit off. */
  perMinute: number;
  /** Failed authentications (401) per minute, counted per address and per presented credential; 0 turns the limit off. */
  authFailuresPerMinute: number;
}

const WINDOW_MS = 60_000;
/** How long a credential that authenticated stays trusted past an address's failure limit. */
const KNOWN_GOOD_MS = 24 * 3600_000;
const MAX_KNOWN_GOOD = 10_000;

/** The client's address: req.ip follows express's 'trust proxy' (TRUST_PROXY), so behind a proxy it is the real client. */
function clientIp(req: Request): string {
  return ipKeyGenerator(req.ip ?? req.socket.remoteAddress ?? 'unknown');
}

/** What the request presents to authenticate: a bearer token or the webhook's secret header, hashed; null for nothing. */
function credentialOf(req: Request, res: Response): string | null {
  const bearer = tokenHashOf(req, res);
  if (bearer) return bearer;
  const secret = req.header('X-Telegram-Bot-Api-Secret-Token');
  return secret ? createHash('sha256').update(secret.slice(0, 1024)).digest('base64url') : null;
}

function refuse(res: Response, detail: string, limit: number, resetSeconds: number): void {
  // RFC 9110 Retry-After, and the IETF RateLimit fields (draft 8) as the request limiter sends them.
  const headers = {
    'Retry-After': String(resetSeconds),
    'RateLimit-Policy': `"auth-failures";q=${limit};w=${WINDOW_MS / 1000}`,
    RateLimit: `"auth-failures";r=0;t=${resetSeconds}`,
  };
  sendProblem(res, problem(429, 'rate-limited', detail), headers);
}

/**
 * Counts answers that were 401, in fixed one-minute windows, separately per
 * client address and per presented credential. A credential over the limit
 * is refused. An address over the limit is refused before its request costs
 * a query, except for credentials that authenticated on this instance in the
 * last day: behind a NAT or a proxy, one client guessing tokens must not lock
 * out everyone else. (express-rate-limit's skipSuccessfulRequests counts
 * every request while it is in flight, so hundreds of slow, valid requests
 * from one address would lock out valid tokens.)
 */
function authFailureLimiter(limit: number): RequestHandler {
  const now = Date.now;
  let windowStart = now();
  let byAddress = new Map<string, number>();
  let byCredential = new Map<string, number>();
  const knownGood = new Map<string, number>();
  const remember = (credential: string) => {
    knownGood.delete(credential);
    if (knownGood.size >= MAX_KNOWN_GOOD) knownGood.delete(knownGood.keys().next().value!);
    knownGood.set(credential, now() + KNOWN_GOOD_MS);
  };
  return (req, res, next) => {
    const t = now();
    if (t - windowStart >= WINDOW_MS) {
      windowStart = t;
      byAddress = new Map();
      byCredential = new Map();
    }
    const resetSeconds = Math.max(1, Math.ceil((windowStart + WINDOW_MS - t) / 1000));
    const ip = clientIp(req);
    const credential = credentialOf(req, res);
    if (credential !== null && (byCredential.get(credential) ?? 0) >= limit) {
      return refuse(res, 'too many failed authentications with this credential; see Retry-After', limit, resetSeconds);
    }
    const trusted = credential !== null && (knownGood.get(credential) ?? 0) > t;
    if (!trusted && (byAddress.get(ip) ?? 0) >= limit) {
      return refuse(res, 'too many failed authentications from this address; see Retry-After', limit, resetSeconds);
    }
    const addresses = byAddress;
    const credentials = byCredential;
    res.on('finish', () => {
      if (res.statusCode === 401) {
        addresses.set(ip, (addresses.get(ip) ?? 0) + 1);
        if (credential !== null) credentials.set(credential, (credentials.get(credential) ?? 0) + 1);
      } else if (credential !== null && res.locals.principal !== undefined) {
        remember(credential);
      }
    });
    next();
  };
}

/** Every request counted against its token (or its address without one), with the standard RateLimit headers (draft 8). */
function requestLimiter(perMinute: number): RequestHandler {
  return rateLimit({
    windowMs: WINDOW_MS,
    limit: perMinute,
    standardHeaders: 'draft-8',
    legacyHeaders: false,
    keyGenerator: (req, res) => {
      const hash = tokenHashOf(req, res);
      return hash ? `t:${hash}` : `ip:${clientIp(req)}`;
    },
    handler: (_req, res) => sendProblem(res, problem(429, 'rate-limited', 'too many requests; slow down (see the RateLimit headers)')),
    validate: { xForwardedForHeader: false },
  });
}

/**
 * The limiters in front of the API and the webhook, in memory per instance:
 * failed authentications first (so guessing, each guess a new key for the
 * request limiter, is throttled before it costs queries), then requests.
 */
export function rateLimiters(settings: RateLimitSettings): RequestHandler[] {
  const limiters: RequestHandler[] = [];
  if (settings.authFailuresPerMinute > 0) limiters.push(authFailureLimiter(settings.authFailuresPerMinute));
  if (settings.perMinute > 0) limiters.push(requestLimiter(settings.perMinute));
  return limiters;
}
