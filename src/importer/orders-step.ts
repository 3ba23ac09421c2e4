import type { InsertedIds } from './arrivals-step.ts';
import { planEquipment } from './equipment.ts';
import { HistoryByOrder } from './history-summary.ts';
import { listEquipmentTypes } from '../equipment/equipment.sql.ts';
import { insertEquipmentTypes } from './import-lookups.sql.ts';
import { insertOrders, listImportedOrders, listLegacyOrderRows, prepareOrders, updateOrders, type OrderRow, type PreparedOrders } from './import-orders.sql.ts';
import { auditAdjustments, BATCH, type ImportState } from './import-state.ts';
import { insertAuditEntries, insertHistory, type AuditRow, type HistoryRow } from './import-trail.sql.ts';
import { asInteger, chunks, type LegacyRow } from './legacy-file.ts';
import { changedColumns, fingerprintOf, legacyJson } from './legacy-row.ts';
import { addOrderRollups, addRefusalFeeRollups, setRollupsDeferred } from './import-rollups.sql.ts';
import { releaseGarbage } from './memory.ts';
import { mapLegacyOrder, type MappedOrder, type OrderContext } from './map-order.ts';
import { WriteBehind, yieldToIo } from './write-behind.ts';

/** Rows mapped between two turns of the event loop (the batch in flight keeps moving meanwhile). */
const YIELD_EVERY = 25;

type ImportedOrders = Awaited<ReturnType<typeof listImportedOrders>>;
type Pending = MappedOrder & { legacy: LegacyRow };
type Update = Pending & { orderId: number; expectedVersion: number; json: Record<string, unknown> };

/**
 * Orders, batch by batch. New legacy orders are inserted; each order the
 * import moved to another status gets a history row saying why. An order an
 * earlier import of this source brought is compared with its legacy row
 * then: unchanged, rewritten from the later snapshot, or (changed in the new
 * system too) a conflict left as the new system has it.
 */
export async function importOrders(state: ImportState): Promise<InsertedIds> {
  const { db, report, source } = state;
  const plan = planEquipment(state.legacy.equipmentLabels(), await listEquipmentTypes(db));
  report.summary.created.equipment_types.push(...(await insertEquipmentTypes(db, plan.toCreate)));
  const ctx: OrderContext = {
    importTime: state.importTime,
    rules: state.rules,
    equipmentCode: plan.resolve,
    userIdByTelegram: state.userIdByTelegram,
    masterIdByLegacy: state.masterIdByLegacy,
    placeholderMasters: state.placeholderMasters,
    history: new Map(),
  };
  const history = new HistoryByOrder(state.legacy.historyByOrder());
  let read = 0;
  const writes = new WriteBehind();
  // The ids this run inserts, for their rollups at the end.
  let firstId = Infinity;
  let lastId = -Infinity;
  await setRollupsDeferred(db, true);
  for (const batch of chunks(state.legacy.rows('orders'), BATCH)) {
    report.read('orders', batch.length);
    const ids = batch.map((o) => asInteger(o.id)).filter((id) => id !== null);
    for (const id of ids) state.legacyOrderIds.set(id, 0);
    ctx.history = history.upTo(Math.max(0, ...ids));
    // A source's first import has nothing to compare with: no lookup per batch.
    const done = report.summary.first_import ? (new Map() as ImportedOrders) : await listImportedOrders(db, source, ids);
    const pending: Pending[] = [];
    const updates: Update[] = [];
    let sinceYield = 0;
    for (const raw of batch) {
      if (++sinceYield % YIELD_EVERY === 0) await yieldToIo();
      const legacyId = asInteger(raw.id);
      const before = legacyId === null ? undefined : done.get(legacyId);
      if (before) {
        state.orderIdByLegacy.set(legacyId!, before.order_id);
        const json = legacyJson(raw);
        // A mapping from before fingerprints existed has nothing to compare with: left as it is.
        if (before.fingerprint === null || before.fingerprint === fingerprintOf(json)) report.already('orders');
        else if (before.version !== before.synced_version) {
          report.conflict('orders', legacyId!);
          state.conflictOrders.add(legacyId!);
        } else {
          const mapped = mapLegacyOrder(raw, ctx);
          if ('skip' in mapped) report.skip('orders', legacyId, mapped.skip);
          else
            updates.push({
              ...mapped,
              legacy: raw,
              orderId: before.order_id,
              expectedVersion: before.version,
              json,
            });
        }
        continue;
      }
      const mapped = mapLegacyOrder(raw, ctx);
      if ('skip' in mapped) report.skip('orders', legacyId, mapped.skip);
      else pending.push({ ...mapped, legacy: raw });
    }
    const readSoFar = (read += batch.length);
    // Here, not in the write: the server is still busy with the batch before.
    const prepared = pending.length ? prepareOrders(pending.map((p) => p.row)) : null;
    releaseGarbage();
    await writes.push(async () => {
      await applyUpdates(state, updates);
      for (const id of (await insertNew(state, pending, prepared)).values()) {
        firstId = Math.min(firstId, id);
        lastId = Math.max(lastId, id);
      }
      state.progress('orders', readSoFar);
    });
  }
  await writes.flush();
  if (firstId <= lastId) {
    await addOrderRollups(db, source, firstId, lastId);
    await addRefusalFeeRollups(db, source, firstId, lastId);
  }
  await setRollupsDeferred(db, false);
  // Their arrivals wait for the trails (arrivals-step.ts).
  return firstId <= lastId ? { firstId, lastId } : null;
}

