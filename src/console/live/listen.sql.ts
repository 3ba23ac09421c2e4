/**
 * Statements of the LISTEN session (live/listener.ts). They are not
 * defineQuery queries: LISTEN cannot be prepared, and none takes a value.
 * The channels are fed by migration 0080 (order_changes, from a trigger on
 * orders) and by console.revoke_sessions (console_sessions).
 */
export const ORDER_CHANGES_CHANNEL = 'order_changes';
export const SESSIONS_CHANNEL = 'console_sessions';

export const LISTEN_STATEMENTS = [`LISTEN ${ORDER_CHANGES_CHANNEL}`, `LISTEN ${SESSIONS_CHANNEL}`] as const;

/** A round trip that proves the session still answers. */
export const PING_STATEMENT = 'SELECT 1';
