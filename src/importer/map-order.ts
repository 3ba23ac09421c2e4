import type { OrderStatus } from '../db/enums.ts';
import type { CommissionRules } from '../orders/money.ts';
import { asText, limitLength, normalizeLegacyPhone, optionalText, requiredText } from './clean-text.ts';
import type { HistorySummary } from './history-summary.ts';
import type { OrderRow } from './import-orders.sql.ts';
import { asBoolean, asInteger, type LegacyRow } from './legacy-file.ts';
import { parseSchedule } from './legacy-schedule.ts';
import { parseLegacyDate, parseLegacyTimestamp } from './legacy-time.ts';
import { reconcileMoney } from './order-money.ts';
import { resolveOrderStatus } from './order-status.ts';
import { COMPLETED_STATUSES } from './statuses.ts';
import { fromKopecks } from '../orders/money.ts';
import { parseAmount } from './legacy-money.ts';
import { deletedAtOf, fingerprintOfText, legacyText } from './legacy-row.ts';
import { NO_MASTER_LEGACY_ID } from './placeholders.ts';

export interface OrderContext {
  /** RFC 3339 time of this import. */
  importTime: string;
  rules: CommissionRules;
  /** Equipment label -> type code (unknown labels already have an inactive type). */
  equipmentCode(raw: unknown): { code: string; reason: string | null };
  userIdByTelegram: ReadonlyMap<number, number>;
  /** Legacy master id -> masters.id, placeholders for deleted masters included. */
  masterIdByLegacy: ReadonlyMap<number, number>;
  placeholderMasters: ReadonlySet<number>;
  /** What the history says of the orders at hand (a batch at a time). */
  history: ReadonlyMap<number, HistorySummary>;
}

const REFUSAL_FEE_NOTE = 'refusal with a fee: imported as the refusal fee, split as the legacy bot split it, handed over at the refusal';

export interface MappedOrder {
  row: OrderRow;
  reasons: string[];
  /** Set when the import put the order in another status than the legacy one. */
  statusChange: { from: OrderStatus | null; reason: string } | null;
}

const PLACEHOLDER = { description: 'Без описания', clientName: 'Не указано', clientAddress: 'Не указан' };

function flag(raw: unknown, field: string, note: (r: string) => void): boolean {
  const value = asBoolean(raw);
  if (value === undefined) note(`${field}: not a boolean, false used`);
  return value ?? false;
}

/**
 * One legacy order as a row every CHECK of the orders table accepts. Rows
 * that cannot be kept as they were move to the closest valid state (see
 * resolveOrderStatus) and say why in `reasons`.
 */
