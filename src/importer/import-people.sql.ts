import type { Queryable } from '../db/database.ts';
import type { UserRole } from '../db/enums.ts';
import { defineQuery } from '../db/query.ts';
import { nullable } from './arrays.ts';

/** Users, their roles and masters from the legacy file, in batches. */

const insertUsersQuery = defineQuery({
  name: 'importer.insert_users',
  params: {
    source: 'text',
    legacyIds: 'int8[]',
    telegramIds: 'int8[]',
    names: 'text[]',
    usernames: 'text[]',
    createdAt: 'timestamptz[]',
    deletedAt: 'timestamptz[]',
    legacyRows: 'jsonb[]',
    fingerprints: 'text[]',
    legacyRoles: 'text[]',
  },
  columns: { telegram_id: 'int8', user_id: 'int8', inserted: 'bool' },
  // A Telegram id the database already knows is linked, not duplicated (another
  // city's file, or someone already using the new bot), and keeps its own state.
  text: `
WITH src AS (
  SELECT * FROM unnest($2::int8[], $3::int8[], $4::text[], $5::text[], $6::timestamptz[], $7::timestamptz[], $8::jsonb[], $9::text[], $10::text[])
    AS s(legacy_id, telegram_id, name, username, created_at, deleted_at, legacy_row, fingerprint, legacy_roles)
),
inserted AS (
  INSERT INTO users (telegram_id, name, username, created_at, updated_at, deleted_at)
  SELECT telegram_id, name, username, created_at, created_at, deleted_at FROM src
  ON CONFLICT (telegram_id) DO NOTHING
  RETURNING id, telegram_id, updated_at
),
resolved AS (
  SELECT s.*, COALESCE(i.id, u.id) AS user_id, i.id IS NOT NULL AS inserted, COALESCE(i.updated_at, u.updated_at) AS synced_at
  FROM src s
  LEFT JOIN inserted i ON i.telegram_id = s.telegram_id
  LEFT JOIN users u ON u.telegram_id = s.telegram_id
),
mapped AS (
  INSERT INTO legacy_users (source, legacy_id, user_id, legacy_row, fingerprint, legacy_roles, synced_at)
  SELECT $1::text, legacy_id, user_id, legacy_row, fingerprint, string_to_array(legacy_roles, ','), synced_at
  FROM resolved WHERE legacy_id IS NOT NULL
)
SELECT telegram_id, user_id, inserted FROM resolved`,
});

export interface UserRow {
  /** Null for a user made up for a master who had no users row. */
  legacyId: number | null;
  telegramId: number;
  name: string;
  username: string | null;
  createdAt: string;
  deletedAt: string | null;
  legacyRow: unknown;
  fingerprint: string | null;
  /** The legacy row's roles as it spelled them (SENIOR_MASTER included). */
  legacyRoles: string[];
}

export function insertUsers(db: Queryable, source: string, rows: UserRow[]) {
  return db.many(insertUsersQuery, {
    source,
    legacyIds: nullable(rows.map((r) => r.legacyId)),
    telegramIds: rows.map((r) => r.telegramId),
    names: rows.map((r) => r.name),
    usernames: nullable(rows.map((r) => r.username)),
    createdAt: rows.map((r) => r.createdAt),
    deletedAt: nullable(rows.map((r) => r.deletedAt)),
    legacyRows: rows.map((r) => JSON.stringify(r.legacyRow)),
    fingerprints: nullable(rows.map((r) => r.fingerprint)),
    legacyRoles: rows.map((r) => r.legacyRoles.join(',')),
  });
}

const grantRolesQuery = defineQuery({
  name: 'importer.grant_roles',
  params: { userIds: 'int8[]', roles: 'user_role[]' },
  columns: {},
  text: `
INSERT INTO user_roles (user_id, role)
SELECT * FROM unnest($1::int8[], $2::user_role[])
ON CONFLICT (user_id, role) DO NOTHING`,
});

export async function grantRoles(db: Queryable, grants: Array<{ userId: number; role: UserRole }>): Promise<void> {
  if (grants.length === 0) return;
  await db.run(grantRolesQuery, { userIds: grants.map((g) => g.userId), roles: grants.map((g) => g.role) });
}

