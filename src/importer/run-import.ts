import type { Database } from '../db/database.ts';
import { DEFAULT_COMMISSION, type CommissionRules } from '../orders/money.ts';
import { lockImport, relaxStatementTimeout } from './import-lookups.sql.ts';
import type { ImportState } from './import-state.ts';
import { insertAuditEntries } from './import-trail.sql.ts';
import type { LegacyFile } from './legacy-file.ts';
import { importOrders } from './orders-step.ts';
import { importPeople } from './people-step.ts';
import { IMPORTED_TABLES, ImportReport, type ImportSummary } from './report.ts';
import { importTrails } from './trail-step.ts';

export interface ImportOptions {
  dryRun: boolean;
  /** The product's commission rules, for shares the legacy row lacks. */
  rules?: CommissionRules;
  /** The file's name in the report and the audit entry. */
  label?: string;
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

/**
 * Imports the legacy file in one transaction: all of it or nothing. Rows
 * already imported by an earlier run are recognised by their legacy ids and
 * left alone, so running it again changes nothing. A dry run does all the
 * work, then rolls back.
 */
export async function importLegacyFile(db: Database, legacy: LegacyFile, opts: ImportOptions): Promise<ImportSummary> {
  try {
    return await db.transaction(async (tx) => {
      // A fresh report per attempt: the transaction may be retried after a serialization failure.
      const report = new ImportReport(opts.label ?? legacy.path, opts.dryRun);
      report.summary.ignored_tables = legacy.otherTables;
      if (!(await lockImport(tx))) throw new ImportBusyError();
      await relaxStatementTimeout(tx);
      const state: ImportState = {
        db: tx,
        legacy,
        report,
        rules: opts.rules ?? DEFAULT_COMMISSION,
        importTime: new Date().toISOString(),
        userIdByTelegram: new Map(),
        masterIdByLegacy: new Map(),
        placeholderMasters: new Set(),
        orderIdByLegacy: new Map(),
        legacyOrderIds: new Set(),
      };
      await importPeople(state);
      await importOrders(state);
      await importTrails(state);
      const summary = report.finish(!opts.dryRun);
      if (IMPORTED_TABLES.some((t) => summary.tables[t].imported > 0)) {
        // The run itself, once, only when it changed something: a repeated run leaves no trace.
        await insertAuditEntries(tx, [
          {
            legacyId: null,
            actorId: null,
            action: 'legacy_import.run',
            entityType: 'import',
            entityId: null,
            details: { ...summary },
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
