import type { OrderStatus } from '../db/enums.ts';
import { asText, limitLength } from './clean-text.ts';
import { mapLegacyStatus } from './statuses.ts';

export interface StatusInput {
  rawStatus: unknown;
  legacyMasterId: number | null;
  /** masters.id the legacy master id resolved to, placeholders included. */
  masterId: number | null;
  /** The master is a placeholder for one the legacy file no longer has. */
  placeholder: boolean;
  /** The source's placeholder master for closed orders that name none. */
  noMasterId: number | null;
  hasEta: boolean;
  /** Why the order was refused, from its history. */
  refuseNote: string | null;
  note(reason: string): void;
}

export interface StatusState {
  status: OrderStatus;
  masterId: number | null;
  refuseReason: string | null;
  change: { from: OrderStatus | null; reason: string } | null;
}

const REFUSE_REASON = {
  unknownStatus: (value: string) => `Неизвестный статус в старой системе: ${value}`,
  closedWithoutMaster: 'Закрыт в старой системе без мастера',
  notRecorded: 'Причина не указана (старая система)',
};

/**
 * The closest status the schema accepts for a legacy order:
 * - an order a master works on (ASSIGNED .. LONG_REPAIR) whose master is
 *   gone goes back to NEW, to be assigned again;
 * - LONG_REPAIR without a readable ETA stays in work as IN_PROGRESS;
 * - a closed order keeps its deleted master as a placeholder (its money
 *   stays in the reports); closed without any master, it keeps its money
 *   under the source's placeholder master "not given";
 * - an unknown status is REFUSED with the value as the reason, so a
 *   dispatcher sees it and may reopen it.
 */
export function resolveOrderStatus(input: StatusInput): StatusState {
  const { note } = input;
  const mapped = mapLegacyStatus(input.rawStatus);
  const state: StatusState = { status: mapped ?? 'NEW', masterId: input.masterId, refuseReason: null, change: null };
  const move = (to: OrderStatus, reason: string) => {
    state.change = { from: state.change?.from ?? mapped ?? null, reason };
    state.status = to;
    note(reason);
  };
  if (mapped === null) note('status: missing, NEW used');
  if (mapped === undefined) {
    const value = limitLength(asText(input.rawStatus)?.trim() ?? '', 100).text;
    move('REFUSED', 'status: unknown legacy value, order refused');
    state.refuseReason = REFUSE_REASON.unknownStatus(value);
  }
  const missing = input.legacyMasterId !== null && (input.masterId === null || input.placeholder);
  switch (state.status) {
    case 'NEW':
      if (input.masterId !== null && !missing) note('master: set on a NEW order, dropped');
      break;
    case 'ASSIGNED':
    case 'ACCEPTED':
    case 'IN_PROGRESS':
    case 'LONG_REPAIR':
      if (missing || input.legacyMasterId === null) {
        move('NEW', missing ? 'master: deleted in the legacy data, order back to NEW' : 'master: none on an assigned order, order back to NEW');
      } else if (state.status === 'LONG_REPAIR' && !input.hasEta) {
        move('IN_PROGRESS', 'long repair without a readable estimated_completion_date: IN_PROGRESS');
      }
      break;
    case 'COMPLETED':
    case 'CLOSED':
      if (input.legacyMasterId === null && input.noMasterId !== null) {
        // Closed is final and its money real: it stays closed, attributed to "master not given".
        state.masterId = input.noMasterId;
        note('master: none on a closed order, kept closed under the placeholder master "not given"');
      } else if (input.masterId === null) {
        move('REFUSED', 'master: none on a closed order, order refused');
        state.refuseReason = REFUSE_REASON.closedWithoutMaster;
      } else if (input.placeholder) {
        note('master: deleted in the legacy data, placeholder master linked');
      }
      break;
    case 'REFUSED':
      if (!state.refuseReason) {
        state.refuseReason = input.refuseNote ? limitLength(input.refuseNote, 1000).text : REFUSE_REASON.notRecorded;
        if (!input.refuseNote) note('refuse_reason: not recorded in the legacy data, placeholder used');
      }
      break;
  }
  if (state.status === 'NEW' && state.masterId !== null) state.masterId = null;
  if (missing && state.status !== 'CLOSED' && state.status !== 'COMPLETED') {
    if (state.status !== 'NEW' || !state.change) note('master: not found, dropped');
    state.masterId = null;
  }
  return state;
}