/** Inserts the batch's new orders and their trail; returns legacy id -> order id. */
async function insertNew(state: ImportState, pending: Pending[], prepared: PreparedOrders | null): Promise<Map<number, number>> {
  if (prepared === null) return new Map();
  const { db, report, source } = state;
  const inserted = await insertOrders(db, source, prepared);
  const moves: HistoryRow[] = [];
  for (const p of pending) {
    const orderId = inserted.get(p.row.legacy_id)!;
    state.orderIdByLegacy.set(p.row.legacy_id, orderId);
    report.imported('orders', p.row.legacy_id, p.reasons, p.row.deleted_at !== null);
    if (p.statusChange) moves.push(statusMove(state, orderId, p));
  }
  report.summary.created.status_history_for_adjustments += await insertHistory(db, source, moves);
  await auditAdjustments(
    state,
    'order',
    pending.map((p) => ({ entityId: inserted.get(p.row.legacy_id)!, legacyId: p.row.legacy_id, reasons: p.reasons, legacy: p.legacy })),
  );
  return inserted;
}

function statusMove(state: ImportState, orderId: number, p: { row: OrderRow; statusChange: MappedOrder['statusChange'] }): HistoryRow {
  const note = `Импорт из старой системы: ${p.statusChange!.reason}`;
  return { legacyId: null, orderId, oldStatus: p.statusChange!.from, newStatus: p.row.status, actorId: null, changedAt: state.importTime, note };
}

/** A later snapshot's changes, each audited with the legacy columns that changed. */
async function applyUpdates(state: ImportState, updates: Update[]): Promise<void> {
  if (updates.length === 0) return;
  const { db, report, source } = state;
  // Read before the update replaces them: the columns that changed are named from these.
  const previous = await listLegacyOrderRows(
    db,
    source,
    updates.map((u) => u.row.legacy_id),
  );
  // An update moves orders between report cells: the triggers subtract the old state and add the new.
  await setRollupsDeferred(db, false);
  const written = await updateOrders(
    db,
    source,
    updates.map((u) => ({ ...u.row, order_id: u.orderId, expected_version: u.expectedVersion })),
  );
  await setRollupsDeferred(db, true);
  const audit: AuditRow[] = [];
  for (const u of updates) {
    if (!written.has(u.row.legacy_id)) {
      // Changed in the new system between our read and our write.
      report.conflict('orders', u.row.legacy_id);
      state.conflictOrders.add(u.row.legacy_id);
      continue;
    }
    const fields = changedColumns(previous.get(u.row.legacy_id) ?? null, u.json);
    report.updated('orders', u.row.legacy_id, fields, u.reasons);
    state.updatedOrders.push(u.orderId);
    audit.push({
      legacyId: null,
      actorId: null,
      action: 'legacy_import.order_updated',
      entityType: 'order',
      entityId: u.orderId,
      details: { source, legacy_id: u.row.legacy_id, changed: fields, reasons: u.reasons, legacy: u.json },
      createdAt: state.importTime,
    });
  }
  await insertAuditEntries(db, source, audit);
}
