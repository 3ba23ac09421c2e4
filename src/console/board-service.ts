import type { Database } from '../db/database.ts';
import type { OrderStatus } from '../db/enums.ts';
import { NotFoundError, ValidationError } from '../errors.ts';
import type { OrderView } from '../orders/order-view.ts';
import type { OrdersService } from '../orders/orders-service.ts';
import { actionsFrom, type ActionName } from '../orders/order-actions.ts';
import { inSet, slaMinutesOf, STATUS_SETS } from '../orders/order-statuses.ts';
import { requireStaff, type Principal } from '../users/principal.ts';
import { CONSOLE_ACTIONS, type ConsoleAction } from './console-actions.ts';
import { countBoardOrders, listBoardOrders, listMastersLoad, listTimelineOrders, listUntimedOrders, type BoardQuery, type MasterLoad } from './board.sql.ts';

/** The board's columns: the open statuses, in the order work flows through them (the enum's). */
const BOARD_STATUSES = STATUS_SETS.open;

// An action renamed or removed in order-actions.ts is a compile error here.
const consoleActionsAreActions: readonly ActionName[] = CONSOLE_ACTIONS;
void consoleActionsAreActions;

/** An order as the console shows it: when its SLA clock started and when it turns amber and red. */
export type BoardOrder = OrderView & {
  /** When waiting began: entering the status, or the visit time when that is later (may lie ahead). */
  waiting_since: string;
  /** Past this it breaches its status SLA; null for statuses without one. */
  sla_due_at: string | null;
  /** Past this it is close to breaching (three quarters of the limit). */
  sla_warn_at: string | null;
  actions: ConsoleAction[];
};

export interface BoardView {
  date: string;
  masterId: number | null;
  equipmentType: string | null;
}

export interface Board {
  date: string;
  today: string;
  time_zone: string;
  now: string;
  columns: Array<{ status: OrderStatus; total: number; items: BoardOrder[] }>;
}

/** A local calendar date (YYYY-MM-DD) of an instant in a time zone. */
function localDate(instant: Date | string, timeZone: string): string {
  return new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' }).format(new Date(instant));
}

const iso = (ms: number) => new Date(ms).toISOString();

/** Adds the SLA clock and the console's actions to an order (the rules of sla.ts and transitions.ts). */
export function toBoardOrder(o: OrderView): BoardOrder {
  const entered = Date.parse(o.status_changed_at);
  const visit = o.scheduled_at ? Date.parse(o.scheduled_at) : Number.NEGATIVE_INFINITY;
  const since = Math.max(entered, visit);
  const limitMinutes = slaMinutesOf(o.status) ?? undefined;
  const actions = actionsFrom(o.status).filter((n): n is ConsoleAction => (CONSOLE_ACTIONS as readonly string[]).includes(n));
  return {
    ...o,
    waiting_since: iso(since),
    sla_due_at: limitMinutes === undefined ? null : iso(since + limitMinutes * 60_000),
    sla_warn_at: limitMinutes === undefined ? null : iso(since + limitMinutes * 45_000),
    actions,
  };
}

/**
 * The dispatcher's day: open orders due on a date (visit time, or creation
 * for an order without one) as columns by status; today's board also
 * carries every open order due earlier, since that work is still waiting.
 * Masters' load and masters' day read the same way. Staff only.
 */
export class BoardService {
  private readonly db: Database;
  private readonly orders: OrdersService;
  readonly timeZone: string;
  constructor(db: Database, orders: OrdersService, timeZone: string) {
    this.db = db;
    this.orders = orders;
    this.timeZone = timeZone;
  }

  today(now = new Date()): string {
    return localDate(now, this.timeZone);
  }

  private query(view: BoardView): BoardQuery {
    return { date: view.date, timeZone: this.timeZone, carryOver: view.date === this.today(), masterId: view.masterId, equipmentType: view.equipmentType };
  }

