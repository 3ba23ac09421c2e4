import { setMaxListeners } from 'node:events';
import express, { Router, type ErrorRequestHandler, type Express, type RequestHandler } from 'express';
import { consoleAssets, type ConsoleAssets } from '../console/assets.ts';
import type { LiveHub } from '../console/live/hub.ts';
import { consolePages } from '../console/pages.ts';
import { runCancellable } from '../db/cancellation.ts';
import { sessionCookieAuth } from '../console/session-cookie.ts';
import type { Services } from '../services.ts';
import { apiRoutes } from './api-routes.ts';
import { PrincipalCache } from './auth.ts';
import { healthRoutes, migrationsOnly, type ReadinessCheck } from './health-routes.ts';
import { buildOpenApi } from './openapi.ts';
import { problem, sendProblem, toProblem } from './problem.ts';
import { rateLimiters, type RateLimitSettings } from './rate-limit.ts';
import { requestId } from './request-id.ts';
import { mountRoutes } from './route-kit.ts';
import { securityHeaders } from './security-headers.ts';
import { withSelfRequests } from './self-requests.ts';

interface HttpLogger {
  error(obj: object, msg: string): void;
  warn(obj: object, msg: string): void;
}

export interface HttpDeps {
  services: Services;
  expectedMigrations: readonly string[];
  /** Runs before everything else (telemetry: request metrics). */
  before?: RequestHandler[];
  /** Extra routers mounted at the root (telemetry: GET /metrics). */
  routers?: Router[];
  /**
   * The bot's webhook handler, mounted at POST /api/v1/telegram/webhook when the bot runs by webhook,
   * behind the rate limiters and with no body parser: it checks its secret before it reads the body.
   */
  telegramWebhook?: RequestHandler;
  /** Where unexpected errors are reported (default: nowhere). */
  logger?: HttpLogger;
  /** Default: 120000 requests/min per token, 600 failed authentications/min per IP. */
  rateLimit?: RateLimitSettings;
  /** How long an authenticated token is trusted without a query (default 5000 ms; 0 = every request). */
  authCacheTtlMs?: number;
  /** express's 'trust proxy' (TRUST_PROXY): which proxies' X-Forwarded-For names the client (default: none). */
  trustProxy?: boolean | number | string;
  /** Largest JSON body (default 64 kB). */
  bodyLimit?: number | string;
  /** /readyz's check (default: the migrations, read through the shared pool). */
  readiness?: ReadinessCheck;
  /** The dispatcher console: its live stream (none by default) and front end (built on first use by default). */
  console?: { live?: LiveHub; assets?: () => Promise<ConsoleAssets>; loginLinkTtlSeconds?: number };
}

const DEFAULT_RATE_LIMIT: RateLimitSettings = { perMinute: 120_000, authFailuresPerMinute: 600 };

/**
 * Runs each request under a signal that aborts when its client hangs up
 * before the answer is complete: the database layer then cancels the
 * running statement and never commits (src/db/cancellation.ts), so a
 * retried request cannot leave a duplicate behind.
 */
function cancelWhenClientLeaves(): RequestHandler {
  return (_req, res, next) => {
    const gone = new AbortController();
    // Each connection lent to the request listens while lent; a Promise.all of queries may lend several.
    setMaxListeners(64, gone.signal);
    res.once('close', () => {
      if (!res.writableFinished) gone.abort();
    });
    runCancellable(gone.signal, next);
  };
}

function errorHandler(logger: HttpLogger | undefined): ErrorRequestHandler {
  return (err, _req, res, _next) => {
    const locals = res.locals as { fieldNames?: Record<string, string>; requestId?: string };
    const mapped = toProblem(err, locals.fieldNames);
    if (res.headersSent) {
      // A streamed download failed midway (or the client left): all we can do is cut it.
      if (mapped.internal) logger?.warn({ err: err as unknown, request_id: locals.requestId }, 'response failed after it started');
      res.destroy();
      return;
    }
    if (mapped.internal) logger?.error({ err: err as unknown, request_id: locals.requestId }, 'request failed');
    sendProblem(res, mapped.body, mapped.headers);
  };
}

/**
 * The express application: telemetry hooks, request id, security headers,
 * health, plug-in routers, the webhook, /openapi.json, then the API under
 * /api/v1 (rate-limited; each route authenticates, checks roles, validates).
 * Anything else is a 404 problem; errors become problem+json.
 */
export function createHttpApp(deps: HttpDeps): Express {
  const app = express();
  app.disable('x-powered-by');
  // Orders carry their own ETag (the version); hashing every body would be wasted work.
  app.set('etag', false);
  // The client address (rate limits, logs) comes from X-Forwarded-For only through proxies named here.
  app.set('trust proxy', deps.trustProxy ?? false);
  for (const mw of deps.before ?? []) app.use(mw);
  app.use(requestId());
  app.use(cancelWhenClientLeaves());
  app.use(securityHeaders());
  app.use(healthRoutes(deps.readiness ?? migrationsOnly(deps.services.health, deps.expectedMigrations)));
  app.use(
    consolePages({
      assets: deps.console?.assets ?? (() => consoleAssets()),
      publicUrl: deps.services.console.auth.publicUrl,
      loginLinkTtlSeconds: deps.console?.loginLinkTtlSeconds ?? 600,
      onBuildError: (err) => deps.logger?.error({ err }, 'console front end unavailable'),
    }),
  );
  for (const r of deps.routers ?? []) app.use(r);
  // Ahead of the webhook too: its wrong secrets count as failed authentications.
  const limiters = rateLimiters(deps.rateLimit ?? DEFAULT_RATE_LIMIT);
  if (limiters.length > 0) app.use('/api/v1', ...limiters);
  if (deps.telegramWebhook) app.post('/api/v1/telegram/webhook', deps.telegramWebhook);

  const ttlMs = deps.authCacheTtlMs ?? 5000;
  // Console sessions are cached like tokens; a sign-out here forgets them at once.
  const sessions = new PrincipalCache(deps.services.console.auth, { ttlMs });
  // A sign-out on any instance reaches this one through the live feed: forget cached sessions at once.
  deps.console?.live?.onSessionRevoked(() => sessions.clear());
  const routes = apiRoutes(deps.services, { live: deps.console?.live, forgetSessions: () => sessions.clear() });
  const openApi = JSON.stringify(buildOpenApi(routes, { routers: deps.routers, webhook: deps.telegramWebhook !== undefined }));
  app.get('/openapi.json', (_req, res) => {
    res.type('application/json').send(openApi);
  });

  const api = Router();
  mountRoutes(api, routes, {
    cache: new PrincipalCache(deps.services.users, { ttlMs }),
    bodyLimit: deps.bodyLimit ?? '64kb',
    fallbackAuth: withSelfRequests(sessionCookieAuth(sessions)),
  });
  app.use(api);

  app.use((req, res) => {
    sendProblem(res, problem(404, 'not-found', `no route ${req.method} ${req.path}`));
  });
  app.use(errorHandler(deps.logger));
  return app;
}
