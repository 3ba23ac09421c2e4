import type { IncomingMessage } from 'node:http';
import type { Principal } from '../users/principal.ts';
import type { FallbackAuth } from './auth.ts';

/**
 * Requests the process makes to itself (the start-up warm-up,
 * warm-up-requests.ts) carry their principal on the request object under
 * this symbol. No header, cookie or body can set a symbol-keyed property,
 * and the only server that sets it listens on loopback and is closed
 * before the service listens: no token exists that could leak.
 */
const SELF = Symbol('http.self-principal');
type SelfRequest = IncomingMessage & { [SELF]?: Principal };

/** Marks a request of the process's own as made by `principal`. */
export function actAs(req: IncomingMessage, principal: Principal): void {
  (req as SelfRequest)[SELF] = principal;
}

/** True for a request of the process's own. */
export function isSelfRequest(req: IncomingMessage): boolean {
  return (req as SelfRequest)[SELF] !== undefined;
}

/** `fallback`, preceded by the principal of a self-made request (which sends no bearer token). */
export function withSelfRequests(fallback: FallbackAuth): FallbackAuth {
  return (req, res) => {
    const self = (req as SelfRequest)[SELF];
    return self ? Promise.resolve(self) : fallback(req, res);
  };
}
