import type { Request, RequestHandler, Response } from 'express';
import { ipKeyGenerator, rateLimit } from 'express-rate-limit';
import { problem, sendProblem } from './problem.ts';
import { tokenHashOf } from './auth.ts';

export interface RateLimitSettings {
  /** Requests per minute per token (per IP without one); 0 turns the limit off. */
  perMinute: number;
  /** Failed authentications (401) per minute per IP; 0 turns the limit off. */
  authFailuresPerMinute: number;
}

function clientIp(req: Request): string {
  return ipKeyGenerator(req.ip ?? req.socket.remoteAddress ?? 'unknown');
}

function tooMany(detail: string) {
  return (_req: Request, res: Response) => {
    sendProblem(res, problem(429, 'rate-limited', detail), {});
  };
}

/**
 * Counts only answers that were 401, per IP, in fixed one-minute windows;
 * an address over the limit is refused before its request costs a query.
 * (express-rate-limit's skipSuccessfulRequests counts every request while it
 * is in flight, so hundreds of slow, valid requests from one address, a NAT
 * or a load generator, would lock out valid tokens.)
 */
function authFailureLimiter(limit: number): RequestHandler {
  let windowStart = Date.now();
  let failures = new Map<string, number>();
  const refuse = tooMany('too many failed authentications from this address; wait a minute');
  return (req, res, next) => {
    const now = Date.now();
    if (now - windowStart >= 60_000) {
      windowStart = now;
      failures = new Map();
    }
    const ip = clientIp(req);
    if ((failures.get(ip) ?? 0) >= limit) {
      refuse(req, res);
      return;
    }
    const window = failures;
    res.on('finish', () => {
      if (res.statusCode === 401) window.set(ip, (window.get(ip) ?? 0) + 1);
    });
    next();
  };
}

/**
 * Two fixed-window limiters in memory (per instance):
 * - every request counts against its token (or its IP when it has none);
 * - only 401 answers count against the IP, so guessing tokens (each a new
 *   key for the first limiter) is throttled before it costs queries.
 * Standard RateLimit headers (draft-8) tell clients where they stand.
 */
export function rateLimiters(settings: RateLimitSettings): RequestHandler[] {
  const limiters: RequestHandler[] = [];
  if (settings.authFailuresPerMinute > 0) limiters.push(authFailureLimiter(settings.authFailuresPerMinute));
  if (settings.perMinute > 0) {
    limiters.push(
      rateLimit({
        windowMs: 60_000,
        limit: settings.perMinute,
        standardHeaders: 'draft-8',
        legacyHeaders: false,
        keyGenerator: (req, res) => {
          const hash = tokenHashOf(req, res);
          return hash ? `t:${hash}` : `ip:${clientIp(req)}`;
        },
        handler: tooMany('too many requests; slow down (see the RateLimit headers)'),
        validate: { xForwardedForHeader: false },
      }),
    );
  }
  return limiters;
}
