import type { Queryable } from '../db/database.ts';
import { defineQuery } from '../db/query.ts';
import { USER_VIEW_COLUMNS, USER_VIEW_SELECT, type UserView } from '../users/user-view.ts';

/** Console sessions and one-time login links (migration 0080); tokens are stored as SHA-256 only. */

const insertSessionQuery = defineQuery({
  name: 'console.insert_session',
  params: { userId: 'int8', tokenHash: 'bytea', via: 'text', language: 'text', ttlSeconds: 'int4' },
  columns: { id: 'int8', expires_at: 'timestamptz' },
  text: `
WITH created AS (
  INSERT INTO console_sessions (user_id, token_hash, via, language, expires_at)
  VALUES ($1::int8, $2::bytea, $3::text, $4::text, now() + make_interval(secs => $5::int4))
  RETURNING id, expires_at
),
audit AS (
  INSERT INTO audit_log (actor_id, action, entity_type, entity_id, details)
  SELECT $1::int8, 'console.login', 'console_session', id, jsonb_build_object('via', $3::text) FROM created
)
SELECT id, expires_at FROM created`,
});

export function insertSession(
  db: Queryable,
  s: { userId: number; tokenHash: Buffer; via: 'telegram' | 'login_link'; language: 'ru' | 'en'; ttlSeconds: number },
) {
  return db.one(insertSessionQuery, s);
}

const findSessionOwnerQuery = defineQuery({
  name: 'console.find_session_owner',
  params: { tokenHash: 'bytea' },
  columns: { ...USER_VIEW_COLUMNS, session_id: 'int8', session_language: 'text', session_expires_at: 'timestamptz' },
  text: `
SELECT ${USER_VIEW_SELECT}, s.id AS session_id, s.language AS session_language, s.expires_at AS session_expires_at
FROM console_sessions s
JOIN users u ON u.id = s.user_id
WHERE s.token_hash = $1::bytea AND s.revoked_at IS NULL AND s.expires_at > now() AND u.deleted_at IS NULL`,
});

export type SessionOwner = UserView & { session_id: number; session_language: string; session_expires_at: string };

/** The owner of a live session (not revoked, not expired), or null. */
export function findSessionOwner(db: Queryable, tokenHash: Buffer): Promise<SessionOwner | null> {
  return db.maybeOne(findSessionOwnerQuery, { tokenHash });
}

const checkSessionLiveQuery = defineQuery({
  name: 'console.check_session_live',
  params: { id: 'int8' },
  columns: { live: 'bool' },
  text: `
SELECT EXISTS (
  SELECT 1 FROM console_sessions s
  JOIN users u ON u.id = s.user_id AND u.deleted_at IS NULL
  WHERE s.id = $1::int8 AND s.revoked_at IS NULL AND s.expires_at > now()
    AND EXISTS (SELECT 1 FROM user_roles r WHERE r.user_id = u.id AND r.role IN ('ADMIN', 'DISPATCHER'))
) AS live`,
});

/** Whether a session may still watch the live stream: not revoked or expired, its owner still staff. */
export async function checkSessionLive(db: Queryable, id: number): Promise<boolean> {
  return (await db.one(checkSessionLiveQuery, { id })).live;
}

const revokeSessionsQuery = defineQuery({
  name: 'console.revoke_sessions',
  params: { userId: 'int8', sessionId: 'int8?' },
  columns: { id: 'int8' },
  // Every instance ends the revoked sessions' live streams at once (console_sessions channel).
  text: `
WITH revoked AS (
  UPDATE console_sessions SET revoked_at = now()
  WHERE user_id = $1::int8 AND revoked_at IS NULL AND ($2::int8 IS NULL OR id = $2::int8)
  RETURNING id
),
audit AS (
  INSERT INTO audit_log (actor_id, action, entity_type, entity_id, details)
  SELECT $1::int8, 'console.logout', 'console_session', id, '{}'::jsonb FROM revoked
)
SELECT r.id FROM revoked r CROSS JOIN LATERAL pg_notify('console_sessions', r.id::text) AS told`,
});

/** Revokes one session of a user, or all of them (sessionId null); returns the revoked ids. */
export async function revokeSessions(db: Queryable, userId: number, sessionId: number | null): Promise<number[]> {
  return (await db.many(revokeSessionsQuery, { userId, sessionId })).map((r) => r.id);
}

const insertLoginLinkQuery = defineQuery({
  name: 'console.insert_login_link',
  params: { userId: 'int8', tokenHash: 'bytea', ttlSeconds: 'int4' },
  columns: { expires_at: 'timestamptz' },
  // Links long past their expiry go as new ones are made: the table stays small without a job.
  text: `
WITH swept AS (
  DELETE FROM console_login_links WHERE expires_at < now() - interval '1 day'
)
INSERT INTO console_login_links (token_hash, user_id, expires_at)
VALUES ($2::bytea, $1::int8, now() + make_interval(secs => $3::int4))
RETURNING expires_at`,
});

export function insertLoginLink(db: Queryable, userId: number, tokenHash: Buffer, ttlSeconds: number) {
  return db.one(insertLoginLinkQuery, { userId, tokenHash, ttlSeconds });
}

const consumeLoginLinkQuery = defineQuery({
  name: 'console.consume_login_link',
  params: { tokenHash: 'bytea' },
  columns: { user_id: 'int8' },
  // One conditional UPDATE: of two racing uses exactly one gets the row.
  text: `
UPDATE console_login_links SET used_at = now()
WHERE token_hash = $1::bytea AND used_at IS NULL AND expires_at > now()
RETURNING user_id`,
});

/** Marks a link used and returns its user, or null when it is unknown, used or expired. */
export async function consumeLoginLink(db: Queryable, tokenHash: Buffer): Promise<number | null> {
  return (await db.maybeOne(consumeLoginLinkQuery, { tokenHash }))?.user_id ?? null;
}
