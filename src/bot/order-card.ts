import { InlineKeyboard } from 'grammy';
import type { OrderStatus } from '../db/enums.ts';
import { actionsFor, mayNudge, type VisibleOrder } from '../orders/order-access.ts';
import { inSet } from '../orders/order-statuses.ts';
import type { ActionName } from '../orders/order-actions.ts';
import { ORDER_FIELD_NAMES, type NewOrder, type OrderFieldName } from '../orders/order-fields.ts';
import { isStaff, type Principal } from '../users/principal.ts';
import { encode, type OrderAction } from './callback-data.ts';
import { formatDate, formatDateTime, formatMoney, formatVisit } from './format.ts';
import type { Translate } from './i18n.ts';

/** How one order reads in a chat, and the buttons its reader may press. */

export interface CardStyle {
  t: Translate;
  equipmentName: (code: string) => string;
  timeZone: string;
}

export function statusName(t: Translate, status: OrderStatus): string {
  return t(`status-${status}`);
}

/** Telegram takes 4096 characters a message: long free text is cut in a card (the order keeps it whole). */
function clip(text: string, max: number): string {
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}

/** The order's own fields as a reader may see them (the phone may be hidden). */
type FieldValues = Omit<NewOrder, 'client_phone'> & { client_phone: string | null };

/** How each field reads on a card and on the new-order confirmation (null: no line); a new field asks for its line here. */
const FIELD_LINES: { [K in OrderFieldName]: (v: FieldValues, s: CardStyle) => string | null } = {
  equipment_type: (v, s) => s.t('card-equipment', { name: s.equipmentName(v.equipment_type) }),
  description: (v, s) => s.t('card-description', { text: clip(v.description, 1500) }),
  client_name: (v, s) => s.t('card-client', { name: v.client_name }),
  client_address: (v, s) => s.t('card-address', { address: v.client_address }),
  client_phone: (v, s) => (v.client_phone ? s.t('card-phone', { phone: v.client_phone }) : s.t('card-phone-hidden')),
  notes: (v, s) => (v.notes ? s.t('card-notes', { text: clip(v.notes, 800) }) : null),
  scheduled_at: (v, s) => (v.scheduled_at ? s.t('card-time', { time: formatVisit(v.scheduled_at, v.scheduled_until, s.timeZone) }) : null),
  scheduled_until: () => null, // read with scheduled_at, as one window
  scheduled_note: (v, s) => (!v.scheduled_at && v.scheduled_note ? s.t('card-time', { time: v.scheduled_note }) : null),
};

export function fieldLines(v: FieldValues, s: CardStyle): string[] {
  return ORDER_FIELD_NAMES.map((k) => FIELD_LINES[k](v, s)).filter((line) => line !== null);
}

export function orderCardText(o: VisibleOrder, s: CardStyle): string {
  const { t } = s;
  // An imported order also shows its number in the legacy bot: "№ 412 (было № 45, msk)".
  const id = o.legacy_number === null ? String(o.id) : `${o.id} ${t('card-legacy-number', { number: String(o.legacy_number), source: o.legacy_source ?? '' })}`;
  const lines = [t('card-title', { id, status: statusName(t, o.status) }), ...fieldLines(o, s)];
  lines.push(t('card-master', { name: o.master_name ?? t('card-nobody') }));
  lines.push(createdLine(o, s));
  if (o.dispatcher_name) lines.push(t('card-dispatcher', { name: o.dispatcher_name }));
  if (o.estimated_completion_date) lines.push(t('card-eta', { date: formatDate(o.estimated_completion_date) }));
  if (o.parts_needed) lines.push(t('card-parts', { parts: clip(o.parts_needed, 300) }));
  if (o.estimated_cost) lines.push(t('card-estimated-cost', { amount: formatMoney(o.estimated_cost, t) }));
  if (o.prepayment_amount) lines.push(t('card-prepayment', { amount: formatMoney(o.prepayment_amount, t) }));
  if (o.total_amount && o.materials_cost && o.master_profit && o.company_profit) {
    lines.push(
      t('card-money', {
        total: formatMoney(o.total_amount, t),
        materials: formatMoney(o.materials_cost, t),
        master: formatMoney(o.master_profit, t),
        company: formatMoney(o.company_profit, t),
      }),
    );
  }
  if (o.reschedule_count > 0) {
    lines.push(t('card-rescheduled', { count: o.reschedule_count, reason: clip(o.reschedule_reason ?? '—', 300) }));
  }
  if (o.status === 'REFUSED' && o.refuse_reason) lines.push(t('card-refused', { reason: clip(o.refuse_reason, 500) }));
  if (o.refusal_fee && o.refusal_master_share && o.refusal_company_share) {
    const fee = { fee: formatMoney(o.refusal_fee, t), master: formatMoney(o.refusal_master_share, t), company: formatMoney(o.refusal_company_share, t) };
    lines.push(t('card-refusal-fee', fee));
  }
  return lines.join('\n');
}

