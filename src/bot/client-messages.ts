import { InlineKeyboard } from 'grammy';
import type { ClientOrder, DispatchRoute } from '../clients/clients-service.ts';
import { fromKopecks, toKopecks } from '../orders/money.ts';
import type { OrderChange } from '../orders/order-changes.ts';
import type { OrderView } from '../orders/order-view.ts';
import { countClientMessage } from '../telemetry/bot-telemetry.ts';
import { encode } from './callback-data.ts';
import { formatDate, formatDateTime, formatMoney } from './format.ts';
import { translator, type Translate } from './i18n.ts';
import type { NotifierDeps } from './notifier.ts';
import type { NotifierParts } from './reminder-messages.ts';

type Message = { text: string; reply_markup?: InlineKeyboard };
export type ClientDeps = Pick<NotifierDeps, 'api' | 'services' | 'i18n' | 'settings'>;

/** Client buttons: `cl:<verb>:<order>[:<score>]`; parsed by features/client.ts, not the staff parser. */
export const clientButton = {
  cancel: (id: number) => `cl:c:${id}`,
  cancelYes: (id: number) => `cl:cy:${id}`,
  write: (id: number) => `cl:w:${id}`,
  status: (id: number) => `cl:s:${id}`,
  rate: (id: number, score: number) => `cl:r:${id}:${score}`,
};

/** Before the master is on site the client may still cancel. */
const CLIENT_CANCELLABLE = ['NEW', 'ASSIGNED', 'ACCEPTED'] as const;

const firstName = (name: string | null) => (name ?? '').split(' ')[0] ?? '';

/** What is left to pay: the total less what the company took in advance. */
function toPay(o: { total_amount: string | null; prepayment_amount: string | null }, t: Translate): string {
  const left = toKopecks(o.total_amount ?? '0') - toKopecks(o.prepayment_amount ?? '0');
  return formatMoney(fromKopecks(left < 0n ? 0n : left), t);
}

/** The client's view of their order, with what they may do now. */
export function clientCard(t: Translate, o: ClientOrder, equipmentName: string, timeZone: string): Message {
  const lines = [t('client-card', { id: String(o.id), equipment: equipmentName, status: t(`client-status-${o.status}`) })];
  if (o.scheduled_at) lines.push(t('client-card-visit', { time: formatDateTime(o.scheduled_at, timeZone) }));
  else if (o.scheduled_note) lines.push(t('client-card-visit', { time: o.scheduled_note }));
  if (o.master_first_name) lines.push(t('client-card-master', { name: o.master_first_name }));
  if ((o.status === 'COMPLETED' || o.status === 'CLOSED') && o.total_amount) lines.push(t('client-card-pay', { amount: toPay(o, t) }));
  if (o.rating !== null) lines.push(t('client-card-rated', { score: String(o.rating) }));
  const kb = new InlineKeyboard();
  if ((CLIENT_CANCELLABLE as readonly string[]).includes(o.status)) kb.text(t('client-button-cancel'), clientButton.cancel(o.id)).row();
  kb.text(t('client-button-write'), clientButton.write(o.id)).text(t('client-button-refresh'), clientButton.status(o.id));
  return { text: lines.join('\n'), reply_markup: kb };
}

function ratingKeyboard(orderId: number): InlineKeyboard {
  const kb = new InlineKeyboard();
  for (let score = 1; score <= 5; score++) kb.text('★'.repeat(score), clientButton.rate(orderId, score)).row();
  return kb;
}

/**
 * What clients hear about their order, and what the dispatchers hear from
 * clients. Clients get short news in their language for the steps that
 * matter to them; names only (no master's phone). Dispatchers: the order's
 * dispatcher, and the dispatchers' group when one is set; with neither, every
 * dispatcher (or admin).
 */
export class ClientMessages {
  private readonly d: ClientDeps;
  private readonly n: NotifierParts;
  constructor(deps: ClientDeps, parts: NotifierParts) {
    this.d = deps;
    this.n = parts;
  }

