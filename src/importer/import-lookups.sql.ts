import type { Queryable } from '../db/database.ts';
import { defineQuery } from '../db/query.ts';

/**
 * What the import reads from the target database: its lock, what earlier
 * runs already brought in, and the rows legacy references resolve to.
 */

const lockImportQuery = defineQuery({
  name: 'importer.lock_import',
  params: {},
  columns: { locked: 'bool' },
  text: `SELECT pg_try_advisory_xact_lock(hashtextextended('repair-bot.import-sqlite', 0)) AS locked`,
});

/** One import at a time; false when another one holds the lock. */
export async function lockImport(db: Queryable): Promise<boolean> {
  return (await db.one(lockImportQuery, {})).locked;
}

const relaxStatementTimeoutQuery = defineQuery({
  name: 'importer.relax_statement_timeout',
  params: {},
  columns: { statement_timeout: 'text' },
  // A batch of thousands of rows may outlast the service's per-statement budget; this transaction only.
  text: `SELECT set_config('statement_timeout', '600s', true) AS statement_timeout`,
});

export async function relaxStatementTimeout(db: Queryable): Promise<void> {
  await db.one(relaxStatementTimeoutQuery, {});
}

export type LegacyEntity = 'user' | 'master' | 'order' | 'order_status_history' | 'audit_log';

const listImportedIdsQuery = defineQuery({
  name: 'importer.list_imported_ids',
  params: { source: 'text', entity: 'text', legacyIds: 'int8[]' },
  columns: { legacy_id: 'int8', target_id: 'int8' },
  text: `
SELECT legacy_id, target_id FROM (
  SELECT 'user' AS entity, source, legacy_id, user_id AS target_id FROM legacy_users
  UNION ALL SELECT 'master', source, legacy_id, master_id FROM legacy_masters
  UNION ALL SELECT 'order', source, legacy_id, order_id FROM legacy_orders
  UNION ALL SELECT 'order_status_history', source, legacy_id, history_id FROM legacy_order_status_history
  UNION ALL SELECT 'audit_log', source, legacy_id, audit_id FROM legacy_audit_log
) imported
WHERE source = $1::text AND entity = $2::text AND legacy_id = ANY ($3::int8[])`,
});

/** legacy id -> target id of those among `legacyIds` an earlier run (or this one) imported from this source. */
export async function listImportedIds(db: Queryable, source: string, entity: LegacyEntity, legacyIds: number[]): Promise<Map<number, number>> {
  const rows = await db.many(listImportedIdsQuery, { source, entity, legacyIds });
  return new Map(rows.map((r) => [r.legacy_id, r.target_id]));
}

const upsertSourceQuery = defineQuery({
  name: 'importer.upsert_source',
  params: { name: 'text', file: 'text' },
  columns: { first_import: 'bool' },
  text: `
WITH existing AS (SELECT name FROM legacy_sources WHERE name = $1::text),
inserted AS (
  INSERT INTO legacy_sources (name, file) SELECT $1::text, $2::text WHERE NOT EXISTS (SELECT 1 FROM existing)
)
SELECT NOT EXISTS (SELECT 1 FROM existing) AS first_import`,
});

const touchSourceQuery = defineQuery({
  name: 'importer.touch_source',
  params: { name: 'text', file: 'text' },
  columns: {},
  text: `UPDATE legacy_sources SET file = $2::text, last_imported_at = now() WHERE name = $1::text`,
});

/** A run that changed something: the source's last import and its file. A run that changed nothing leaves no trace. */
export async function touchSource(db: Queryable, name: string, file: string): Promise<void> {
  await db.run(touchSourceQuery, { name, file });
}

/** Registers the source (or notes its new file); true on its first import. */
export async function upsertSource(db: Queryable, name: string, file: string): Promise<boolean> {
  return (await db.one(upsertSourceQuery, { name, file })).first_import;
}

const isolateSequencesQuery = defineQuery({
  name: 'importer.isolate_sequences',
  params: {},
  columns: {},
  // Sequences ignore rollbacks; altered in this transaction, they get storage of
  // its own, so a dry run's nextval() calls vanish with it. Constant text: the
  // sequence names come from the catalog. Creating rows meanwhile waits for it.
  text: `
DO $$
DECLARE t text;
BEGIN
  FOREACH t IN ARRAY ARRAY['users', 'masters', 'orders', 'order_status_history', 'audit_log'] LOOP
    EXECUTE format('ALTER SEQUENCE %s NO CYCLE', pg_get_serial_sequence(t, 'id'));
  END LOOP;
END $$`,
});

/** For a dry run: the sequences' advances roll back with the transaction. */
export async function isolateSequences(db: Queryable): Promise<void> {
  await db.run(isolateSequencesQuery, {});
}

const listUsersByTelegramIdQuery = defineQuery({
  name: 'importer.list_users_by_telegram_id',
  params: { telegramIds: 'int8[]' },
  columns: { id: 'int8', telegram_id: 'int8?' },
  text: `SELECT id, telegram_id FROM users WHERE telegram_id = ANY ($1::int8[])`,
});

/** Telegram id -> users.id, for the ids that have a user (deleted ones too: history still names them). */
export async function listUsersByTelegramId(db: Queryable, telegramIds: number[]): Promise<Map<number, number>> {
  const rows = await db.many(listUsersByTelegramIdQuery, { telegramIds });
  return new Map(rows.map((r) => [r.telegram_id!, r.id]));
}

const insertEquipmentTypesQuery = defineQuery({
  name: 'importer.insert_equipment_types',
  params: { codes: 'text[]', names: 'text[]', namesEn: 'text[]', labels: 'text[]', active: 'bool[]' },
  columns: { code: 'text' },
  // Inactive for labels nobody knows: kept for the legacy orders that use them, never offered for new ones.
  // Active for the latest bot's kinds, which the business goes on taking orders for.
  text: `
INSERT INTO equipment_types (code, name_ru, name_en, legacy_label, sort_order, is_active)
SELECT code, name, name_en, label, CASE WHEN active THEN 900 ELSE 1000 END, active
FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::bool[]) AS t(code, name, name_en, label, active)
ON CONFLICT DO NOTHING
RETURNING code`,
});

export async function insertEquipmentTypes(
  db: Queryable,
  types: Array<{ code: string; name: string; nameEn: string; label: string; active: boolean }>,
): Promise<string[]> {
  if (types.length === 0) return [];
  const rows = await db.many(insertEquipmentTypesQuery, {
    codes: types.map((t) => t.code),
    names: types.map((t) => t.name),
    namesEn: types.map((t) => t.nameEn),
    labels: types.map((t) => t.label),
    active: types.map((t) => t.active),
  });
  return rows.map((r) => r.code);
}

const listPlaceholderMastersQuery = defineQuery({
  name: 'importer.list_placeholder_masters',
  params: { source: 'text' },
  columns: { legacy_id: 'int8', master_id: 'int8' },
  text: `SELECT legacy_id, master_id FROM legacy_masters WHERE source = $1::text AND placeholder`,
});

/** Legacy master id -> placeholder master, from earlier runs of this source. */
export async function listPlaceholderMasters(db: Queryable, source: string): Promise<Map<number, number>> {
  const rows = await db.many(listPlaceholderMastersQuery, { source });
  return new Map(rows.map((r) => [r.legacy_id, r.master_id]));
}
