import { InlineKeyboard } from 'grammy';
import type { OrderStatus } from '../db/enums.ts';
import type { VisibleOrder } from '../orders/access.ts';
import { TRANSITIONS, isStaff, transitionsFrom, type TransitionName } from '../orders/transitions.ts';
import type { Principal } from '../users/principal.ts';
import { encode, type OrderAction } from './callback-data.ts';
import { formatDate, formatDateTime, formatMoney } from './format.ts';
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
export function clip(text: string, max: number): string {
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}

export function orderCardText(o: VisibleOrder, s: CardStyle): string {
  const { t } = s;
  const lines = [
    t('card-title', { id: String(o.id), status: statusName(t, o.status) }),
    t('card-equipment', { name: s.equipmentName(o.equipment_type) }),
    t('card-description', { text: clip(o.description, 1500) }),
    t('card-client', { name: o.client_name }),
    t('card-address', { address: o.client_address }),
    o.client_phone ? t('card-phone', { phone: o.client_phone }) : t('card-phone-hidden'),
  ];
  if (o.notes) lines.push(t('card-notes', { text: clip(o.notes, 800) }));
  if (o.scheduled_at) lines.push(t('card-time', { time: formatDateTime(o.scheduled_at, s.timeZone) }));
  else if (o.scheduled_note) lines.push(t('card-time', { time: o.scheduled_note }));
  lines.push(t('card-master', { name: o.master_name ?? t('card-nobody') }));
  if (o.dispatcher_name) lines.push(t('card-dispatcher', { name: o.dispatcher_name }));
  if (o.estimated_completion_date) lines.push(t('card-eta', { date: formatDate(o.estimated_completion_date) }));
  if (o.prepayment_amount) lines.push(t('card-prepayment', { amount: formatMoney(o.prepayment_amount) }));
  if (o.total_amount && o.materials_cost && o.master_profit && o.company_profit) {
    lines.push(
      t('card-money', {
        total: formatMoney(o.total_amount),
        materials: formatMoney(o.materials_cost),
        master: formatMoney(o.master_profit),
        company: formatMoney(o.company_profit),
      }),
    );
  }
  if (o.status === 'REFUSED' && o.refuse_reason) lines.push(t('card-refused', { reason: clip(o.refuse_reason, 500) }));
  return lines.join('\n');
}

/** A transition as a button: the state machine decides which exist, the reader's role which show. */
const BUTTON_OF: Record<TransitionName, OrderAction | 'assign'> = {
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
  reopen: 'reopen',
};

/** Statuses in which a master is on the job and the client may be waiting for them. */
const NUDGEABLE: readonly OrderStatus[] = ['ASSIGNED', 'ACCEPTED', 'IN_PROGRESS', 'LONG_REPAIR'];

export function orderKeyboard(o: VisibleOrder, reader: Principal, t: Translate): InlineKeyboard {
  const staff = isStaff(reader.roles);
  const ownMaster = reader.masterId !== null && o.master_id === reader.masterId;
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
  for (const name of transitionsFrom(o.status)) {
    const who = TRANSITIONS[name].who;
    if (!((who === 'staff' && staff) || (who === 'master' && ownMaster))) continue;
    const action = BUTTON_OF[name];
    if (action === 'assign') {
      add(t(o.master_id === null ? 'button-assign' : 'button-reassign'), encode({ type: 'pickMaster', orderId: o.id, version: o.version, afterId: 0 }));
    } else {
      add(t(`button-${action}`), encode({ type: 'order', action, orderId: o.id, version: o.version }));
    }
  }
  if (staff && o.master_id !== null && NUDGEABLE.includes(o.status)) {
    add(t('button-nudge'), encode({ type: 'order', action: 'nudge', orderId: o.id, version: o.version }));
  }
  add(t('button-refresh'), encode({ type: 'order', action: 'refresh', orderId: o.id, version: o.version }));
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
