import type { Queryable } from '../db/database.ts';
import { defineQuery } from '../db/query.ts';

const findSettingQuery = defineQuery({
  name: 'settings.find_setting',
  params: { key: 'text' },
  columns: { value: 'jsonb', updated_at: 'timestamptz', updated_by: 'int8?' },
  text: `SELECT value, updated_at, updated_by FROM app_settings WHERE key = $1::text`,
});

export function findSetting(db: Queryable, key: string) {
  return db.maybeOne(findSettingQuery, { key });
}

// The audit row rides on the same statement, so a setting never changes without its trail.
const upsertSettingQuery = defineQuery({
  name: 'settings.upsert_setting',
  params: { key: 'text', value: 'jsonb', actorId: 'int8?' },
  columns: { key: 'text' },
  text: `
WITH old AS (SELECT value FROM app_settings WHERE key = $1::text),
saved AS (
  INSERT INTO app_settings (key, value, updated_at, updated_by) VALUES ($1::text, $2::jsonb, now(), $3::int8)
  ON CONFLICT (key) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at, updated_by = excluded.updated_by
  RETURNING key
),
audited AS (
  INSERT INTO audit_log (actor_id, action, entity_type, entity_id, details)
  SELECT $3::int8, 'setting.set', 'setting', NULL, jsonb_build_object('key', $1::text, 'from', (SELECT value FROM old), 'to', $2::jsonb)
  FROM saved
)
SELECT key FROM saved`,
});

export async function upsertSetting(db: Queryable, key: string, value: unknown, actorId: number | null): Promise<void> {
  await db.one(upsertSettingQuery, { key, value: JSON.stringify(value), actorId });
}

const deleteSettingQuery = defineQuery({
  name: 'settings.delete_setting',
  params: { key: 'text', actorId: 'int8?' },
  columns: {},
  text: `
WITH removed AS (DELETE FROM app_settings WHERE key = $1::text RETURNING value)
INSERT INTO audit_log (actor_id, action, entity_type, entity_id, details)
SELECT $2::int8, 'setting.clear', 'setting', NULL, jsonb_build_object('key', $1::text, 'from', value)
FROM removed`,
});

/** Clears a setting (back to its default); audited when there was one. */
export async function deleteSetting(db: Queryable, key: string, actorId: number | null): Promise<void> {
  await db.run(deleteSettingQuery, { key, actorId });
}
