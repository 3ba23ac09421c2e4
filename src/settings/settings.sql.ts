import type { Queryable } from '../db/database.ts';
import { defineQuery } from '../db/query.ts';

const findSettingQuery = defineQuery({
  name: 'settings.find_setting',
  params: { key: 'text' },
  columns: { value: 'jsonb' },
  text: `SELECT value FROM app_settings WHERE key = $1::text`,
});

export async function findSetting(db: Queryable, key: string): Promise<unknown> {
  return (await db.maybeOne(findSettingQuery, { key }))?.value;
}

const saveSettingQuery = defineQuery({
  name: 'settings.save_setting',
  params: { key: 'text', value: 'jsonb', actorId: 'int8' },
  columns: { key: 'text' },
  text: `
WITH saved AS (
  INSERT INTO app_settings (key, value, updated_by) VALUES ($1::text, $2::jsonb, $3::int8)
  ON CONFLICT (key) DO UPDATE SET value = EXCLUDED.value, updated_by = EXCLUDED.updated_by, updated_at = now()
  RETURNING key
),
audit AS (
  INSERT INTO audit_log (actor_id, action, entity_type, entity_id, details)
  VALUES ($3::int8, 'setting.change', 'setting', NULL, jsonb_build_object('key', $1::text, 'value', $2::jsonb))
)
SELECT key FROM saved`,
});

/** Stores a setting and its audit row in one statement. */
export async function saveSetting(db: Queryable, key: string, value: unknown, actorId: number): Promise<void> {
  await db.one(saveSettingQuery, { key, value: JSON.stringify(value), actorId });
}
