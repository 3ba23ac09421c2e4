/**
 * Notifier: messages the bot sends on its own, not as a reply. Where each
 * goes (a master's work group, the dispatchers' group, private chats) is
 * decided by ChatRouting (chat-routing.ts).
 *
 *   onChange(change)              subscribed to services.changes by createBot: everyone concerned
 *                                 by an order change hears of it, the actor aside, one change
 *                                 after another per order (OrderChangeMessages)
 *   slaBreached(order, minutes)   to the dispatchers                     (SchedulerNotifier)
 *   reminders                     unassigned orders, assignments not accepted, visits coming up
 *                                 (ReminderNotifier, see reminder-messages.ts)
 *   backups                       the daily backup's size, or its failure, to every admin
 *   sendPeriodReport(p, s, m)     to every admin: text and XLSX file     (SchedulerNotifier)
 *   nudgeMaster(order)            "the client is waiting" to the master
 *   clients                       the order's clients hear of its progress; dispatchers hear
 *                                 from clients (ClientMessages, see client-messages.ts)
 *   onPersonChange(change)        subscribed to services.people by createBot: a person hears of
 *                                 their roles, and a master of being registered, approved,
 *                                 (de)activated, whichever edge made the change (PeopleMessages)
 *   sendReport(chatId, file, caption?)  any document to any chat
 *
 * Sends go through the bot's API client (throttled, 429s retried). Called
 * while a bot update is handled, the sends wait for its commit; a change
 * made elsewhere (HTTP API) is announced at once. A failed send is logged
 * and never fails the caller.
 */
import { InlineKeyboard, InputFile, type Api } from 'grammy';
import type { I18n } from '@grammyjs/i18n';
import type { OrderChange } from '../orders/order-changes.ts';
import type { VisibleOrder } from '../orders/order-access.ts';
import type { OrderView } from '../orders/order-view.ts';
import type { MasterFigures, Summary } from '../reports/reports-service.ts';
import type { SchedulerNotifier } from '../scheduler/jobs.ts';
import type { ReportPeriod } from '../scheduler/periods.ts';
import type { Services } from '../services.ts';
import type { Logger } from '../telemetry/logger.ts';
import type { PersonChange } from '../users/people-changes.ts';
import type { Principal } from '../users/principal.ts';
import type { ReplyKeyboardMarkup, ReplyKeyboardRemove } from 'grammy/types';
import type { BotContext, BotSettings } from './bot-context.ts';
import type { Equipment } from './equipment.ts';
import { safeError } from './error-boundary.ts';
import { SummaryMessages } from './summary-messages.ts';
import { formatDate } from './format.ts';
import type { Translate } from './i18n.ts';
import { orderCardText, statusName } from './order-card.ts';
import { currentOutbox, detached, type Pending } from './outbox.ts';
import { BackupMessages } from './backup-messages.ts';
import { ChatRouting } from './chat-routing.ts';
import { ClientMessages } from './client-messages.ts';
import { OrderChangeMessages, openButton } from './order-change-messages.ts';
import { PeopleMessages } from './people-messages.ts';
import { ReminderMessages } from './reminder-messages.ts';
import { reportFile, reportFileName, reportText } from './report-text.ts';

export type Message = { text: string; reply_markup?: InlineKeyboard | ReplyKeyboardMarkup | ReplyKeyboardRemove };

export interface Recipient {
  chatId: number;
  principal: Principal;
  t: Translate;
}

/** The dispatchers' group (no principal: written in Russian) or one of them privately. */
export type DispatchersChat = Omit<Recipient, 'principal'> & { principal: Principal | null };

export interface NotifierDeps {
  api: Api;
  services: Services;
  i18n: I18n<BotContext>;
  equipment: Equipment;
  settings: BotSettings;
  logger: Logger;
  pending: Pending;
}

