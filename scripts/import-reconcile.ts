/**
 * The import's reconciliation, table by table: rows in the legacy file
 * (source), rows that came into the database from it (imported: the legacy
 * id maps of that source), and what the report says (imported + already +
 * updated + conflicts + skipped = read). Runs the latest-schema test file and
 * two cities' files against a throwaway embedded PostgreSQL:
 *   npm run import:reconcile
 */
import { chmod, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import pg from 'pg';
import { startEmbeddedPostgres } from '../src/db/embedded.ts';
import { registerEnumArrayTypes } from '../src/db/enum-arrays.ts';
import { migrate } from '../src/db/migrate.ts';
import { createDatabase } from '../src/db/pool.ts';
import { LegacyFile } from '../src/importer/legacy-file.ts';
import { IMPORTED_TABLES, type ImportSummary } from '../src/importer/report.ts';
import { importLegacyFile } from '../src/importer/run-import.ts';
import { LATEST } from '../test/importer/latest-data.ts';
import { QUIRKS } from '../test/importer/quirks-data.ts';
import { order, tempPath, writeLegacyFile, type LegacyData } from '../test/importer/legacy-fixture.ts';
import { freePort } from './lib/free-port.ts';

/** Rows of a source in each mapping table, as constant statements (placeholder masters stand for masters the file no longer has). */
const COUNT_IN_DB: Record<string, string> = {
  users: 'SELECT count(*)::int AS n FROM legacy_users WHERE source = $1',
  masters: 'SELECT count(*)::int AS n FROM legacy_masters WHERE source = $1 AND NOT placeholder',
  orders: 'SELECT count(*)::int AS n FROM legacy_orders WHERE source = $1',
  order_status_history: 'SELECT count(*)::int AS n FROM legacy_order_status_history WHERE source = $1',
  audit_log: 'SELECT count(*)::int AS n FROM legacy_audit_log WHERE source = $1',
};

/** A city's file whose ids (users 1, orders 10.., history 100.., audit 200) overlap the quirks file's. */
function city(name: string, base: number, orders: number): LegacyData {
  return {
    users: [{ id: 1, telegram_id: base + 1, first_name: name, role: 'DISPATCHER', created_at: '2025-01-01 09:00:00' }],
    orders: Array.from({ length: orders }, (_, i) => order(10 + i, { dispatcher_id: base + 1 })),
    order_status_history: Array.from({ length: orders }, (_, i) => ({ id: 100 + i, order_id: 10 + i, new_status: 'NEW', changed_at: '2025-01-10 09:00:00' })),
    audit_log: [{ id: 200, user_id: base + 1, action: 'create_order', details: '{"order_id": 10}', timestamp: '2025-01-10 09:00:00' }],
  };
}

const dir = await mkdtemp(path.join(tmpdir(), 'import-reconcile-'));
await chmod(dir, 0o777);
const server = await startEmbeddedPostgres({ dir: path.join(dir, 'pg'), port: await freePort() });
try {
  const admin = new pg.Client({ connectionString: server.url('postgres') });
  await admin.connect();
  await admin.query('CREATE DATABASE reconcile');
  await admin.end();
  const url = server.url('reconcile');
  await migrate(url);
  const logger = { warn() {}, error() {}, info() {}, debug() {} };
  const db = createDatabase(url, { min: 0, max: 2, statementTimeoutMs: 600_000, idleTimeoutMs: 10_000 }, logger);
  await registerEnumArrayTypes(db);
  // Two cities with overlapping ids: Moscow's audited file with every quirk, then Saint Petersburg's.
  const runs: Array<[string, string, string]> = [
    ['latest-schema file', 'latest', writeLegacyFile(LATEST, tempPath('latest.db'), 'latest')],
    ['two cities: msk (audited schema, every quirk)', 'msk', writeLegacyFile(QUIRKS, tempPath('msk.db'))],
    ['two cities: spb (ids overlapping msk)', 'spb', writeLegacyFile(city('spb', 6000, 30), tempPath('spb.db'))],
  ];
  for (const [title, source, file] of runs) {
    const legacy = LegacyFile.open(file);
    let summary: ImportSummary;
    try {
      summary = await importLegacyFile(db, legacy, { dryRun: false, source });
    } finally {
      legacy.close();
    }
    const sqlite = new DatabaseSync(file, { readOnly: true });
    process.stdout.write(
      `\n${title} (source ${source})\n| table | source rows | imported (in the database) | reported: imported / of them deleted / already / updated / conflicts / skipped |\n|---|---|---|---|\n`,
    );
    for (const table of IMPORTED_TABLES) {
      // Constant table names (this script's own).
      const inFile = Number((sqlite.prepare(`SELECT count(*) AS n FROM ${table}`).get() as { n: number }).n);
      const inDb = (await db.pool.query<{ n: number }>(COUNT_IN_DB[table]!, [source])).rows[0]!.n;
      const r = summary.tables[table];
      process.stdout.write(
        `| ${table} | ${inFile} | ${inDb} | ${r.imported} / ${r.deleted} / ${r.already_imported} / ${r.updated} / ${r.conflicts} / ${r.skipped} |\n`,
      );
    }
    const rates = legacy.otherTables.find((t) => t.table === 'specialization_rates')?.rows;
    if (rates !== undefined) {
      const by = (result: string) => summary.commission_rules.filter((r) => r.result === result).length;
      process.stdout.write(
        `| specialization_rates | ${rates} | ${by('created')} rule version(s) created | ${summary.commission_rules.length} outcome(s): ${by('created')} created / ${by('already')} already in force / ${by('conflict')} conflicts / ${by('skipped')} skipped |\n`,
      );
    }
    sqlite.close();
    for (const t of summary.not_imported) process.stdout.write(`  not imported: ${t.table} (${t.kind}, ${t.rows} rows)\n`);
  }
  await db.close();
} finally {
  await server.stop();
  await rm(dir, { recursive: true, force: true });
}
