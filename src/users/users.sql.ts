import type { Queryable } from '../db/database.ts';
import type { UserRole } from '../db/enums.ts';
import { defineQuery } from '../db/query.ts';
import { USER_VIEW_COLUMNS, USER_VIEW_SELECT, type UserView } from './user-view.ts';

const findUserByTelegramIdQuery = defineQuery({
  name: 'users.find_user_by_telegram_id',
  params: { telegramId: 'int8' },
  columns: USER_VIEW_COLUMNS,
  text: `SELECT ${USER_VIEW_SELECT} FROM users u WHERE u.telegram_id = $1::int8 AND u.deleted_at IS NULL`,
});

export function findUserByTelegramId(db: Queryable, telegramId: number): Promise<UserView | null> {
  return db.maybeOne(findUserByTelegramIdQuery, { telegramId });
}

const findUserQuery = defineQuery({
  name: 'users.find_user',
  params: { id: 'int8' },
  columns: USER_VIEW_COLUMNS,
  text: `SELECT ${USER_VIEW_SELECT} FROM users u WHERE u.id = $1::int8 AND u.deleted_at IS NULL`,
});

export function findUser(db: Queryable, id: number): Promise<UserView | null> {
  return db.maybeOne(findUserQuery, { id });
}

// A placeholder ("id2001", given when an admin added someone who had not written yet) gives way to their Telegram name.
const UPSERT_NAME = `CASE WHEN $5::bool OR users.name = 'id' || users.telegram_id::text THEN EXCLUDED.name ELSE users.name END`;

const upsertUserQuery = defineQuery({
  name: 'users.upsert_user',
  params: { telegramId: 'int8', name: 'text', username: 'text?', language: 'text?', overwriteName: 'bool' },
  columns: USER_VIEW_COLUMNS,
  text: `
WITH saved AS (
  INSERT INTO users (telegram_id, name, username, language)
  VALUES ($1::int8, $2::text, $3::text, COALESCE($4::text, 'ru'))
  ON CONFLICT (telegram_id) DO UPDATE SET
    name = ${UPSERT_NAME},
    username = COALESCE(EXCLUDED.username, users.username),
    deleted_at = NULL,
    updated_at = now()
  -- Only a real change is written: every bot update comes here, and a rewrite per update would bloat the table,
  -- and move updated_at, which the importer reads as "changed here since the last import".
  WHERE ${UPSERT_NAME} IS DISTINCT FROM users.name
     OR COALESCE(EXCLUDED.username, users.username) IS DISTINCT FROM users.username
     OR users.deleted_at IS NOT NULL
  RETURNING *
)
SELECT ${USER_VIEW_SELECT} FROM saved u
UNION ALL
SELECT ${USER_VIEW_SELECT} FROM users u WHERE u.telegram_id = $1::int8 AND NOT EXISTS (SELECT 1 FROM saved)`,
});

/**
 * Creates the user or refreshes what Telegram tells us about them.
 * overwriteName: an admin typing a name wins over a Telegram first name;
 * a placeholder name (`id<telegram id>`) is always replaced.
 */
export async function upsertUser(
  db: Queryable,
  user: { telegramId: number; name: string; username: string | null; language: 'ru' | 'en' | null },
  overwriteName: boolean,
): Promise<UserView> {
  const params = { ...user, overwriteName };
  // Nothing comes back only when another session inserted the row after this statement's snapshot and nothing
  // needed changing: the row is committed by then, so the second run reads it.
  return (await db.maybeOne(upsertUserQuery, params)) ?? db.one(upsertUserQuery, params);
}

const setUserLanguageQuery = defineQuery({
  name: 'users.set_user_language',
  params: { id: 'int8', language: 'text' },
  columns: {},
  text: `UPDATE users SET language = $2::text, updated_at = now() WHERE id = $1::int8`,
});

export function setUserLanguage(db: Queryable, id: number, language: 'ru' | 'en'): Promise<number> {
  return db.run(setUserLanguageQuery, { id, language });
}