  async board(actor: Principal, view: BoardView, perColumn = 100): Promise<Board> {
    requireStaff(actor);
    const q = this.query(view);
    const [items, counts] = await Promise.all([listBoardOrders(this.db, q, BOARD_STATUSES, perColumn), countBoardOrders(this.db, q)]);
    const now = new Date();
    return {
      date: view.date,
      today: this.today(now),
      time_zone: this.timeZone,
      now: now.toISOString(),
      columns: BOARD_STATUSES.map((status) => ({
        status,
        total: counts.find((c) => c.status === status)?.orders ?? 0,
        items: items.filter((o) => o.status === status).map(toBoardOrder),
      })),
    };
  }

  /** Whether an order belongs on a board view right now: the SQL's rule, for one order the live stream announces. */
  onBoard(o: OrderView & { deleted?: boolean }, view: BoardView, now = new Date()): boolean {
    if (o.deleted || !inSet('open', o.status)) return false;
    if (view.masterId !== null && o.master_id !== view.masterId) return false;
    if (view.equipmentType !== null && o.equipment_type !== view.equipmentType) return false;
    const due = localDate(o.scheduled_at ?? o.created_at, this.timeZone);
    return due === view.date || (view.date === this.today(now) && due < view.date);
  }

  async mastersLoad(actor: Principal, date: string): Promise<{ date: string; masters: MasterLoad[] }> {
    requireStaff(actor);
    return { date, masters: await listMastersLoad(this.db, date, this.timeZone, date === this.today()) };
  }

  /** Each master's visits over `days` days from `date`, and their open orders with no time yet. */
  async timeline(actor: Principal, date: string, days: number) {
    requireStaff(actor);
    const [timed, untimed, load] = await Promise.all([
      listTimelineOrders(this.db, date, this.timeZone, days, 2000),
      listUntimedOrders(this.db, 500),
      listMastersLoad(this.db, date, this.timeZone, date === this.today()),
    ]);
    const dates = Array.from({ length: days }, (_, i) => addDays(date, i));
    const lanes = new Map<number, { id: number; name: string; specialization: string; orders: BoardOrder[]; untimed: BoardOrder[] }>();
    const lane = (id: number, name: string, specialization = '') => {
      let l = lanes.get(id);
      if (!l) lanes.set(id, (l = { id, name, specialization, orders: [], untimed: [] }));
      return l;
    };
    for (const m of load) lane(m.id, m.name, m.specialization);
    for (const o of timed) lane(o.master_id!, o.master_name ?? '').orders.push(toBoardOrder(o));
    for (const o of untimed) lane(o.master_id!, o.master_name ?? '').untimed.push(toBoardOrder(o));
    return { date, dates, time_zone: this.timeZone, now: new Date().toISOString(), masters: [...lanes.values()] };
  }

  /** One order with its SLA clock and actions (a card opened from search or a link). */
  async order(actor: Principal, id: number): Promise<BoardOrder> {
    requireStaff(actor);
    return toBoardOrder((await this.orders.get(actor, id)) as OrderView);
  }

  /**
   * Search as dispatchers type it: "#123" or "№123" is an order number; bare
   * digits short enough to be one are tried as a number and as a phone;
   * anything else goes to the orders search (phone, address, name).
   */
  async search(actor: Principal, q: string): Promise<BoardOrder[]> {
    requireStaff(actor);
    const text = q.trim();
    const number = /^[#№]\s*(\d{1,15})$/.exec(text)?.[1] ?? (/^\d{1,7}$/.test(text) ? text : null);
    const byNumber =
      number === null
        ? null
        : await this.orders.get(actor, Number(number)).catch((err: unknown) => {
            if (err instanceof NotFoundError) return null;
            throw err;
          });
    if (number !== null && /^[#№]/.test(text)) return byNumber ? [toBoardOrder(byNumber as OrderView)] : [];
    let found: OrderView[] = [];
    try {
      found = await this.orders.search(actor, text, 20);
    } catch (err) {
      // Too short for a text search, but it may still have been a number.
      if (!(err instanceof ValidationError) || number === null) throw err;
    }
    const rest = found.filter((o) => o.id !== byNumber?.id);
    return [...(byNumber ? [byNumber as OrderView] : []), ...rest].map(toBoardOrder);
  }
}

/** YYYY-MM-DD plus n calendar days. */
export function addDays(date: string, n: number): string {
  const d = new Date(`${date}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + n);
  return d.toISOString().slice(0, 10);
}