const insertMastersQuery = defineQuery({
  name: 'importer.insert_masters',
  params: {
    source: 'text',
    legacyIds: 'int8[]',
    userIds: 'int8[]',
    phones: 'text[]',
    specializations: 'text[]',
    workChatIds: 'int8[]',
    active: 'bool[]',
    approved: 'bool[]',
    createdAt: 'timestamptz[]',
    deletedAt: 'timestamptz[]',
    legacyRows: 'jsonb[]',
    fingerprints: 'text[]',
  },
  columns: { legacy_id: 'int8', master_id: 'int8', user_id: 'int8', inserted: 'bool' },
  // A user who already is a master keeps that master row; the legacy one is linked to it.
  text: `
WITH src AS (
  SELECT * FROM unnest($2::int8[], $3::int8[], $4::text[], $5::text[], $6::int8[], $7::bool[], $8::bool[], $9::timestamptz[],
                       $10::timestamptz[], $11::jsonb[], $12::text[])
    AS s(legacy_id, user_id, phone, specialization, work_chat_id, is_active, is_approved, created_at, deleted_at, legacy_row, fingerprint)
),
inserted AS (
  INSERT INTO masters (user_id, phone, specialization, work_chat_id, is_active, is_approved, approved_at, created_at, updated_at, deleted_at)
  SELECT user_id, phone, specialization, work_chat_id, is_active, is_approved,
         CASE WHEN is_approved THEN created_at END, created_at, created_at, deleted_at
  FROM src
  ON CONFLICT (user_id) DO NOTHING
  RETURNING id, user_id, updated_at
),
resolved AS (
  SELECT s.*, COALESCE(i.id, m.id) AS master_id, i.id IS NOT NULL AS inserted, COALESCE(i.updated_at, m.updated_at) AS synced_at
  FROM src s
  LEFT JOIN inserted i ON i.user_id = s.user_id
  LEFT JOIN masters m ON m.user_id = s.user_id
),
mapped AS (
  INSERT INTO legacy_masters (source, legacy_id, master_id, legacy_row, fingerprint, synced_at)
  SELECT $1::text, legacy_id, master_id, legacy_row, fingerprint, synced_at FROM resolved
)
SELECT legacy_id, master_id, user_id, inserted FROM resolved`,
});

export interface MasterRow {
  legacyId: number;
  userId: number;
  phone: string;
  specialization: string;
  workChatId: number | null;
  active: boolean;
  approved: boolean;
  createdAt: string;
  deletedAt: string | null;
  legacyRow: unknown;
  fingerprint: string;
}

export function insertMasters(db: Queryable, source: string, rows: MasterRow[]) {
  return db.many(insertMastersQuery, {
    source,
    legacyIds: rows.map((r) => r.legacyId),
    userIds: rows.map((r) => r.userId),
    phones: rows.map((r) => r.phone),
    specializations: rows.map((r) => r.specialization),
    workChatIds: nullable(rows.map((r) => r.workChatId)),
    active: rows.map((r) => r.active),
    approved: rows.map((r) => r.approved),
    createdAt: rows.map((r) => r.createdAt),
    deletedAt: nullable(rows.map((r) => r.deletedAt)),
    legacyRows: rows.map((r) => JSON.stringify(r.legacyRow)),
    fingerprints: rows.map((r) => r.fingerprint),
  });
}

const insertPlaceholderMastersQuery = defineQuery({
  name: 'importer.insert_placeholder_masters',
  params: { source: 'text', legacyIds: 'int8[]', names: 'text[]' },
  columns: { legacy_id: 'int8', master_id: 'int8' },
  // Soft-deleted from the start: they only stand for who did the legacy work.
  text: `
WITH src AS MATERIALIZED (
  SELECT s.legacy_id, s.name,
         nextval((SELECT pg_get_serial_sequence('users', 'id'))::regclass) AS user_id,
         nextval((SELECT pg_get_serial_sequence('masters', 'id'))::regclass) AS master_id
  FROM unnest($2::int8[], $3::text[]) AS s(legacy_id, name)
),
new_users AS (
  INSERT INTO users (id, name, deleted_at) OVERRIDING SYSTEM VALUE
  SELECT user_id, name, now() FROM src
),
new_masters AS (
  INSERT INTO masters (id, user_id, phone, specialization, is_active, is_approved, deleted_at) OVERRIDING SYSTEM VALUE
  SELECT master_id, user_id, '00000', 'нет данных', false, false, now() FROM src
),
mapped AS (
  INSERT INTO legacy_masters (source, legacy_id, master_id, placeholder) SELECT $1::text, legacy_id, master_id, true FROM src
)
SELECT legacy_id, master_id FROM src`,
});

export function insertPlaceholderMasters(db: Queryable, source: string, rows: Array<{ legacyId: number; name: string }>) {
  return db.many(insertPlaceholderMastersQuery, { source, legacyIds: rows.map((r) => r.legacyId), names: rows.map((r) => r.name) });
}