const replaceUserRolesQuery = defineQuery({
  name: 'users.replace_user_roles',
  params: { userId: 'int8', roles: 'user_role[]', actorId: 'int8?' },
  columns: { user_id: 'int8' },
  text: `
WITH removed AS (
  DELETE FROM user_roles WHERE user_id = $1::int8 AND role <> ALL ($2::user_role[])
  RETURNING role
),
added AS (
  INSERT INTO user_roles (user_id, role, granted_by)
  SELECT $1::int8, r, $3::int8 FROM unnest($2::user_role[]) AS r
  ON CONFLICT (user_id, role) DO NOTHING
  RETURNING role
),
audit AS (
  INSERT INTO audit_log (actor_id, action, entity_type, entity_id, details)
  SELECT $3::int8, 'user.roles_set', 'user', $1::int8,
         jsonb_build_object('roles', $2::user_role[],
                            'added', (SELECT COALESCE(jsonb_agg(role), '[]') FROM added),
                            'removed', (SELECT COALESCE(jsonb_agg(role), '[]') FROM removed))
)
SELECT $1::int8 AS user_id`,
});

/** Sets exactly these roles (adds the missing, removes the rest) and audits it. */
export async function replaceUserRoles(db: Queryable, userId: number, roles: readonly UserRole[], actorId: number | null): Promise<void> {
  await db.one(replaceUserRolesQuery, { userId, roles: [...new Set(roles)], actorId });
}

const grantUserRoleQuery = defineQuery({
  name: 'users.grant_user_role',
  params: { userId: 'int8', role: 'user_role', actorId: 'int8?' },
  columns: {},
  text: `
INSERT INTO user_roles (user_id, role, granted_by) VALUES ($1::int8, $2::user_role, $3::int8)
ON CONFLICT (user_id, role) DO NOTHING`,
});

export function grantUserRole(db: Queryable, userId: number, role: UserRole, actorId: number | null): Promise<number> {
  return db.run(grantUserRoleQuery, { userId, role, actorId });
}

const listUsersQuery = defineQuery({
  name: 'users.list_users',
  params: { afterId: 'int8', limit: 'int4' },
  columns: USER_VIEW_COLUMNS,
  text: `
SELECT ${USER_VIEW_SELECT} FROM users u
WHERE u.deleted_at IS NULL AND u.id > $1::int8
ORDER BY u.id
LIMIT $2::int4`,
});

/** Users by id, keyset-paged. */
export function listUsers(db: Queryable, afterId: number, limit: number): Promise<UserView[]> {
  return db.many(listUsersQuery, { afterId, limit });
}

const listUsersWithRoleQuery = defineQuery({
  name: 'users.list_users_with_role',
  params: { role: 'user_role' },
  columns: USER_VIEW_COLUMNS,
  text: `
SELECT ${USER_VIEW_SELECT} FROM user_roles r
JOIN users u ON u.id = r.user_id
WHERE r.role = $1::user_role AND u.deleted_at IS NULL
ORDER BY u.id`,
});

/** Everyone holding a role (e.g. admins to notify). */
export function listUsersWithRole(db: Queryable, role: UserRole): Promise<UserView[]> {
  return db.many(listUsersWithRoleQuery, { role });
}

const countUsersQuery = defineQuery({
  name: 'users.count_users',
  params: {},
  columns: { count: 'int8' },
  text: `SELECT count(*) AS count FROM users`,
});

export async function countUsers(db: Queryable): Promise<number> {
  return (await db.one(countUsersQuery, {})).count;
}

const insertServiceUserQuery = defineQuery({
  name: 'users.insert_service_user',
  params: { name: 'text' },
  columns: USER_VIEW_COLUMNS,
  text: `
WITH created AS (INSERT INTO users (name) VALUES ($1::text) RETURNING *)
SELECT ${USER_VIEW_SELECT} FROM created u`,
});

/** An API-only account with no Telegram identity (e.g. the bootstrap admin). */
export function insertServiceUser(db: Queryable, name: string): Promise<UserView> {
  return db.one(insertServiceUserQuery, { name });
}

const lockBootstrapQuery = defineQuery({
  name: 'users.lock_bootstrap',
  params: {},
  columns: { locked: 'text' },
  // Transaction-scoped: two instances starting on an empty database create one admin.
  text: `SELECT pg_advisory_xact_lock(hashtext('repair-bot:bootstrap'))::text AS locked`,
});

export async function lockBootstrap(db: Queryable): Promise<void> {
  await db.one(lockBootstrapQuery, {});
}

const lockRoleChangesQuery = defineQuery({
  name: 'users.lock_role_changes',
  params: {},
  columns: { locked: 'text' },
  text: `SELECT pg_advisory_xact_lock(hashtext('repair-bot:roles'))::text AS locked`,
});

/** Transaction-scoped lock taken by every role change. */
export async function lockRoleChanges(db: Queryable): Promise<void> {
  await db.one(lockRoleChangesQuery, {});
}