export class Notifier implements SchedulerNotifier {
  private readonly d: NotifierDeps;
  readonly reminders: ReminderMessages;
  readonly backups: BackupMessages;
  readonly summaries: SummaryMessages;
  private readonly routing: ChatRouting;
  readonly clients: ClientMessages;
  readonly people: PeopleMessages;
  private readonly orders: OrderChangeMessages;
  constructor(deps: NotifierDeps) {
    this.d = deps;
    this.routing = new ChatRouting(deps.services, deps.i18n);
    const parts = {
      send: this.send.bind(this),
      sendTo: this.sendTo.bind(this),
      toMaster: this.toMaster.bind(this),
      card: this.card.bind(this),
      guard: this.guard.bind(this),
    };
    this.reminders = new ReminderMessages(deps, parts);
    this.backups = new BackupMessages(deps.services, parts);
    this.summaries = new SummaryMessages(deps.services, deps.equipment, parts);
    this.clients = new ClientMessages(deps, parts);
    this.people = new PeopleMessages(deps, parts);
    this.orders = new OrderChangeMessages(deps, {
      ...parts,
      masterChats: (masterId) => this.routing.master(masterId),
      toDispatchers: this.toDispatchers.bind(this),
      clients: this.clients,
    });
  }

  /** services.changes listener: announced after the commit that made the change. */
  readonly onChange = (change: OrderChange): void => {
    this.afterUpdate(() => this.inOrder(change.order.id, () => this.orders.announce(change)));
  };

  /** services.people listener: the person is told after the commit that made the change. */
  readonly onPersonChange = (change: PersonChange): void => {
    this.afterUpdate(() => this.people.tell(change));
  };

  /** Inside a bot update, after its commit with its replies; a change made elsewhere (HTTP API), at once. */
  private afterUpdate(work: () => Promise<void>): void {
    const outbox = currentOutbox();
    if (outbox) outbox.hold(work);
    else this.d.pending.track(detached(work));
  }

  /** An order's announcements one after another: "accepted" never arrives after "on site". */
  private readonly queues = new Map<number, Promise<void>>();
  private inOrder(orderId: number, fn: () => Promise<void>): Promise<void> {
    const next = (this.queues.get(orderId) ?? Promise.resolve()).then(fn, fn);
    this.queues.set(orderId, next);
    const forget = () => {
      if (this.queues.get(orderId) === next) this.queues.delete(orderId);
    };
    next.then(forget, forget);
    return next;
  }

  /**
   * To the dispatchers' group; without one, to every admin and dispatcher
   * privately ('or-everyone', for what somebody must pick up) or to nobody
   * ('group-only', for what the order's own dispatcher already hears).
   */
  private async toDispatchers(except: number | null, build: (r: DispatchersChat) => Promise<Message>, without: 'or-everyone' | 'group-only'): Promise<void> {
    const chats = await this.routing.dispatchers(except);
    if (without === 'group-only' && chats.some((c) => c.principal !== null)) return;
    for (const r of chats) {
      await this.guard(async () => {
        const m = await build(r);
        await this.d.api.sendMessage(r.chatId, m.text, m.reply_markup ? { reply_markup: m.reply_markup } : {});
      });
    }
  }

  /** A master's order message, to their work group and/or private chat (see ChatRouting). */
  private async toMaster(masterId: number | null, build: (r: Recipient) => Promise<Message>): Promise<void> {
    for (const r of await this.routing.master(masterId)) await this.sendTo(r, build);
  }

  async slaBreached(order: OrderView, limitMinutes: number): Promise<void> {
    await this.toDispatchers(
      null,
      async (r) => ({
        text: r.t('notify-sla', { id: String(order.id), status: statusName(r.t, order.status), hours: String(Math.round(limitMinutes / 6) / 10) }),
        reply_markup: openButton(r.t, order.id),
      }),
      'or-everyone',
    );
  }

