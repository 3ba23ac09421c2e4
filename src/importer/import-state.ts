import type { Queryable } from '../db/database.ts';
import type { CommissionRules } from '../orders/money.ts';
import { jsonSafe } from './clean-text.ts';
import type { IdMap } from './id-map.ts';
import { insertAuditEntries, type AuditRow } from './import-trail.sql.ts';
import type { LegacyFile, LegacyRow } from './legacy-file.ts';
import type { ImportReport } from './report.ts';

/** What the steps of one import share. */
export interface ImportState {
  db: Queryable;
  legacy: LegacyFile;
  /** Legacy ids are matched within this source only. */
  source: string;
  report: ImportReport;
  rules: CommissionRules;
  /** RFC 3339: stands in for times the legacy file lacks, and dates the import's own rows. */
  importTime: string;
  userIdByTelegram: Map<number, number>;
  masterIdByLegacy: Map<number, number>;
  /** Legacy master ids whose master is a placeholder for a deleted one. */
  placeholderMasters: Set<number>;
  orderIdByLegacy: IdMap;
  /** Every order id the legacy file has (the value unused), imported or not. */
  legacyOrderIds: IdMap;
  /** Legacy orders changed on both sides: their new history waits too. */
  conflictOrders: Set<number>;
  /** Orders this run rewrote from a later snapshot: their history must end in their status. */
  updatedOrders: number[];
  /** Called as rows of a table are read: the progress bar. */
  progress(table: string, done: number): void;
}

/**
 * Rows per statement: large enough to make round trips rare, small enough to
 * keep memory low: measured at 20,000 orders, halving 1,000 / 2,500 to 500 /
 * 1,250 took the peak from 252 to 224 MiB at the same CPU (two batches are
 * held at a time: the one in flight and the one being mapped).
 */
export const BATCH = 500;

/**
 * Adjusted rows get an audit entry of the import's own, naming the reasons
 * and keeping the legacy values the fix replaced, so nothing is lost.
 */
export async function auditAdjustments(
  state: ImportState,
  entity: 'user' | 'master' | 'order',
  rows: Array<{ entityId: number; legacyId: number | null; reasons: string[]; legacy: LegacyRow }>,
): Promise<void> {
  const entries: AuditRow[] = rows
    .filter((r) => r.reasons.length > 0)
    .map((r) => ({
      legacyId: null,
      actorId: null,
      action: `legacy_import.${entity}_adjusted`,
      entityType: entity,
      entityId: r.entityId,
      details: { legacy_id: r.legacyId, reasons: [...new Set(r.reasons)], legacy: jsonSafe(r.legacy) },
      createdAt: state.importTime,
    }));
  for (let i = 0; i < entries.length; i += BATCH) await insertAuditEntries(state.db, state.source, entries.slice(i, i + BATCH));
}
