import type { Queryable } from '../db/database.ts';
import { defineQuery } from '../db/query.ts';
import { MASTER_VIEW_COLUMNS, MASTER_VIEW_SELECT, type MasterView } from './master-view.ts';

const insertMasterQuery = defineQuery({
  name: 'masters.insert_master',
  params: { userId: 'int8', phone: 'text', specialization: 'text', workChatId: 'int8?', actorId: 'int8?' },
  columns: MASTER_VIEW_COLUMNS,
  text: `
WITH created AS (
  INSERT INTO masters (user_id, phone, specialization, work_chat_id)
  VALUES ($1::int8, $2::text, $3::text, $4::int8)
  RETURNING *
),
audit AS (
  INSERT INTO audit_log (actor_id, action, entity_type, entity_id, details)
  SELECT $5::int8, 'master.create', 'master', id,
         jsonb_build_object('user_id', user_id, 'specialization', specialization)
  FROM created
)
SELECT ${MASTER_VIEW_SELECT} FROM created m JOIN users u ON u.id = m.user_id`,
});

export function insertMaster(
  db: Queryable,
  m: { userId: number; phone: string; specialization: string; workChatId: number | null },
  actorId: number | null,
): Promise<MasterView> {
  return db.one(insertMasterQuery, { ...m, actorId });
}

const findMasterQuery = defineQuery({
  name: 'masters.find_master',
  params: { id: 'int8' },
  columns: MASTER_VIEW_COLUMNS,
  text: `
SELECT ${MASTER_VIEW_SELECT} FROM masters m JOIN users u ON u.id = m.user_id
WHERE m.id = $1::int8 AND m.deleted_at IS NULL`,
});

export function findMaster(db: Queryable, id: number): Promise<MasterView | null> {
  return db.maybeOne(findMasterQuery, { id });
}

const listMastersQuery = defineQuery({
  name: 'masters.list_masters',
  params: { onlyAssignable: 'bool', afterId: 'int8', limit: 'int4' },
  columns: MASTER_VIEW_COLUMNS,
  text: `
SELECT ${MASTER_VIEW_SELECT} FROM masters m JOIN users u ON u.id = m.user_id
WHERE m.deleted_at IS NULL AND m.id > $2::int8
  AND (NOT $1::bool OR (m.is_active AND m.is_approved))
ORDER BY m.id
LIMIT $3::int4`,
});

/** Masters by id, keyset-paged; onlyAssignable keeps approved and active ones. */
export function listMasters(db: Queryable, onlyAssignable: boolean, afterId: number, limit: number): Promise<MasterView[]> {
  return db.many(listMastersQuery, { onlyAssignable, afterId, limit });
}

const setMasterFlagsQuery = defineQuery({
  name: 'masters.set_master_flags',
  params: { id: 'int8', approve: 'bool?', active: 'bool?', actorId: 'int8?', action: 'text' },
  columns: { ...MASTER_VIEW_COLUMNS, was_approved: 'bool', was_active: 'bool' },
  text: `
WITH changed AS (
  UPDATE masters m SET
    is_approved = COALESCE($2::bool, m.is_approved),
    approved_at = CASE WHEN $2::bool IS NULL THEN m.approved_at
                       WHEN $2::bool THEN COALESCE(m.approved_at, now()) ELSE NULL END,
    approved_by = CASE WHEN $2::bool IS TRUE AND NOT m.is_approved THEN $4::int8 ELSE m.approved_by END,
    is_active = COALESCE($3::bool, m.is_active),
    updated_at = now()
  WHERE m.id = $1::int8 AND m.deleted_at IS NULL
  RETURNING new.*, old.is_approved AS was_approved, old.is_active AS was_active
),
audit AS (
  INSERT INTO audit_log (actor_id, action, entity_type, entity_id, details)
  SELECT $4::int8, $5::text, 'master', id,
         jsonb_build_object('is_approved', is_approved, 'was_approved', was_approved,
                            'is_active', is_active, 'was_active', was_active)
  FROM changed
)
SELECT ${MASTER_VIEW_SELECT}, m.was_approved, m.was_active FROM changed m JOIN users u ON u.id = m.user_id`,
});

/** Approves and/or (de)activates a master, with the flags before (whether anything changed); null when there is no such master. */
export async function setMasterFlags(
  db: Queryable,
  id: number,
  flags: { approve?: boolean; active?: boolean },
  actorId: number | null,
  action: 'master.approve' | 'master.activate' | 'master.deactivate',
): Promise<{ master: MasterView; was: { approved: boolean; active: boolean } } | null> {
  const row = await db.maybeOne(setMasterFlagsQuery, { id, approve: flags.approve ?? null, active: flags.active ?? null, actorId, action });
  if (!row) return null;
  const { was_approved, was_active, ...master } = row;
  return { master, was: { approved: was_approved, active: was_active } };
}