  /** Client news for an order change (the client who made it is not told twice). */
  async onChange(change: OrderChange): Promise<void> {
    if (change.action === 'client_cancel') await this.toDispatchers(change.order, (t) => t('client-cancelled-staff', this.vars(t, change.order, change.note)));
    const kind = this.kindOf(change);
    if (!kind) return;
    for (const c of await this.d.services.clients.audience(change.order.id)) {
      if (c.chat_id === change.actor.telegramId) continue;
      const t = translator(this.d.i18n, c.language === 'en' ? 'en' : 'ru');
      const text = t(`client-news-${kind}`, this.vars(t, change.order, change.note));
      await this.n.guard(async () => {
        await this.d.api.sendMessage(c.chat_id, text, kind === 'done' ? { reply_markup: ratingKeyboard(change.order.id) } : {});
        countClientMessage(kind);
      });
    }
  }

  /** A client wrote to the dispatcher about their order. */
  async clientWrote(order: DispatchRoute, client: string, text: string): Promise<void> {
    await this.toDispatchers(order, (t) => t('client-wrote-staff', { id: String(order.id), client, text }));
  }

  /** A low score (1-2) is worth a call back. */
  async lowRating(order: DispatchRoute, score: number, comment: string | null): Promise<void> {
    await this.toDispatchers(order, (t) =>
      t('client-low-rating-staff', { id: String(order.id), score: String(score), master: order.master_name ?? '', comment: comment ?? '—' }),
    );
  }

  /** The master checked in on site: where, with map links, how far from the pinned address, and until when it is followed live. */
  async masterCheckedIn(order: DispatchRoute, links: { yandex: string; google: string }, distance: number | null, liveUntil: string | null): Promise<void> {
    await this.toDispatchers(order, (t) =>
      [
        t('places-checked-in-staff', { id: String(order.id), master: order.master_name ?? '' }),
        distance === null ? null : t('places-distance', { metres: String(distance) }),
        liveUntil === null ? null : t('places-live-staff', { until: formatDateTime(liveUntil, this.d.settings.timeZone) }),
        `${links.yandex}\n${links.google}`,
      ]
        .filter(Boolean)
        .join('\n'),
    );
  }

  private kindOf(change: OrderChange): string | null {
    switch (change.action) {
      case 'assign':
        return 'assigned';
      case 'accept':
        return 'accepted';
      case 'arrive':
        return change.from === 'LONG_REPAIR' ? null : 'on-site';
      case 'reschedule':
        return change.order.scheduled_at ? 'rescheduled' : null;
      case 'long_repair':
        return 'long-repair';
      case 'complete':
        return 'done';
      case 'refuse':
        return 'refused';
      case 'unassign':
      case 'decline':
        return 'master-changing';
      case 'reopen':
        return 'reopened';
      default:
        return null;
    }
  }

  private vars(t: Translate, o: OrderView, note: string | null): Record<string, string> {
    return {
      id: String(o.id),
      master: firstName(o.master_name),
      time: o.scheduled_at ? formatDateTime(o.scheduled_at, this.d.settings.timeZone) : t('client-time-unknown'),
      eta: o.estimated_completion_date ? formatDate(o.estimated_completion_date) : t('client-time-unknown'),
      amount: toPay(o, t),
      reason: note ?? '—',
    };
  }

  private async toDispatchers(order: DispatchRoute, text: (t: Translate) => string): Promise<void> {
    const group = await this.d.services.settings.dispatcherChatId();
    if (group !== null) {
      await this.n.guard(() => this.d.api.sendMessage(group, text(translator(this.d.i18n, 'ru'))));
    }
    let people = order.dispatcher_telegram_id !== null ? [order.dispatcher_telegram_id] : [];
    if (people.length === 0 && group === null) {
      people = await this.d.services.users.telegramIdsWithRole('DISPATCHER');
      if (people.length === 0) people = await this.d.services.users.telegramIdsWithRole('ADMIN');
    }
    const open = (t: Translate) => new InlineKeyboard().text(t('button-open'), encode({ type: 'card', orderId: order.id }));
    for (const id of people) await this.n.send(id, async (r) => ({ text: text(r.t), reply_markup: open(r.t) }));
  }
}
