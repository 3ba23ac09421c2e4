import type { Queryable } from '../db/database.ts';
import { defineQuery } from '../db/query.ts';
import { TOKEN_VIEW_COLUMNS, type TokenView } from './token-view.ts';
import { USER_VIEW_COLUMNS, USER_VIEW_SELECT, type UserView } from './user-view.ts';

const insertTokenQuery = defineQuery({
  name: 'tokens.insert_token',
  params: { userId: 'int8', tokenHash: 'bytea', label: 'text', actorId: 'int8?' },
  columns: { id: 'int8', created_at: 'timestamptz' },
  text: `
WITH created AS (
  INSERT INTO api_tokens (user_id, token_hash, label) VALUES ($1::int8, $2::bytea, $3::text)
  RETURNING id, created_at
),
audit AS (
  INSERT INTO audit_log (actor_id, action, entity_type, entity_id, details)
  SELECT $4::int8, 'token.create', 'api_token', id, jsonb_build_object('user_id', $1::int8, 'label', $3::text)
  FROM created
)
SELECT id, created_at FROM created`,
});

export function insertToken(db: Queryable, userId: number, tokenHash: Buffer, label: string, actorId: number | null) {
  return db.one(insertTokenQuery, { userId, tokenHash, label, actorId });
}

const findTokenOwnerQuery = defineQuery({
  name: 'tokens.find_token_owner',
  params: { tokenHash: 'bytea' },
  columns: { ...USER_VIEW_COLUMNS, token_id: 'int8', token_last_used_at: 'timestamptz?' },
  text: `
SELECT ${USER_VIEW_SELECT}, t.id AS token_id, t.last_used_at AS token_last_used_at
FROM api_tokens t
JOIN users u ON u.id = t.user_id
WHERE t.token_hash = $1::bytea AND t.revoked_at IS NULL AND u.deleted_at IS NULL`,
});

export type TokenOwner = UserView & { token_id: number; token_last_used_at: string | null };

/** The live (not revoked) token's owner, or null. */
export function findTokenOwner(db: Queryable, tokenHash: Buffer): Promise<TokenOwner | null> {
  return db.maybeOne(findTokenOwnerQuery, { tokenHash });
}

const touchTokenQuery = defineQuery({
  name: 'tokens.touch_token',
  params: { id: 'int8' },
  columns: {},
  text: `
UPDATE api_tokens SET last_used_at = now()
WHERE id = $1::int8 AND (last_used_at IS NULL OR last_used_at < now() - interval '1 minute')`,
});

/** Records use at most once a minute per token, so auth is not a write per request. */
export function touchToken(db: Queryable, id: number): Promise<number> {
  return db.run(touchTokenQuery, { id });
}

const revokeTokenQuery = defineQuery({
  name: 'tokens.revoke_token',
  params: { id: 'int8', actorId: 'int8?' },
  columns: { id: 'int8' },
  text: `
WITH revoked AS (
  UPDATE api_tokens SET revoked_at = now() WHERE id = $1::int8 AND revoked_at IS NULL
  RETURNING id
),
audit AS (
  INSERT INTO audit_log (actor_id, action, entity_type, entity_id, details)
  SELECT $2::int8, 'token.revoke', 'api_token', id, '{}'::jsonb FROM revoked
)
SELECT id FROM revoked`,
});

export async function revokeToken(db: Queryable, id: number, actorId: number | null): Promise<boolean> {
  return (await db.maybeOne(revokeTokenQuery, { id, actorId })) !== null;
}

const listTokensQuery = defineQuery({
  name: 'tokens.list_tokens',
  params: { afterId: 'int8', telegramId: 'int8?', includeRevoked: 'bool', limit: 'int4' },
  columns: TOKEN_VIEW_COLUMNS,
  text: `
SELECT t.id, t.user_id, u.name AS user_name, u.telegram_id, t.label, t.created_at, t.last_used_at, t.revoked_at
FROM api_tokens t
JOIN users u ON u.id = t.user_id
WHERE t.id > $1::int8
  AND ($2::int8 IS NULL OR u.telegram_id = $2::int8)
  AND ($3::bool OR t.revoked_at IS NULL)
ORDER BY t.id
LIMIT $4::int4`,
});

/** Tokens by id, keyset-paged, never their hashes: optionally one Telegram user's, optionally with revoked ones. */
export function listTokens(db: Queryable, f: { afterId: number; telegramId: number | null; includeRevoked: boolean; limit: number }): Promise<TokenView[]> {
  return db.many(listTokensQuery, f);
}
