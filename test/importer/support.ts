import type { Database } from '../../src/db/database.ts';
import { LegacyFile } from '../../src/importer/legacy-file.ts';
import type { ImportSummary } from '../../src/importer/report.ts';
import { importLegacyFile } from '../../src/importer/run-import.ts';
import { writeLegacyFile, type LegacyData } from './legacy-fixture.ts';
import type { LegacySchema } from './legacy-schemas.ts';

/** Every table the import may write, including the legacy id maps. */
const TARGET_TABLES = [
  'users',
  'user_roles',
  'masters',
  'equipment_types',
  'orders',
  'order_status_history',
  'audit_log',
  'legacy_users',
  'legacy_masters',
  'legacy_orders',
  'legacy_order_status_history',
  'legacy_audit_log',
  'legacy_sources',
] as const;

/** Test-only SQL: raw reads to check what the importer wrote. */
export async function rows<T = Record<string, unknown>>(db: Database, sql: string, params: unknown[] = []): Promise<T[]> {
  return (await db.pool.query(sql, params)).rows as T[];
}

/** A fingerprint of every row of every target table: equal fingerprints, equal databases. */
export async function snapshot(db: Database): Promise<Record<string, { count: number; md5: string | null }>> {
  const result: Record<string, { count: number; md5: string | null }> = {};
  for (const table of TARGET_TABLES) {
    // The table names are this file's constants.
    const [r] = await rows<{ count: number; md5: string | null }>(
      db,
      `SELECT count(*)::int AS count, md5(string_agg(t::text, '|' ORDER BY t::text)) AS md5 FROM ${table} t`,
    );
    result[table] = r!;
  }
  return result;
}

export async function importData(
  db: Database,
  data: LegacyData | string,
  opts: { dryRun?: boolean; source?: string; schema?: LegacySchema; bulk?: boolean } = {},
): Promise<ImportSummary> {
  const legacy = LegacyFile.open(typeof data === 'string' ? data : writeLegacyFile(data, undefined, opts.schema));
  try {
    return await importLegacyFile(db, legacy, { dryRun: opts.dryRun ?? false, source: opts.source, bulk: opts.bulk });
  } finally {
    legacy.close();
  }
}

/** orders.id of a legacy order. */
export async function orderIdOf(db: Database, legacyId: number, source = 'bot'): Promise<number> {
  const [r] = await rows<{ order_id: number }>(db, 'SELECT order_id FROM legacy_orders WHERE legacy_id = $1 AND source = $2', [legacyId, source]);
  if (!r) throw new Error(`legacy order ${legacyId} was not imported`);
  return r.order_id;
}

/**
 * Test-only: the database refuses the quirks file's last audit row (legacy id 203), so an import fails halfway,
 * after orders and history went in.
 */
export async function refuseAuditRow(db: Database): Promise<void> {
  await db.pool.query(`
    CREATE OR REPLACE FUNCTION fail_import() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      IF NEW.details->>'legacy_id' = '203' THEN RAISE EXCEPTION 'refused by test'; END IF;
      RETURN NEW;
    END $$`);
  await db.pool.query('CREATE TRIGGER fail_import BEFORE INSERT ON audit_log FOR EACH ROW EXECUTE FUNCTION fail_import()');
}
