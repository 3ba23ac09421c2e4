import type { Response } from 'express';
import { z } from 'zod';
import { NotFoundError } from '../errors.ts';
import { docSchemas } from '../http/openapi.ts';
import { defineRoute, type AnyRoute } from '../http/route-kit.ts';
import type { Services } from '../services.ts';
import { csrfTokenFor, type NewSession, type SessionPrincipal } from './console-auth.ts';
import { clearLoginCookie, clearSessionCookie, isSecure, LOGIN_COOKIE, readCookie, requestSession, setSessionCookie } from './session-cookie.ts';

/**
 * Signing in to the console and out of it. Both ways in end in the same
 * session cookie; the answer carries the CSRF token the page must send with
 * every change, and nothing else secret.
 */
const sessionSchema = z.strictObject({
  user: z.strictObject({
    name: z.string(),
    roles: z.array(z.string()),
    telegram_id: z.int().nullable(),
  }),
  language: z.enum(['ru', 'en']),
  csrf_token: z.string().meta({ description: 'send as X-CSRF-Token with every POST, PATCH, PUT and DELETE' }),
  expires_at: z.iso.datetime({ offset: true }),
  time_zone: z.string(),
  today: z.iso.date(),
});
docSchemas.add(sessionSchema, { id: 'ConsoleSession', description: 'A console session; the token itself travels only in the HttpOnly cookie' });

function sessionBody(services: Services, token: string, p: SessionPrincipal): z.output<typeof sessionSchema> {
  const board = services.console.board;
  return {
    user: { name: p.name, roles: [...p.roles], telegram_id: p.telegramId },
    language: p.language,
    csrf_token: csrfTokenFor(token),
    expires_at: p.sessionExpiresAt,
    time_zone: board.timeZone,
    today: board.today(),
  };
}

const SET_COOKIE = {
  'Set-Cookie':
    'the session cookie: HttpOnly, SameSite=Strict, Secure (and __Host-) over https; a Mini App sign-in over https is SameSite=None; Partitioned (Telegram Web frames it)',
};

export function sessionRoutes(services: Services, onLogout: () => void): AnyRoute[] {
  const auth = services.console.auth;
  const started = (session: NewSession, req: Parameters<AnyRoute['handle']>[0]['req'], res: Response, framed = false) => {
    setSessionCookie(res, session.token, session.principal.sessionExpiresAt, isSecure(req, auth.publicUrl), framed);
    res.setHeader('Cache-Control', 'no-store');
    res.json(sessionBody(services, session.token, session.principal));
  };
  return [
    defineRoute({
      method: 'post',
      path: '/api/v1/console/session/telegram',
      operationId: 'consoleSignInTelegram',
      summary: 'Sign in to the console with Telegram Mini App init data',
      description:
        'The init data is checked against the bot token (HMAC-SHA256, WebAppData key) and its auth_date age. Admins and dispatchers only (403 otherwise).',
      tag: 'console',
      roles: [],
      public: true,
      body: z.strictObject({ init_data: z.string().min(1).max(8192).meta({ description: 'Telegram.WebApp.initData, as received' }) }),
      responses: { 200: { description: 'Signed in', schema: sessionSchema, headers: SET_COOKIE } },
      async handle({ body, req, res }) {
        started(await auth.loginWithInitData(body.init_data), req, res, true);
      },
    }),
    defineRoute({
      method: 'post',
      path: '/api/v1/console/session/link',
      operationId: 'consoleSignInLink',
      summary: 'Sign in to the console with a one-time login link from the bot',
      description: `The link's token comes from the body or, after GET /console/login?token=..., from the short-lived ${LOGIN_COOKIE} cookie that redirect set. Each link works once, for a few minutes.`,
      tag: 'console',
      roles: [],
      public: true,
      body: z.strictObject({ token: z.string().max(100).optional() }),
      responses: { 200: { description: 'Signed in', schema: sessionSchema, headers: SET_COOKIE } },
      async handle({ body, req, res }) {
        clearLoginCookie(res, isSecure(req, auth.publicUrl));
        started(await auth.loginWithLink(body.token ?? readCookie(req, LOGIN_COOKIE) ?? ''), req, res);
      },
    }),
    defineRoute({
      method: 'get',
      path: '/api/v1/console/session',
      operationId: 'consoleSession',
      summary: 'The console session of this cookie, with its CSRF token',
      tag: 'console',
      roles: ['ADMIN', 'DISPATCHER'],
      rolesNote: 'Only with the session cookie (404 for an API token).',
      responses: { 200: { description: 'The session', schema: sessionSchema } },
      errors: [404],
      async handle({ res }) {
        const session = requestSession(res);
        if (!session) throw new NotFoundError('this request has no console session', { field: 'Cookie' });
        res.setHeader('Cache-Control', 'no-store');
        res.json(sessionBody(services, session.token, session.principal));
      },
    }),
    ...(['one', 'all'] as const).map((which) =>
      defineRoute({
        method: 'delete',
        path: which === 'one' ? '/api/v1/console/session' : '/api/v1/console/sessions',
        operationId: which === 'one' ? 'consoleSignOut' : 'consoleSignOutEverywhere',
        summary: which === 'one' ? 'Sign out of this console session' : 'Sign out of every console session of this user',
        description: 'Revoked at once on every instance: live streams of those sessions end.',
        tag: 'console',
        roles: ['ADMIN', 'DISPATCHER'],
        rolesNote: 'Only with the session cookie (404 for an API token).',
        responses: { 204: { description: 'Signed out', headers: { 'Set-Cookie': 'clears the session cookie' } } },
        errors: [404],
        async handle({ req, res }) {
          const session = requestSession(res);
          if (!session) throw new NotFoundError('this request has no console session', { field: 'Cookie' });
          await auth.logout(session.principal, which === 'all');
          onLogout();
          clearSessionCookie(res, isSecure(req, auth.publicUrl));
          res.status(204).end();
        },
      }),
    ),
  ];
}
