import type { Queryable } from '../db/database.ts';
import type { UserRole } from '../db/enums.ts';
import { defineQuery } from '../db/query.ts';
import { nullable } from './arrays.ts';

/**
 * People a later snapshot of the same source changed: what the last import
 * left (fingerprint, the legacy row, the target's updated_at then) and the
 * conditional writes that bring the change over when the new system has not
 * touched the row since.
 */

const listImportedUsersQuery = defineQuery({
  name: 'importer.list_imported_users',
  params: { source: 'text', legacyIds: 'int8[]' },
  columns: {
    legacy_id: 'int8',
    user_id: 'int8',
    fingerprint: 'text?',
    legacy_row: 'jsonb?',
    legacy_roles: 'text[]',
    unchanged_since: 'bool',
  },
  text: `
SELECT l.legacy_id, l.user_id, l.fingerprint, l.legacy_row, l.legacy_roles, u.updated_at IS NOT DISTINCT FROM l.synced_at AS unchanged_since
FROM legacy_users l JOIN users u ON u.id = l.user_id
WHERE l.source = $1::text AND l.legacy_id = ANY ($2::int8[])`,
});

export async function listImportedUsers(db: Queryable, source: string, legacyIds: number[]) {
  return new Map((await db.many(listImportedUsersQuery, { source, legacyIds })).map((r) => [r.legacy_id, r]));
}

const updateUserQuery = defineQuery({
  name: 'importer.update_user',
  params: {
    source: 'text',
    legacyId: 'int8',
    userId: 'int8',
    name: 'text',
    username: 'text?',
    deletedAt: 'timestamptz?',
    legacyRow: 'jsonb',
    fingerprint: 'text',
    legacyRoles: 'text[]',
    grant: 'user_role[]',
    revoke: 'user_role[]',
  },
  columns: { user_id: 'int8' },
  // The roles the legacy side added or removed since the last import, nothing else:
  // roles given in the new system stay.
  text: `
WITH updated AS (
  UPDATE users SET name = $4::text, username = $5::text, deleted_at = $6::timestamptz, updated_at = now()
  WHERE id = $3::int8
  RETURNING id, updated_at
),
revoked AS (
  DELETE FROM user_roles WHERE user_id = $3::int8 AND role = ANY ($11::user_role[])
),
granted AS (
  INSERT INTO user_roles (user_id, role) SELECT $3::int8, r FROM unnest($10::user_role[]) AS r
  ON CONFLICT (user_id, role) DO NOTHING
),
mapped AS (
  UPDATE legacy_users l SET legacy_row = $7::jsonb, fingerprint = $8::text, legacy_roles = $9::text[], synced_at = u.updated_at
  FROM updated u WHERE l.source = $1::text AND l.legacy_id = $2::int8
)
SELECT id AS user_id FROM updated`,
});

export interface UserUpdate {
  legacyId: number;
  userId: number;
  name: string;
  username: string | null;
  deletedAt: string | null;
  legacyRow: unknown;
  fingerprint: string;
  legacyRoles: string[];
  grant: UserRole[];
  revoke: UserRole[];
}

export async function updateUser(db: Queryable, source: string, u: UserUpdate): Promise<void> {
  await db.one(updateUserQuery, {
    source,
    legacyId: u.legacyId,
    userId: u.userId,
    name: u.name,
    username: u.username,
    deletedAt: u.deletedAt,
    legacyRow: JSON.stringify(u.legacyRow),
    fingerprint: u.fingerprint,
    legacyRoles: u.legacyRoles,
    grant: u.grant,
    revoke: u.revoke,
  });
}

const listImportedMastersQuery = defineQuery({
  name: 'importer.list_imported_masters',
  params: { source: 'text', legacyIds: 'int8[]' },
  columns: { legacy_id: 'int8', master_id: 'int8', fingerprint: 'text?', legacy_row: 'jsonb?', unchanged_since: 'bool' },
  text: `
SELECT l.legacy_id, l.master_id, l.fingerprint, l.legacy_row, m.updated_at IS NOT DISTINCT FROM l.synced_at AS unchanged_since
FROM legacy_masters l JOIN masters m ON m.id = l.master_id
WHERE l.source = $1::text AND l.legacy_id = ANY ($2::int8[]) AND NOT l.placeholder`,
});

export async function listImportedMasters(db: Queryable, source: string, legacyIds: number[]) {
  return new Map((await db.many(listImportedMastersQuery, { source, legacyIds })).map((r) => [r.legacy_id, r]));
}

const updateMastersQuery = defineQuery({
  name: 'importer.update_masters',
  params: {
    source: 'text',
    legacyIds: 'int8[]',
    masterIds: 'int8[]',
    phones: 'text[]',
    specializations: 'text[]',
    workChatIds: 'int8[]',
    active: 'bool[]',
    approved: 'bool[]',
    deletedAt: 'timestamptz[]',
    legacyRows: 'jsonb[]',
    fingerprints: 'text[]',
  },
  columns: { legacy_id: 'int8' },
  text: `
WITH src AS (
  SELECT * FROM unnest($2::int8[], $3::int8[], $4::text[], $5::text[], $6::int8[], $7::bool[], $8::bool[], $9::timestamptz[],
                       $10::jsonb[], $11::text[])
    AS s(legacy_id, master_id, phone, specialization, work_chat_id, is_active, is_approved, deleted_at, legacy_row, fingerprint)
),
updated AS (
  UPDATE masters m SET phone = s.phone, specialization = s.specialization, work_chat_id = s.work_chat_id,
         is_active = s.is_active, is_approved = s.is_approved,
         approved_at = CASE WHEN NOT s.is_approved THEN NULL ELSE COALESCE(m.approved_at, now()) END,
         deleted_at = s.deleted_at, updated_at = now()
  FROM src s WHERE m.id = s.master_id
  RETURNING s.legacy_id, m.updated_at
),
mapped AS (
  UPDATE legacy_masters l SET legacy_row = s.legacy_row, fingerprint = s.fingerprint, synced_at = u.updated_at
  FROM updated u JOIN src s ON s.legacy_id = u.legacy_id
  WHERE l.source = $1::text AND l.legacy_id = u.legacy_id
)
SELECT legacy_id FROM updated`,
});

export interface MasterUpdate {
  legacyId: number;
  masterId: number;
  phone: string;
  specialization: string;
  workChatId: number | null;
  active: boolean;
  approved: boolean;
  deletedAt: string | null;
  legacyRow: unknown;
  fingerprint: string;
}

export async function updateMasters(db: Queryable, source: string, rows: MasterUpdate[]): Promise<void> {
  if (rows.length === 0) return;
  await db.many(updateMastersQuery, {
    source,
    legacyIds: rows.map((r) => r.legacyId),
    masterIds: rows.map((r) => r.masterId),
    phones: rows.map((r) => r.phone),
    specializations: rows.map((r) => r.specialization),
    workChatIds: nullable(rows.map((r) => r.workChatId)),
    active: rows.map((r) => r.active),
    approved: rows.map((r) => r.approved),
    deletedAt: nullable(rows.map((r) => r.deletedAt)),
    legacyRows: rows.map((r) => JSON.stringify(r.legacyRow)),
    fingerprints: rows.map((r) => r.fingerprint),
  });
}
