/**
 * Statements of the live-update session (live/listener.ts) that are not
 * defineQuery queries: LISTEN cannot be prepared and takes no value. The
 * channel is fed by console.revoke_sessions. Order changes are not
 * notified but logged (migration 0157, order-changes.sql.ts).
 */
export const SESSIONS_CHANNEL = 'console_sessions';

export const LISTEN_STATEMENTS = [`LISTEN ${SESSIONS_CHANNEL}`] as const;
