import { hash } from 'node:crypto';
import type { Request, RequestHandler, Response } from 'express';
import { ipKeyGenerator } from 'express-rate-limit';
import { problem, sendProblem } from './problem.ts';
import { tokenHashOf } from './auth.ts';
import { isSelfRequest } from './self-requests.ts';

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
  return secret ? hash('sha256', secret.slice(0, 1024), 'base64url') : null;
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
    // Refreshed within the last minute: moving it to the back again would only cost (every valid request).
    if ((knownGood.get(credential) ?? 0) > now() + KNOWN_GOOD_MS - WINDOW_MS) return;
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
    const credential = credentialOf(req, res);
    if (credential !== null && (byCredential.get(credential) ?? 0) >= limit) {
      return refuse(res, 'too many failed authentications with this credential; see Retry-After', limit, resetSeconds);
    }
    const trusted = credential !== null && (knownGood.get(credential) ?? 0) > t;
    // The address only matters for a credential not known good, or once a request failed: its key (an
    // IPv6 check by regular expression) is not worked out for every valid request.
    if (!trusted && (byAddress.get(clientIp(req)) ?? 0) >= limit) {
      return refuse(res, 'too many failed authentications from this address; see Retry-After', limit, resetSeconds);
    }
    const addresses = byAddress;
    const credentials = byCredential;
    res.on('finish', () => {
      if (res.statusCode === 401) {
        const ip = clientIp(req);
        addresses.set(ip, (addresses.get(ip) ?? 0) + 1);
        if (credential !== null) credentials.set(credential, (credentials.get(credential) ?? 0) + 1);
      } else if (credential !== null && res.locals.principal !== undefined) {
        remember(credential);
      }
    });
    next();
  };
}

/** One key's count in the current window, with its draft-8 headers made once per window. */
interface WindowCount {
  hits: number;
  policy: string;
}

/**
 * Every request counted against its token (or its address without one), in
 * fixed one-minute windows, with the IETF RateLimit fields (draft 8). Kept
 * here rather than in express-rate-limit: its middleware awaited five
 * promises, ran its validations and hashed the key again on every request,
 * about 2% of the service's CPU under the mix of #18; this is a map lookup.
 */
function requestLimiter(limit: number): RequestHandler {
  const name = `"${limit}-in-${WINDOW_MS / 60_000}min"`;
  let windowStart = Date.now();
  let counts = new Map<string, WindowCount>();
  return (req, res, next) => {
    const now = Date.now();
    if (now - windowStart >= WINDOW_MS) {
      windowStart = now;
      counts = new Map();
    }
    // The service's own warm-up comes from loopback, as every client of a local proxy does: not their budget.
    if (isSelfRequest(req)) return next();
    const tokenHash = tokenHashOf(req, res);
    const key = tokenHash ? `t:${tokenHash}` : `ip:${clientIp(req)}`;
    let count = counts.get(key);
    if (!count) {
      // The partition key names the client without revealing its token: a short digest of the key.
      const pk = Buffer.from(hash('sha256', key, 'hex').slice(0, 12)).toString('base64');
      count = { hits: 0, policy: `${name}; q=${limit}; w=${WINDOW_MS / 1000}; pk=:${pk}:` };
      counts.set(key, count);
    }
    count.hits += 1;
    const resetSeconds = Math.max(1, Math.ceil((windowStart + WINDOW_MS - now) / 1000));
    res.setHeader('RateLimit-Policy', count.policy);
    res.setHeader('RateLimit', `${name}; r=${Math.max(0, limit - count.hits)}; t=${resetSeconds}`);
    if (count.hits > limit) {
      sendProblem(res, problem(429, 'rate-limited', 'too many requests; slow down (see the RateLimit headers)'), { 'Retry-After': String(resetSeconds) });
      return;
    }
    next();
  };
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