const setMasterWorkChatQuery = defineQuery({
  name: 'masters.set_master_work_chat',
  params: { id: 'int8', chatId: 'int8?', actorId: 'int8?' },
  columns: MASTER_VIEW_COLUMNS,
  text: `
WITH changed AS (
  UPDATE masters m SET work_chat_id = $2::int8, updated_at = now()
  WHERE m.id = $1::int8 AND m.deleted_at IS NULL
  RETURNING new.*, old.work_chat_id AS was_chat_id
),
audit AS (
  INSERT INTO audit_log (actor_id, action, entity_type, entity_id, details)
  SELECT $3::int8, 'master.work_chat', 'master', id,
         jsonb_build_object('work_chat_id', work_chat_id, 'was_work_chat_id', was_chat_id)
  FROM changed
)
SELECT ${MASTER_VIEW_SELECT} FROM changed m JOIN users u ON u.id = m.user_id`,
});

/** Links a master to a work group chat (null unlinks); null when there is no such master. */
export function setMasterWorkChat(db: Queryable, id: number, chatId: number | null, actorId: number | null): Promise<MasterView | null> {
  return db.maybeOne(setMasterWorkChatQuery, { id, chatId, actorId });
}

const moveMastersWorkChatQuery = defineQuery({
  name: 'masters.move_masters_work_chat',
  params: { fromChatId: 'int8', toChatId: 'int8?', actorId: 'int8?' },
  columns: MASTER_VIEW_COLUMNS,
  text: `
WITH changed AS (
  UPDATE masters m SET work_chat_id = $2::int8, updated_at = now()
  WHERE m.work_chat_id = $1::int8 AND m.deleted_at IS NULL
  RETURNING new.*
),
audit AS (
  INSERT INTO audit_log (actor_id, action, entity_type, entity_id, details)
  SELECT $3::int8, 'master.work_chat', 'master', id,
         jsonb_build_object('work_chat_id', work_chat_id, 'was_work_chat_id', $1::int8)
  FROM changed
)
SELECT ${MASTER_VIEW_SELECT} FROM changed m JOIN users u ON u.id = m.user_id`,
});

/** Every master whose work group was `fromChatId` now has `toChatId` (null: none); returns them. */
export function moveMastersWorkChat(db: Queryable, fromChatId: number, toChatId: number | null, actorId: number | null): Promise<MasterView[]> {
  return db.many(moveMastersWorkChatQuery, { fromChatId, toChatId, actorId });
}

const listMastersInChatQuery = defineQuery({
  name: 'masters.list_masters_in_chat',
  params: { chatId: 'int8' },
  columns: MASTER_VIEW_COLUMNS,
  text: `
SELECT ${MASTER_VIEW_SELECT} FROM masters m JOIN users u ON u.id = m.user_id
WHERE m.work_chat_id = $1::int8 AND m.deleted_at IS NULL
ORDER BY m.id`,
});

/** The masters who work in a group chat. */
export function listMastersInChat(db: Queryable, chatId: number): Promise<MasterView[]> {
  return db.many(listMastersInChatQuery, { chatId });
}

const updateMasterDetailsQuery = defineQuery({
  name: 'masters.update_master_details',
  params: { id: 'int8', name: 'text?', phone: 'text?', specialization: 'text?', actorId: 'int8?' },
  columns: MASTER_VIEW_COLUMNS,
  text: `
WITH changed AS (
  UPDATE masters m SET
    phone = COALESCE($3::text, m.phone),
    specialization = COALESCE($4::text, m.specialization),
    updated_at = now()
  WHERE m.id = $1::int8 AND m.deleted_at IS NULL
  RETURNING new.*, old.phone AS was_phone, old.specialization AS was_specialization
),
renamed AS (
  UPDATE users u SET name = COALESCE($2::text, u.name), updated_at = now()
  FROM changed c WHERE u.id = c.user_id
  RETURNING u.id, u.telegram_id, u.name, old.name AS was_name
),
audit AS (
  INSERT INTO audit_log (actor_id, action, entity_type, entity_id, details)
  SELECT $5::int8, 'master.update', 'master', c.id,
         jsonb_strip_nulls(jsonb_build_object(
           'name', CASE WHEN r.name IS DISTINCT FROM r.was_name THEN r.name END,
           'phone', CASE WHEN c.phone IS DISTINCT FROM c.was_phone THEN c.phone END,
           'specialization', CASE WHEN c.specialization IS DISTINCT FROM c.was_specialization THEN c.specialization END))
  FROM changed c JOIN renamed r ON r.id = c.user_id
)
SELECT m.id, m.user_id, r.telegram_id, r.name, m.phone, m.specialization, m.work_chat_id,
       m.is_active, m.is_approved, m.approved_at, m.created_at, m.updated_at,
       EXISTS (SELECT 1 FROM user_roles sr WHERE sr.user_id = m.user_id AND sr.role = 'SENIOR_MASTER') AS senior
FROM changed m JOIN renamed r ON r.id = m.user_id`,
});

/** Changes a master's name, phone and/or specialization (null keeps one); null when there is no such master. */
export function updateMasterDetails(
  db: Queryable,
  id: number,
  changes: { name: string | null; phone: string | null; specialization: string | null },
  actorId: number | null,
): Promise<MasterView | null> {
  return db.maybeOne(updateMasterDetailsQuery, { id, ...changes, actorId });
}
