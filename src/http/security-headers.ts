import type { IncomingMessage, ServerResponse } from 'node:http';
import type { RequestHandler } from 'express';
import helmet from 'helmet';

/**
 * helmet's headers, learned once at start and then set as one constant list:
 * with its default options they are the same on every response, yet helmet
 * runs a dozen middlewares per request to write them (about 1% of the
 * service's CPU under the mix of #18). Asking helmet itself keeps them
 * exactly its own, whatever a new version adds.
 */
export function securityHeaders(): RequestHandler {
  const headers = new Map<string, string>();
  const recorder = {
    setHeader(name: string, value: string | number | readonly string[]) {
      headers.set(name, String(value));
    },
    removeHeader(name: string) {
      headers.delete(name);
    },
  };
  let synchronous = false;
  helmet()({} as IncomingMessage, recorder as unknown as ServerResponse, () => {
    synchronous = true;
  });
  if (!synchronous) throw new Error('helmet no longer sets its headers synchronously: use helmet() as the middleware again');
  const list = [...headers];
  return (_req, res, next) => {
    for (const [name, value] of list) res.setHeader(name, value);
    next();
  };
}
