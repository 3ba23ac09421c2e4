import type { Request, RequestHandler, Response } from 'express';
import { problem, sendProblem } from '../http/problem.ts';
import type { Asset, ConsoleAssets } from './assets.ts';
import { looksLikeLoginToken } from './console-auth.ts';
import { isSecure, setLoginCookie } from './session-cookie.ts';

/**
 * The console's pages under /console/: the app (index.html and hashed
 * assets, brotli or gzip as the browser takes them) with a strict
 * Content-Security-Policy: scripts, styles and requests from this origin
 * only, no inline code, no eval, no string-to-script sinks (Trusted
 * Types), framed only by this origin and Telegram Web.
 *
 * GET /console/login?token=... is where the bot's login links point: it
 * keeps the token in a short-lived HttpOnly cookie scoped to the sign-in
 * call and redirects to /console/, so the token leaves the address bar and
 * history at once. The token is spent only when the page's script signs in:
 * a link-preview fetcher that follows the redirect spends nothing.
 */
const CONSOLE_CSP = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "connect-src 'self'",
  "font-src 'self'",
  "manifest-src 'self'",
  "base-uri 'none'",
  "form-action 'self'",
  "frame-ancestors 'self' https://web.telegram.org",
  "require-trusted-types-for 'script'",
  "trusted-types 'none'",
].join('; ');

export interface PagesOptions {
  assets: () => Promise<ConsoleAssets>;
  publicUrl: string | undefined;
  loginLinkTtlSeconds: number;
  onBuildError(err: unknown): void;
}

function pageHeaders(res: Response): void {
  res.setHeader('Content-Security-Policy', CONSOLE_CSP);
  res.setHeader('Referrer-Policy', 'no-referrer');
  res.setHeader('Permissions-Policy', 'camera=(), microphone=(), geolocation=(), payment=()');
  // frame-ancestors decides who may frame the console (Telegram Web does).
  res.removeHeader('X-Frame-Options');
}

function send(req: Request, res: Response, a: Asset): void {
  const accepts = req.headers['accept-encoding'] ?? '';
  const [body, encoding] = /\bbr\b/.test(accepts) ? [a.brotli, 'br'] : /\bgzip\b/.test(accepts) ? [a.gzip, 'gzip'] : [a.body, undefined];
  res.setHeader('Content-Type', a.type);
  res.setHeader('Vary', 'Accept-Encoding');
  res.setHeader('ETag', a.etag);
  res.setHeader('Cache-Control', a.immutable ? 'public, max-age=31536000, immutable' : 'no-cache');
  if (req.headers['if-none-match'] === a.etag) {
    res.status(304).end();
    return;
  }
  if (encoding) res.setHeader('Content-Encoding', encoding);
  res.setHeader('Content-Length', body.length);
  res.status(200).end(req.method === 'HEAD' ? undefined : body);
}

/** Middleware (not routes: the pages are no API operations) serving /console and below. */
export function consolePages(opts: PagesOptions): RequestHandler {
  return (req, res, next) => {
    if (req.path !== '/console' && !req.path.startsWith('/console/')) return next();
    if (req.method !== 'GET' && req.method !== 'HEAD') return next();
    pageHeaders(res);
    if (req.path === '/console') return res.redirect(301, '/console/');
    if (req.path === '/console/login') {
      const token = typeof req.query.token === 'string' ? req.query.token : '';
      res.setHeader('Cache-Control', 'no-store');
      if (looksLikeLoginToken(token)) setLoginCookie(res, token, opts.loginLinkTtlSeconds, isSecure(req, opts.publicUrl));
      return res.redirect(303, '/console/');
    }
    opts.assets().then(
      (assets) => {
        const name = req.path.slice('/console/'.length);
        const found = name === '' ? assets.index : assets.byName.get(name);
        if (found && name !== 'index.html') return send(req, res, found);
        // Any other path under /console/ is the app's (one page); assets that do not exist are 404s.
        if (name.startsWith('assets/')) return next();
        send(req, res, assets.index);
      },
      (err: unknown) => {
        opts.onBuildError(err);
        sendProblem(
          res,
          problem(503, 'unavailable', 'the console front end could not be built here (esbuild missing?); set CONSOLE_ASSETS_DIR to a prebuilt one'),
        );
      },
    );
  };
}
