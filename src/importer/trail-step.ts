import { listImportedIds, type LegacyEntity } from './import-lookups.sql.ts';
import type { ImportState } from './import-state.ts';
import { insertAuditEntries, insertHistory, type AuditRow, type HistoryRow } from './import-trail.sql.ts';
import { asInteger, chunks, type LegacyRow } from './legacy-file.ts';
import type { Mapped } from './map-people.ts';
import { mapLegacyAudit, mapLegacyHistory, type TrailContext } from './map-trail.ts';
import type { ImportedTable } from './report.ts';

const TRAIL_BATCH = 10_000;

/** Imports one legacy trail table (history or audit) batch by batch. */
async function importTrail<T extends { legacyId: number | null }>(
  state: ImportState,
  table: ImportedTable & LegacyEntity,
  map: (raw: LegacyRow, ctx: TrailContext) => Mapped<T>,
  insert: (rows: T[]) => Promise<number>,
): Promise<void> {
  const { report } = state;
  const ctx: TrailContext = { orderIdByLegacy: state.orderIdByLegacy, legacyOrderIds: state.legacyOrderIds, userIdByTelegram: state.userIdByTelegram };
  for (const batch of chunks(state.legacy.rows(table), TRAIL_BATCH)) {
    report.read(table, batch.length);
    const done = await listImportedIds(
      state.db,
      table,
      batch.map((r) => asInteger(r.id)).filter((id) => id !== null),
    );
    const pending: Array<{ row: T; reasons: string[] }> = [];
    for (const raw of batch) {
      const legacyId = asInteger(raw.id);
      if (legacyId !== null && done.has(legacyId)) {
        report.already(table);
        continue;
      }
      const mapped = map(raw, ctx);
      if ('skip' in mapped) report.skip(table, legacyId, mapped.skip);
      else pending.push(mapped);
    }
    if (pending.length === 0) continue;
    await insert(pending.map((p) => p.row));
    for (const p of pending) report.imported(table, p.row.legacyId, p.reasons);
  }
}

/** Status history, then audit rows: both after the orders they point at. */
export async function importTrails(state: ImportState): Promise<void> {
  await importTrail<HistoryRow>(state, 'order_status_history', mapLegacyHistory, (rows) => insertHistory(state.db, rows));
  await importTrail<AuditRow>(state, 'audit_log', mapLegacyAudit, (rows) => insertAuditEntries(state.db, rows));
}
