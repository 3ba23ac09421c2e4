import { listImportedIds, type LegacyEntity } from './import-lookups.sql.ts';
import { appendStatusCatchUp } from './import-orders.sql.ts';
import type { ImportState } from './import-state.ts';
import { insertPreparedAudit, insertPreparedHistory, prepareAudit, prepareHistory } from './import-trail.sql.ts';
import { asInteger, chunks, type LegacyRow } from './legacy-file.ts';
import type { Mapped } from './map-people.ts';
import { mapLegacyAudit, mapLegacyHistory, type TrailContext } from './map-trail.ts';
import { releaseGarbage } from './memory.ts';
import { WriteBehind, yieldToIo } from './write-behind.ts';
import type { ImportedTable } from './report.ts';

const TRAIL_BATCH = 1250;
/** Rows mapped between two turns of the event loop (the batch in flight keeps moving meanwhile). */
const YIELD_EVERY = 50;

/** Why a legacy row is left out before it is mapped, or null to map it. */
type Gate = (raw: LegacyRow) => string | null;

/** Imports one legacy trail table (history or audit) batch by batch. */
async function importTrail<T extends { legacyId: number | null }, P>(
  state: ImportState,
  table: ImportedTable & LegacyEntity,
  map: (raw: LegacyRow, ctx: TrailContext) => Mapped<T>,
  writer: { prepare: (rows: T[]) => P; insert: (batch: P) => Promise<number> },
  gate: Gate,
  isDeleted: (row: T) => boolean,
): Promise<void> {
  const { report } = state;
  const ctx: TrailContext = { orderIdByLegacy: state.orderIdByLegacy, legacyOrderIds: state.legacyOrderIds, userIdByTelegram: state.userIdByTelegram };
  let read = 0;
  const writes = new WriteBehind();
  for (const batch of chunks(state.legacy.rows(table), TRAIL_BATCH)) {
    report.read(table, batch.length);
    // A source's first import has nothing to compare with: no lookup per batch.
    const done = report.summary.first_import
      ? new Map<number, number>()
      : await listImportedIds(
          state.db,
          state.source,
          table,
          batch.map((r) => asInteger(r.id)).filter((id) => id !== null),
        );
    const pending: Array<{ row: T; reasons: string[] }> = [];
    let sinceYield = 0;
    for (const raw of batch) {
      if (++sinceYield % YIELD_EVERY === 0) await yieldToIo();
      const legacyId = asInteger(raw.id);
      if (legacyId !== null && done.has(legacyId)) {
        report.already(table);
        continue;
      }
      const gated = gate(raw);
      const mapped = gated === null ? map(raw, ctx) : { skip: gated };
      if ('skip' in mapped) report.skip(table, legacyId, mapped.skip);
      else pending.push(mapped);
    }
    const readSoFar = (read += batch.length);
    // Here, not in the write: the server is still busy with the batch before.
    const prepared = pending.length ? writer.prepare(pending.map((p) => p.row)) : null;
    releaseGarbage();
    await writes.push(async () => {
      if (prepared !== null) await writer.insert(prepared);
      for (const p of pending) report.imported(table, p.row.legacyId, p.reasons, isDeleted(p.row));
      state.progress(table, readSoFar);
    });
  }
  await writes.flush();
}

/** Status history, then audit rows: both after the orders they point at. */
export async function importTrails(state: ImportState): Promise<void> {
  const historyGate: Gate = (raw) => {
    const orderId = asInteger(raw.order_id);
    if (orderId !== null && state.conflictOrders.has(orderId)) return 'its order changed on both sides: kept as the new system has it';
    return raw.deleted_at === null || raw.deleted_at === undefined ? null : 'deleted in the legacy data';
  };
  await importTrail(
    state,
    'order_status_history',
    mapLegacyHistory,
    { prepare: prepareHistory, insert: (batch) => insertPreparedHistory(state.db, state.source, batch) },
    historyGate,
    () => false,
  );
  await importTrail(
    state,
    'audit_log',
    mapLegacyAudit,
    { prepare: prepareAudit, insert: (batch) => insertPreparedAudit(state.db, state.source, batch) },
    () => null,
    (row) => row.entityType === 'legacy_deleted',
  );
}

/** A later snapshot's order ends in its status even where its history does not say how. */
export async function catchUpStatuses(state: ImportState): Promise<void> {
  state.report.summary.created.status_history_for_adjustments += await appendStatusCatchUp(
    state.db,
    state.updatedOrders,
    state.importTime,
    'Импорт из старой системы: статус по более позднему снимку',
  );
}
