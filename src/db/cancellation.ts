import { AsyncLocalStorage } from 'node:async_hooks';
import { connect } from 'node:net';
import type pg from 'pg';

/**
 * Who still wants the work running in this async context: the HTTP layer
 * runs each request under the signal its client's disconnect aborts. The
 * database layer (Database.withClient, transaction) reads it, so a request
 * whose client is gone stops at its next statement, has its running
 * statement cancelled, and never commits.
 */
const scope = new AsyncLocalStorage<AbortSignal>();

/** Runs `fn` (and everything it starts) under `signal`. */
export function runCancellable<T>(signal: AbortSignal, fn: () => T): T {
  return scope.run(signal, fn);
}

/** Runs `fn` free of any signal: what follows a commit (notifications, counters) must happen even if the caller leaves now. */
export function outsideCancellation<T>(fn: () => T): T {
  return scope.exit(fn);
}

/** The signal of the work running now, if it has one. */
export function currentCancelSignal(): AbortSignal | undefined {
  return scope.getStore();
}

/** The protocol's CancelRequest code (PostgreSQL docs, "Canceling Requests in Progress"). */
const CANCEL_REQUEST_CODE = 80877102;

interface BackendKey {
  processID: number | null;
  secretKey: number | null;
  host: string;
  port: number;
}

/**
 * Asks the server to cancel whatever statement the client's backend runs,
 * on a connection of its own, with the backend's key. This is the protocol's
 * own cancel, so it also works through PgBouncer (which relays it to the
 * server connection the client is using), unlike pg_cancel_backend(pid).
 * Best effort: a failure to reach the server is ignored, as the client is
 * discarded anyway.
 */
export function sendCancelRequest(client: pg.ClientBase): Promise<void> {
  const key = client as unknown as BackendKey;
  if (key.processID === null || key.secretKey === null) return Promise.resolve();
  const message = Buffer.alloc(16);
  message.writeInt32BE(16, 0);
  message.writeInt32BE(CANCEL_REQUEST_CODE, 4);
  message.writeInt32BE(key.processID, 8);
  message.writeInt32BE(key.secretKey, 12);
  return new Promise((resolve) => {
    const socket = key.host.startsWith('/') ? connect(`${key.host}/.s.PGSQL.${key.port}`) : connect(key.port, key.host);
    socket.setTimeout(2000, () => socket.destroy());
    socket.once('connect', () => socket.end(message));
    socket.once('close', () => resolve());
    socket.once('error', () => resolve());
  });
}
