import { randomUUID } from 'node:crypto';
import type { RequestHandler } from 'express';

/** What a caller may send as its own request id: short, printable, no separators that break logs. */
const SANE_ID = /^[A-Za-z0-9._:@/+=-]{1,128}$/;

/**
 * Accepts a sane incoming X-Request-Id (so a trace can follow one id across
 * services) or makes one; echoes it on the response and keeps it in
 * res.locals.requestId for logs and problem bodies.
 */
export function requestId(): RequestHandler {
  return (req, res, next) => {
    const incoming = req.headers['x-request-id'];
    const id = typeof incoming === 'string' && SANE_ID.test(incoming) ? incoming : randomUUID();
    res.locals.requestId = id;
    res.setHeader('X-Request-Id', id);
    next();
  };
}
