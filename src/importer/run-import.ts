import path from 'node:path';
import type { Database } from '../db/database.ts';
import { DEFAULT_COMMISSION, type CommissionRules } from '../orders/money.ts';
import { isolateSequences, lockImport, relaxStatementTimeout, touchSource, upsertSource } from './import-lookups.sql.ts';
import type { ImportState } from './import-state.ts';
import { insertAuditEntries } from './import-trail.sql.ts';
import type { LegacyFile } from './legacy-file.ts';
import { legacyJson } from './legacy-row.ts';
import { IdMap } from './id-map.ts';
import { importOrders } from './orders-step.ts';
import { importPeople } from './people-step.ts';
import { IMPORTED_TABLES, ImportReport, type ImportSummary } from './report.ts';
import { importRates } from './rates-step.ts';
import { catchUpStatuses } from './trail-step.ts';
import { importTrailsAndArrivals, markHistoryBeforeImport } from './arrivals-step.ts';
import { finishBulkLoad, shouldBulkLoad, startBulkLoad } from './bulk-load.ts';

export interface ImportOptions {
  dryRun: boolean;
  /** The source legacy ids belong to (one per bot, e.g. a city); default: the file's name. */
  source?: string;
  /** The product's commission rules, for shares the legacy row lacks. */
  rules?: CommissionRules;
  /** The file's name in the report and the audit entry. */
  label?: string;
  /** The bulk path (bulk-load.ts): true or false forces it on or off; left out, the import decides. */
  bulk?: boolean;
  /** Told as rows of each table are read (the CLI draws a progress bar on a terminal). */
  onProgress?: (table: string, done: number, total: number) => void;
}

const SOURCE_FORMAT = /^[a-z0-9][a-z0-9_-]{0,31}$/;

export class ImportSourceError extends Error {
  constructor(source: string) {
    super(`--source ${JSON.stringify(source)}: use 1 to 32 lowercase Latin letters, digits, '_' or '-' (e.g. msk)`);
    this.name = 'ImportSourceError';
  }
}

/** The default source: the file's name without its extension ('msk.db' -> 'msk'), in the allowed form. */
export function sourceFromFile(file: string): string {
  const stem = path
    .basename(file)
    .replace(/\.(db|sqlite3?|sqlite)$/i, '')
    .toLowerCase()
    .replace(/[^a-z0-9_-]+/g, '_')
    .replace(/^[_-]+/, '')
    .slice(0, 32);
  return SOURCE_FORMAT.test(stem) ? stem : 'legacy';
}

export function checkSource(source: string): string {
  if (!SOURCE_FORMAT.test(source)) throw new ImportSourceError(source);
  return source;
}

class ImportBusyError extends Error {
  constructor() {
    super('another import-sqlite is running on this database; run this one again when it has finished');
    this.name = 'ImportBusyError';
  }
}

/** Thrown to roll a dry run back once its report is complete. */
class DryRunRollback extends Error {
  readonly summary: ImportSummary;
  constructor(summary: ImportSummary) {
    super('dry run: rolled back');
    this.summary = summary;
  }
}

/** Lines for what the file has that the product cannot hold yet, and the columns it lacks. */
function describeFile(legacy: LegacyFile, report: ImportReport): void {
  // specialization_rates are imported (as commission rules): the report lists each row's outcome instead.
  report.summary.not_imported = legacy.otherTables.filter((t) => t.table !== 'specialization_rates');
  for (const [table, columns] of Object.entries(legacy.missingColumns)) {
    report.note(`${table}: the file has no ${columns.join(', ')} (an earlier version of the bot): defaults used`);
  }
}

/**
 * Imports the legacy file in one transaction: all of it or nothing. Rows
 * already imported from this source by an earlier run are recognised by
 * their legacy ids: unchanged ones are left alone, so running it again
 * changes nothing, and a later snapshot's changes are brought over. A dry run
 * does all the work, then rolls back, sequences included.
 */
export async function importLegacyFile(db: Database, legacy: LegacyFile, opts: ImportOptions): Promise<ImportSummary> {
  const source = checkSource(opts.source ?? sourceFromFile(legacy.path));
  const totals = new Map<string, number>();
  const totalOf = (table: string) => {
    if (!totals.has(table)) totals.set(table, legacy.count(table as never));
    return totals.get(table)!;
  };
  try {
    return await db.transaction(async (tx) => {
      // A fresh report per attempt: the transaction may be retried after a serialization failure.
      const report = new ImportReport(opts.label ?? legacy.path, source, opts.dryRun);
      if (!(await lockImport(tx))) throw new ImportBusyError();
      if (opts.dryRun) await isolateSequences(tx);
      await relaxStatementTimeout(tx);
      report.summary.first_import = await upsertSource(tx, source, opts.label ?? legacy.path);
      describeFile(legacy, report);
      const bulk = await shouldBulkLoad(tx, {
        forced: opts.bulk,
        firstImport: report.summary.first_import,
        dryRun: opts.dryRun,
        fileOrders: totalOf('orders'),
      });
      const dropped = bulk ? await startBulkLoad(tx) : 0;
      report.summary.bulk_load = bulk;
      const state: ImportState = {
        db: tx,
        legacy,
        source,
        report,
        rules: opts.rules ?? DEFAULT_COMMISSION,
        importTime: new Date().toISOString(),
        userIdByTelegram: new Map(),
        masterIdByLegacy: new Map(),
        placeholderMasters: new Set(),
        orderIdByLegacy: new IdMap(totalOf('orders')),
        legacyOrderIds: new IdMap(totalOf('orders'), { keysOnly: true }),
        conflictOrders: new Set(),
        updatedOrders: [],
        progress: (table, done) => opts.onProgress?.(table, done, totalOf(table)),
      };
      const historyMark = await markHistoryBeforeImport(state);
      await importPeople(state);
      const inserted = await importOrders(state);
      await importTrailsAndArrivals(state, historyMark, inserted);
      if (bulk) {
        await finishBulkLoad(tx, dropped, (done, total) => opts.onProgress?.('indexes and keys', done, total));
        report.note(`bulk load: ${dropped} secondary indexes and foreign keys of the order and trail tables built once after loading, in this transaction`);
      }
      await catchUpStatuses(state);
      report.summary.commission_rules = await importRates(state);
      const summary = report.finish(!opts.dryRun);
      const changed =
        IMPORTED_TABLES.some((t) => summary.tables[t].imported > 0 || summary.tables[t].updated > 0 || summary.tables[t].conflicts > 0) ||
        summary.commission_rules.some((r) => r.result === 'created');
      if (changed) {
        // The run itself, once, only when it changed something: a repeated run leaves no trace.
        await touchSource(tx, source, opts.label ?? legacy.path);
        const rates = legacy.otherRows('specialization_rates').map(legacyJson);
        await insertAuditEntries(tx, source, [
          {
            legacyId: null,
            actorId: null,
            action: 'legacy_import.run',
            entityType: 'import',
            entityId: null,
            details: { ...summary, ...(rates.length ? { legacy_specialization_rates: rates } : {}) },
            createdAt: state.importTime,
          },
        ]);
      }
      if (opts.dryRun) throw new DryRunRollback(summary);
      return summary;
    });
  } catch (err) {
    if (err instanceof DryRunRollback) return err.summary;
    throw err;
  }
}
