import { InlineKeyboard } from 'grammy';
import type { ReminderNotifier, ReminderOrder } from '../scheduler/reminder-jobs.ts';
import { encode } from './callback-data.ts';
import { formatDateTime } from './format.ts';
import { translator, type Translate } from './i18n.ts';
import type { NotifierDeps, Recipient } from './notifier.ts';
import { assignmentKeyboard } from './order-card.ts';

type Message = { text: string; reply_markup?: InlineKeyboard };

/** What the Notifier lends: sending to a person in their language, the order card, and a failure guard. */
export interface NotifierParts {
  send(telegramId: number | null, build: (r: Recipient) => Promise<Message>): Promise<void>;
  /** A master's order message, to their work group and/or private chat. */
  toMaster(masterId: number | null, build: (r: Recipient) => Promise<Message>): Promise<void>;
  card(r: Recipient, order: ReminderOrder): Promise<string>;
  guard(fn: () => Promise<unknown>): Promise<void>;
}

export type ReminderDeps = Pick<NotifierDeps, 'api' | 'services' | 'i18n' | 'equipment' | 'settings'>;

/** Digests list this many orders with a button each; the rest are counted. */
const DIGEST_MAX = 10;

/** "35 мин", "2 ч 5 мин": short forms need no plural rules. */
function duration(t: Translate, minutes: number): string {
  const m = Math.max(0, minutes);
  return m < 60 ? t('reminder-minutes', { minutes: String(m) }) : t('reminder-hours', { hours: String(Math.floor(m / 60)), minutes: String(m % 60) });
}

/**
 * The reminders the scheduler claims, as the bot words them (locales/* /reminders.ftl).
 * Group chats (the dispatchers' group, a master's work group) are written in
 * Russian, the business's language; people in their own.
 */
export class ReminderMessages implements ReminderNotifier {
  private readonly d: ReminderDeps;
  private readonly n: NotifierParts;
  constructor(deps: ReminderDeps, parts: NotifierParts) {
    this.d = deps;
    this.n = parts;
  }

  async remindUnassigned(orders: ReminderOrder[]): Promise<void> {
    const group = await this.d.services.settings.dispatcherChatId();
    if (group !== null) return this.toGroup(group, (t) => this.unassignedDigest(t, orders, 'ru'));
    const dispatchers = await this.staff('DISPATCHER');
    for (const id of dispatchers.length ? dispatchers : await this.staff('ADMIN')) {
      await this.n.send(id, (r) => this.unassignedDigest(r.t, orders, r.principal.language));
    }
  }

  async remindToAccept(orders: ReminderOrder[]): Promise<void> {
    const group = await this.d.services.settings.dispatcherChatId();
    const byDispatcher = new Map<number | null, ReminderOrder[]>();
    for (const o of orders) {
      // In the work group the master is named: the others there see it too.
      await this.n.toMaster(o.master_id, async (r) => ({
        text:
          r.chatId === r.principal.telegramId
            ? `${r.t('reminder-accept', { id: String(o.id), waiting: duration(r.t, o.minutes) })}\n\n${await this.n.card(r, o)}`
            : r.t('reminder-accept-group', {
                id: String(o.id),
                master: o.master_name ?? '',
                waiting: duration(r.t, o.minutes),
                equipment: await this.equipmentName('ru', o),
              }),
        reply_markup: assignmentKeyboard(o, r.t),
      }));
      const key = o.dispatcher_telegram_id;
      byDispatcher.set(key, [...(byDispatcher.get(key) ?? []), o]);
    }
    for (const [dispatcher, list] of byDispatcher) {
      const build = (t: Translate) => this.acceptDigest(t, list);
      // An order with no dispatcher on Telegram (made through the API) is told to the dispatchers' group.
      if (dispatcher !== null) await this.n.send(dispatcher, async (r) => build(r.t));
      else if (group !== null) await this.toGroup(group, async (t) => build(t));
    }
  }

  async remindVisit(orders: ReminderOrder[]): Promise<void> {
    for (const o of orders) {
      await this.n.toMaster(o.master_id, async (r) => ({
        text: `${r.t('reminder-visit', { id: String(o.id), time: formatDateTime(o.scheduled_at!, this.d.settings.timeZone), left: duration(r.t, o.minutes) })}\n\n${await this.n.card(r, o)}`,
        reply_markup: openButtons(r.t, [o]),
      }));
    }
  }

  private async unassignedDigest(t: Translate, orders: ReminderOrder[], language: 'ru' | 'en'): Promise<Message> {
    const name = await this.d.equipment.namer(language);
    const lines = orders
      .slice(0, DIGEST_MAX)
      .map((o) =>
        t('reminder-unassigned-line', { id: String(o.id), equipment: name(o.equipment_type), address: o.client_address, waiting: duration(t, o.minutes) }),
      );
    if (orders.length > DIGEST_MAX) lines.push(t('reminder-more', { count: String(orders.length - DIGEST_MAX) }));
    return {
      text: [t('reminder-unassigned-title', { count: String(orders.length) }), ...lines, '', t('reminder-unassigned-hint')].join('\n'),
      reply_markup: openButtons(t, orders),
    };
  }

  private acceptDigest(t: Translate, orders: ReminderOrder[]): Message {
    const lines = orders
      .slice(0, DIGEST_MAX)
      .map((o) => t('reminder-accept-dispatcher-line', { id: String(o.id), master: o.master_name ?? '', waiting: duration(t, o.minutes) }));
    if (orders.length > DIGEST_MAX) lines.push(t('reminder-more', { count: String(orders.length - DIGEST_MAX) }));
    return { text: [t('reminder-accept-dispatcher-title', { count: String(orders.length) }), ...lines].join('\n'), reply_markup: openButtons(t, orders) };
  }

  private async equipmentName(language: 'ru' | 'en', o: ReminderOrder): Promise<string> {
    return (await this.d.equipment.namer(language))(o.equipment_type);
  }

  private staff(role: 'DISPATCHER' | 'ADMIN'): Promise<number[]> {
    return this.d.services.users.telegramIdsWithRole(role);
  }

  private async toGroup(chatId: number, build: (t: Translate) => Promise<Message>): Promise<void> {
    await this.n.guard(async () => {
      const m = await build(translator(this.d.i18n, 'ru'));
      await this.d.api.sendMessage(chatId, m.text, m.reply_markup ? { reply_markup: m.reply_markup } : {});
    });
  }
}

/** One "open the card" button per order, at most DIGEST_MAX, two to a row. */
function openButtons(t: Translate, orders: ReminderOrder[]): InlineKeyboard {
  const kb = new InlineKeyboard();
  orders.slice(0, DIGEST_MAX).forEach((o, i) => {
    kb.text(t('reminder-open', { id: String(o.id) }), encode({ type: 'card', orderId: o.id }));
    if (i % 2 === 1) kb.row();
  });
  return kb;
}
