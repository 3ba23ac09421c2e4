import { InlineKeyboard } from 'grammy';
import { mapLinks } from '../places/map-links.ts';
import type { OrderChange } from '../orders/order-changes.ts';
import type { OrderView } from '../orders/order-view.ts';
import type { Principal } from '../users/principal.ts';
import { encode } from './callback-data.ts';
import type { ClientMessages } from './client-messages.ts';
import { formatDate, formatMoney, formatVisit } from './format.ts';
import type { Translate } from './i18n.ts';
import type { DispatchersChat, Message, NotifierDeps, Recipient } from './notifier.ts';
import { assignmentKeyboard, statusName } from './order-card.ts';

/** What the Notifier lends: where messages go (ChatRouting) and how they are sent. */
export interface OrderChangeParts {
  send(telegramId: number | null, build: (r: Recipient) => Promise<Message>): Promise<void>;
  sendTo(r: Recipient, build: (r: Recipient) => Promise<Message>): Promise<void>;
  masterChats(masterId: number | null): Promise<Recipient[]>;
  toDispatchers(except: number | null, build: (r: DispatchersChat) => Promise<Message>, without: 'or-everyone' | 'group-only'): Promise<void>;
  card(r: Recipient, order: OrderView): Promise<string>;
  clients: ClientMessages;
}

/**
 * Everyone concerned by an order change hears of it: a new order is
 * announced to the dispatchers, the new master gets the card with
 * Accept/Decline, a master who lost the order is told, the dispatcher and
 * the master hear of each status change, the dispatchers of a reopening,
 * the order's clients of what matters to them. The actor is not told.
 */
export class OrderChangeMessages {
  private readonly d: Pick<NotifierDeps, 'equipment' | 'settings' | 'services'>;
  private readonly n: OrderChangeParts;
  constructor(deps: Pick<NotifierDeps, 'equipment' | 'settings' | 'services'>, parts: OrderChangeParts) {
    this.d = deps;
    this.n = parts;
  }

  async announce(change: OrderChange): Promise<void> {
    if (change.action === 'edit' || change.action === 'delete' || change.action === 'restore') return;
    const o = change.order;
    if (change.action === 'create') return this.n.toDispatchers(change.actor.telegramId, (r) => this.newOrder(r, o), 'or-everyone');
    const told = new Set<number | null>([null, change.actor.telegramId]);
    const tell = async (telegramId: number | null, build: (r: Recipient) => Promise<Message>) => {
      if (told.has(telegramId)) return;
      told.add(telegramId);
      await this.n.send(telegramId, build);
    };
    const tellMaster = async (masterId: number | null, build: (r: Recipient) => Promise<Message>) => {
      const chats = await this.n.masterChats(masterId);
      if (chats.length === 0 || told.has(chats[0]!.principal.telegramId)) return;
      told.add(chats[0]!.principal.telegramId);
      for (const r of chats) await this.n.sendTo(r, build);
    };
    if (change.previousMasterId !== null && change.previousMasterId !== o.master_id) {
      await tellMaster(change.previousMasterId, async (r) => ({ text: r.t('notify-taken-away', { id: String(o.id) }) }));
    }
    if (change.action === 'assign') {
      // In a work group the master is named: the others there read it too.
      await tellMaster(o.master_id, async (r) => ({
        text: `${r.chatId === r.principal.telegramId ? r.t('notify-assigned') : r.t('notify-assigned-group', { name: r.principal.name })}\n\n${await this.n.card(r, o)}`,
        reply_markup: await this.assignmentButtons(r, o),
      }));
    }
    const line = async (r: Recipient) => ({ text: this.changeLine(r.t, change), reply_markup: openButton(r.t, o.id) });
    // A client's cancel reaches the dispatchers through ClientMessages (their group too).
    if (change.action !== 'client_cancel') await tell(o.dispatcher_telegram_id, line);
    await tellMaster(o.master_id, line);
    // A reopened order needs the dispatchers again.
    if (change.action === 'reopen') await this.n.toDispatchers(change.actor.telegramId, (r) => line(r as Recipient), 'group-only');
    await this.n.clients.onChange(change);
  }

  /** Accept / Decline, and the way there: a master on the road opens the map from the message itself. */
  private async assignmentButtons(r: Recipient, o: OrderView): Promise<InlineKeyboard> {
    const { pin } = await this.d.services.places.ofShown(r.principal, o);
    const maps = mapLinks(pin ?? o.client_address);
    return assignmentKeyboard(o, r.t).row().url(r.t('button-map-yandex'), maps.yandex).url(r.t('button-map-google'), maps.google);
  }

  private async newOrder(r: { t: Translate; principal: Principal | null }, o: OrderView): Promise<Message> {
    const equipmentName = await this.d.equipment.namer(r.principal?.language ?? 'ru');
    return {
      text: r.t('notify-new-order', {
        id: String(o.id),
        equipment: equipmentName(o.equipment_type),
        address: o.client_address,
        actor: o.dispatcher_name ?? '',
      }),
      reply_markup: openButton(r.t, o.id),
    };
  }

  private changeLine(t: Translate, c: OrderChange): string {
    const o = c.order;
    const vars: Record<string, string> = {
      id: String(o.id),
      actor: c.actor.name,
      from: c.from ? statusName(t, c.from) : '',
      to: statusName(t, c.to),
      master: o.master_name ?? '',
      reason: c.note ?? '',
      eta: o.estimated_completion_date ? formatDate(o.estimated_completion_date) : '',
      time: o.scheduled_at ? formatVisit(o.scheduled_at, o.scheduled_until, this.d.settings.timeZone) : '',
      total: formatMoney(o.total_amount ?? '0', t),
      share: formatMoney(o.master_profit ?? '0', t),
      fee: o.refusal_fee ? formatMoney(o.refusal_fee, t) : t('client_refused-no-fee'),
    };
    return t(`notify-${c.action.replace('_', '-')}`, vars);
  }
}

export function openButton(t: Translate, orderId: number): InlineKeyboard {
  return new InlineKeyboard().text(t('button-open'), encode({ type: 'card', orderId }));
}