export function mapLegacyOrder(raw: LegacyRow, ctx: OrderContext): MappedOrder | { skip: string } {
  const legacyId = asInteger(raw.id);
  if (legacyId === null) return { skip: 'id is not an integer' };
  const reasons: string[] = [];
  const note = (r: string) => reasons.push(r);
  const history = ctx.history.get(legacyId);

  const created = parseLegacyTimestamp(raw.created_at);
  const updated = parseLegacyTimestamp(raw.updated_at);
  if (!created) note(`created_at: ${asText(raw.created_at)?.trim() ? 'unreadable' : 'missing'}, ${updated ? 'updated_at' : 'import time'} used`);
  const createdAt = created?.text ?? updated?.text ?? ctx.importTime;
  if (!updated && asText(raw.updated_at)?.trim()) note('updated_at: unreadable, created_at used');
  const updatedAt = updated?.text ?? createdAt;

  const eta = parseLegacyDate(raw.estimated_completion_date);
  if (eta === null && asText(raw.estimated_completion_date)?.trim()) note('estimated_completion_date: unreadable, dropped');

  const legacyMasterId = asInteger(raw.assigned_master_id) || null;
  const placeholder = legacyMasterId !== null && ctx.placeholderMasters.has(legacyMasterId);
  const state = resolveOrderStatus({
    rawStatus: raw.status,
    legacyMasterId,
    masterId: legacyMasterId === null ? null : (ctx.masterIdByLegacy.get(legacyMasterId) ?? null),
    placeholder,
    noMasterId: ctx.masterIdByLegacy.get(NO_MASTER_LEGACY_ID) ?? null,
    hasEta: eta !== null,
    refuseNote: optionalText(raw.refuse_reason, 'refuse_reason', 1000, note) ?? history?.refuseNote?.text ?? null,
    note,
  });
  const status = state.status;

  const dispatcherTelegramId = asInteger(raw.dispatcher_id) || null;
  const dispatcherId = dispatcherTelegramId === null ? null : (ctx.userIdByTelegram.get(dispatcherTelegramId) ?? null);
  if (dispatcherTelegramId !== null && dispatcherId === null) note('dispatcher: no such user, left empty');

  const hasReview = flag(raw.has_review, 'has_review', note);
  const outOfCity = flag(raw.out_of_city, 'out_of_city', note);
  // The latest bot refuses with the amount a master entered (a fee, e.g. diagnostics): kept, not dropped.
  const refusalFee = status === 'REFUSED' ? parseAmount(raw.total_amount) : null;
  const refusalAmount = refusalFee && 'kopecks' in refusalFee && refusalFee.kopecks > 0n ? fromKopecks(refusalFee.kopecks) : null;
  if (refusalAmount !== null) note(REFUSAL_FEE_NOTE);
  const money = reconcileMoney(
    {
      total: refusalAmount === null ? raw.total_amount : null,
      materials: refusalAmount === null ? raw.materials_cost : null,
      master: refusalAmount === null ? raw.master_profit : null,
      company: refusalAmount === null ? raw.company_profit : null,
      prepayment: raw.prepayment_amount,
      hasReview,
      outOfCity,
    },
    COMPLETED_STATUSES.includes(status),
    ctx.rules,
    note,
  );

  const phone = normalizeLegacyPhone(raw.client_phone, 'client_phone', note);
  const notes = optionalText(raw.notes, 'notes', 2000, note);
  const notesWithPhone =
    phone.leftover === null ? notes : limitLength([notes, `Телефон в старой системе: ${phone.leftover}`].filter(Boolean).join('\n'), 2000).text;
  const equipment = ctx.equipmentCode(raw.equipment_type);
  if (equipment.reason) note(equipment.reason);

  let rescheduleCount = asInteger(raw.rescheduled_count) ?? 0;
  if (rescheduleCount < 0) {
    note('rescheduled_count: negative, 0 used');
    rescheduleCount = 0;
  }
  const lastRescheduled = parseLegacyTimestamp(raw.last_rescheduled_at);
  const json = legacyText(raw);
  const deletedAt = deletedAtOf(raw, ctx.importTime);
  if (deletedAt !== null) note('deleted in the legacy data: imported as deleted');
  if (!lastRescheduled && asText(raw.last_rescheduled_at)?.trim()) note('last_rescheduled_at: unreadable, dropped');

  // When the order entered its status: the history says, else the row's own times.
  const since = history?.since ?? {};
  const statusChangedAt = state.change ? ctx.importTime : (since[status]?.text ?? (status === 'NEW' ? createdAt : updatedAt));
  const refusedAt = status === 'REFUSED' ? statusChangedAt : null;
  // The legacy bot split a refusal's amount like a completion without materials or bonuses, and kept no hand-over
  // of it (a refusal was final there): the fee is booked as handed over when it was taken, so no old debt opens.
  const fee =
    refusalAmount === null
      ? null
      : reconcileMoney(
          {
            total: refusalAmount,
            materials: '0',
            master: raw.master_profit,
            company: raw.company_profit,
            prepayment: null,
            hasReview: false,
            outOfCity: false,
          },
          true,
          ctx.rules,
          (reason) => note(`refusal fee: ${reason}`),
        );
  let closedAt: string | null = null;
  let completedAt: string | null = null;
  if (COMPLETED_STATUSES.includes(status)) {
    if (!since.CLOSED && !since.COMPLETED) note('completion time: not in the history, updated_at used');
    closedAt = status === 'CLOSED' ? (since.CLOSED?.text ?? updatedAt) : null;
    completedAt = since.COMPLETED?.text ?? closedAt ?? updatedAt;
  }

  return {
    row: {
      legacy_id: legacyId,
      status,
      equipment_type: equipment.code,
      description: requiredText(raw.description, 'description', 4000, PLACEHOLDER.description, note),
      client_name: requiredText(raw.client_name, 'client_name', 200, PLACEHOLDER.clientName, note),
      client_address: requiredText(raw.client_address, 'client_address', 500, PLACEHOLDER.clientAddress, note),
      client_phone: phone.phone,
      notes: notesWithPhone,
      ...parseSchedule(raw.scheduled_time, note),
      // The legacy bot kept no visit windows.
      scheduled_until: null,
      dispatcher_id: dispatcherId,
      master_id: state.masterId,
      total_amount: money.total,
      materials_cost: money.materials,
      master_profit: money.masterProfit,
      company_profit: money.companyProfit,
      prepayment_amount: money.prepayment,
      has_review: hasReview,
      out_of_city: outOfCity,
      estimated_completion_date: eta,
      reschedule_count: rescheduleCount,
      reschedule_reason: optionalText(raw.reschedule_reason, 'reschedule_reason', 1000, note),
      last_rescheduled_at: lastRescheduled?.text ?? null,
      refuse_reason: state.refuseReason,
      created_at: createdAt,
      updated_at: updatedAt,
      status_changed_at: statusChangedAt,
      completed_at: completedAt,
      closed_at: closedAt,
      deleted_at: deletedAt,
      refused_at: refusedAt,
      refusal_fee: fee?.total ?? null,
      refusal_master_share: fee?.masterProfit ?? null,
      refusal_company_share: fee?.companyProfit ?? null,
      fee_handed_over_at: fee ? refusedAt : null,
      legacy_row: json,
      fingerprint: fingerprintOfText(json),
      refusal_amount: refusalAmount,
    },
    reasons,
    statusChange: state.change,
  };
}
