import { planEquipment } from './equipment.ts';
import { summarizeHistory } from './history-summary.ts';
import { listEquipmentTypes } from '../equipment/equipment.sql.ts';
import { insertEquipmentTypes, listImportedIds } from './import-lookups.sql.ts';
import { insertOrders } from './import-orders.sql.ts';
import { auditAdjustments, BATCH, type ImportState } from './import-state.ts';
import { insertHistory, type HistoryRow } from './import-trail.sql.ts';
import { asInteger, chunks, type LegacyRow } from './legacy-file.ts';
import { mapLegacyOrder, type MappedOrder, type OrderContext } from './map-order.ts';

/** Orders, batch by batch; each order the import moved to another status gets a history row saying why. */
export async function importOrders(state: ImportState): Promise<void> {
  const { db, report } = state;
  const plan = planEquipment(state.legacy.equipmentLabels(), await listEquipmentTypes(db));
  report.summary.created.equipment_types.push(...(await insertEquipmentTypes(db, plan.toCreate)));
  const ctx: OrderContext = {
    importTime: state.importTime,
    rules: state.rules,
    equipmentCode: plan.resolve,
    userIdByTelegram: state.userIdByTelegram,
    masterIdByLegacy: state.masterIdByLegacy,
    placeholderMasters: state.placeholderMasters,
    history: summarizeHistory(state.legacy.rows('order_status_history')),
  };
  for (const batch of chunks(state.legacy.rows('orders'), BATCH)) {
    report.read('orders', batch.length);
    const ids = batch.map((o) => asInteger(o.id)).filter((id) => id !== null);
    for (const id of ids) state.legacyOrderIds.add(id);
    const done = await listImportedIds(db, 'order', ids);
    const pending: Array<MappedOrder & { legacy: LegacyRow }> = [];
    for (const raw of batch) {
      const legacyId = asInteger(raw.id);
      if (legacyId !== null && done.has(legacyId)) {
        report.already('orders');
        state.orderIdByLegacy.set(legacyId, done.get(legacyId)!);
        continue;
      }
      const mapped = mapLegacyOrder(raw, ctx);
      if ('skip' in mapped) report.skip('orders', legacyId, mapped.skip);
      else pending.push({ ...mapped, legacy: raw });
    }
    if (pending.length === 0) continue;
    const inserted = await insertOrders(
      db,
      pending.map((p) => p.row),
    );
    const moves: HistoryRow[] = [];
    for (const p of pending) {
      const orderId = inserted.get(p.row.legacyId)!;
      state.orderIdByLegacy.set(p.row.legacyId, orderId);
      report.imported('orders', p.row.legacyId, p.reasons);
      if (p.statusChange) {
        const note = `Импорт из старой системы: ${p.statusChange.reason}`;
        moves.push({ legacyId: null, orderId, oldStatus: p.statusChange.from, newStatus: p.row.status, actorId: null, changedAt: state.importTime, note });
      }
    }
    report.summary.created.status_history_for_adjustments += await insertHistory(db, moves);
    await auditAdjustments(
      state,
      'order',
      pending.map((p) => ({ entityId: inserted.get(p.row.legacyId)!, legacyId: p.row.legacyId, reasons: p.reasons, legacy: p.legacy })),
    );
  }
}