/** When the order came in and, while it is open, how long it has been in its status (what the client has waited). */
function createdLine(o: VisibleOrder, s: CardStyle, now = Date.now()): string {
  const time = formatDateTime(o.created_at, s.timeZone);
  if (!inSet('open', o.status)) return s.t('card-created', { time });
  return s.t('card-waited', { time, status: statusName(s.t, o.status), waited: duration(s.t, Math.floor((now - Date.parse(o.status_changed_at)) / 60_000)) });
}

/** "35 мин", "2 ч 5 мин", "3 д 4 ч": short forms need no plural rules. */
function duration(t: Translate, minutes: number): string {
  const m = Math.max(0, minutes);
  if (m < 60) return t('reminder-minutes', { minutes: String(m) });
  if (m < 24 * 60) return t('reminder-hours', { hours: String(Math.floor(m / 60)), minutes: String(m % 60) });
  return t('duration-days', { days: String(Math.floor(m / 1440)), hours: String(Math.floor((m % 1440) / 60)) });
}

/** An action as a button (null: none in the bot); the access rules decide which show. */
const BUTTON_OF: Record<ActionName, OrderAction | 'assign' | null> = {
  assign: 'assign',
  unassign: 'unassign',
  decline: 'decline',
  accept: 'accept',
  arrive: 'arrive',
  resume: 'resume',
  long_repair: 'long_repair',
  complete: 'complete',
  close: 'close',
  refuse: 'refuse',
  // The client's own button, drawn in the client's chat (features/client.ts).
  client_cancel: null,
  reopen: 'reopen',
  reschedule: 'reschedule',
  edit: 'edit',
  delete: 'delete',
  // Drawn on the deleted order's own message and list (a card never shows a deleted order).
  restore: null,
  cancel_accepted: 'cancel_accepted',
  client_refused: 'client_refused',
  correct: 'correct',
};

export function orderKeyboard(o: VisibleOrder, reader: Principal, t: Translate): InlineKeyboard {
  const kb = new InlineKeyboard();
  let inRow = 0;
  const add = (label: string, data: string) => {
    if (inRow === 2) {
      kb.row();
      inRow = 0;
    }
    kb.text(label, data);
    inRow++;
  };
  // Accept before Decline, as on the assignment message: the same button in the same place everywhere.
  const names = actionsFor(reader, o).sort((a, b) => Number(a === 'decline') - Number(b === 'decline'));
  for (const name of names) {
    const action = BUTTON_OF[name];
    if (action === null) continue;
    if (action === 'assign') {
      add(t(o.master_id === null ? 'button-assign' : 'button-reassign'), encode({ type: 'pickMaster', orderId: o.id, version: o.version, afterId: 0 }));
    } else {
      add(t(`button-${action}`), encode({ type: 'order', action, orderId: o.id, version: o.version }));
    }
  }
  if (mayNudge(reader, o)) {
    add(t('button-nudge'), encode({ type: 'order', action: 'nudge', orderId: o.id, version: o.version }));
  }
  add(t('button-history'), encode({ type: 'order', action: 'history', orderId: o.id, version: o.version }));
  add(t('button-refresh'), encode({ type: 'order', action: 'refresh', orderId: o.id, version: o.version }));
  // Back to the list the reader works from: staff's open orders, a master's own.
  kb.row().text(t('button-to-list'), encode({ type: 'list', filter: reader.masterId !== null && !isStaff(reader) ? 'm' : 'o', cursor: null }));
  return kb;
}

/** Accept / Decline, as on the message that tells a master about an assignment. */
export function assignmentKeyboard(o: { id: number; version: number }, t: Translate): InlineKeyboard {
  return new InlineKeyboard()
    .text(t('button-accept'), encode({ type: 'order', action: 'accept', orderId: o.id, version: o.version }))
    .text(t('button-decline'), encode({ type: 'order', action: 'decline', orderId: o.id, version: o.version }));
}

/** One line per order in a list button. */
export function orderButtonLabel(o: VisibleOrder, s: CardStyle): string {
  const label = `#${o.id} · ${statusName(s.t, o.status)} · ${s.equipmentName(o.equipment_type)} · ${o.client_name}`;
  return label.length > 60 ? `${label.slice(0, 59)}…` : label;
}

/** One order in a list's text: where, when and who, what a dispatcher scans for. */
export function orderListLine(o: VisibleOrder, s: CardStyle): string {
  const when = o.scheduled_at ? formatDateTime(o.scheduled_at, s.timeZone) : (o.scheduled_note ?? s.t('list-no-time'));
  return s.t('list-line', { id: String(o.id), address: clip(o.client_address, 60), time: clip(when, 40), master: o.master_name ?? s.t('card-nobody') });
}