  /** A long repair past its expected date: the dispatchers (their group, else each one) hear of it. */
  async etaOverdue(order: OrderView): Promise<void> {
    const vars = {
      id: String(order.id),
      date: order.estimated_completion_date ? formatDate(order.estimated_completion_date) : '—',
      master: order.master_name ?? '—',
    };
    await this.toDispatchers(null, async (r) => ({ text: r.t('notify-eta-overdue', vars), reply_markup: openButton(r.t, order.id) }), 'or-everyone');
  }

  /** "The client is waiting": the master gets the client's phone (that is the point), the dispatchers' group hears of it. */
  async nudgeMaster(
    order: Pick<VisibleOrder, 'id' | 'master_id' | 'master_name' | 'client_name' | 'client_phone' | 'client_address'>,
    actor: Principal,
  ): Promise<void> {
    const vars = { id: String(order.id), client: order.client_name, phone: order.client_phone ?? '-', address: order.client_address };
    await this.toMaster(order.master_id, async (r) => ({ text: r.t('notify-nudge', vars), reply_markup: openButton(r.t, order.id) }));
    const told = { id: String(order.id), master: order.master_name ?? '', actor: actor.name };
    await this.toDispatchers(actor.telegramId, async (r) => ({ text: r.t('notify-nudged', told), reply_markup: openButton(r.t, order.id) }), 'group-only');
  }

  /** Resolves with how many admins it was for: 0 tells the job to keep the period due. */
  async sendPeriodReport(period: ReportPeriod, summary: Summary, masters: MasterFigures[]): Promise<number> {
    const admins = await this.d.services.users.telegramIdsWithRole('ADMIN');
    if (admins.length === 0) return 0;
    const first = await this.recipient(admins[0]!);
    const file = first ? await reportFile(this.d.services.reports, first.principal, period) : null;
    // Weekly and monthly reports come with their chart (orders and revenue by day, masters' shares).
    const chart = first && period.kind !== 'day' ? await this.d.services.workbooks.chart(first.principal, period) : null;
    for (const admin of admins) {
      await this.send(admin, async (r) => ({ text: reportText(r.t, period.label, summary, masters) }));
      if (file) await this.sendReport(admin, { filename: reportFileName(period.label), data: file });
      if (chart) await this.guard(() => this.d.api.sendPhoto(admin, new InputFile(chart, 'chart.png')));
    }
    return admins.length;
  }

  async sendReport(chatId: number, file: { filename: string; data: Buffer }, caption?: string): Promise<void> {
    await this.guard(() => this.d.api.sendDocument(chatId, new InputFile(file.data, file.filename), caption ? { caption } : {}));
  }

  private async card(r: Recipient, order: OrderView): Promise<string> {
    const equipmentName = await this.d.equipment.namer(r.principal.language);
    return orderCardText(this.d.services.orders.asSeenBy(r.principal, order), { t: r.t, equipmentName, timeZone: this.d.settings.timeZone });
  }

  private recipient(telegramId: number): Promise<Recipient | null> {
    return this.routing.person(telegramId);
  }

  private async send(telegramId: number | null, build: (r: Recipient) => Promise<Message>): Promise<void> {
    if (telegramId === null) return;
    await this.guard(async () => {
      const r = await this.recipient(telegramId);
      if (r) await this.deliver(r, build);
    });
  }

  /** To a chat already resolved (a work group, or a private chat). */
  private async sendTo(r: Recipient, build: (r: Recipient) => Promise<Message>): Promise<void> {
    await this.guard(() => this.deliver(r, build));
  }

  private async deliver(r: Recipient, build: (r: Recipient) => Promise<Message>): Promise<void> {
    const m = await build(r);
    await this.d.api.sendMessage(r.chatId, m.text, m.reply_markup ? { reply_markup: m.reply_markup } : {});
  }

  private async guard(fn: () => Promise<unknown>): Promise<void> {
    try {
      await fn();
    } catch (err) {
      // A person who blocked the bot must not stop the others from hearing.
      this.d.logger.warn({ err: safeError(err) }, 'notification not delivered');
    }
  }
}
