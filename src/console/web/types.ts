import type { OrderStatus } from '../../db/enums.ts';
import type { StatusesWhere } from '../../orders/order-statuses.ts';
import type { BOT_ONLY_COLUMNS, OrderView } from '../../orders/order-view.ts';
import type { ConsoleAction } from '../console-actions.ts';

/**
 * Shapes of the API answers the console reads (see /openapi.json: BoardOrder,
 * ConsoleSession). Statuses, actions and the order's columns are the server's
 * own declarations, imported as types only (nothing of them reaches the
 * bundle), so a new status or field reaches the console through the compiler.
 */
export type Status = OrderStatus;
export type Action = ConsoleAction;

/** An order as the console reads it: the API's order (no bot-only columns; the phone may be withheld) plus the board's SLA clock. */
export type Order = Omit<OrderView, 'client_phone' | (typeof BOT_ONLY_COLUMNS)[number]> & {
  client_phone: string | null;
  waiting_since: string;
  sla_due_at: string | null;
  sla_warn_at: string | null;
  actions: Action[];
};

interface Column {
  status: Status;
  total: number;
  items: Order[];
}

export interface Board {
  date: string;
  today: string;
  now: string;
  columns: Column[];
}

/** A master's load: one count per status of the server's masterLoad set (assigned, accepted, ...). */
export type MasterLoad = Record<Lowercase<StatusesWhere<'masterLoad'>>, number> & {
  id: number;
  name: string;
  specialization: string;
  phone: string;
  total: number;
  next_visit_at: string | null;
};

export interface Lane {
  id: number;
  name: string;
  specialization: string;
  orders: Order[];
  untimed: Order[];
}

export interface Timeline {
  dates: string[];
  now: string;
  masters: Lane[];
}

export interface Session {
  user: { name: string; roles: string[]; telegram_id: number | null };
  language: 'ru' | 'en';
  csrf_token: string;
  expires_at: string;
  time_zone: string;
  today: string;
}

export interface EquipmentType {
  code: string;
  /** Plural, for menus and filters ("Стиральные машины"). */
  name_ru: string;
  name_en: string;
  /** One appliance, as an order names it ("Стиральная машина"). */
  singular_ru: string;
  singular_en: string;
  is_active: boolean;
}

export interface HistoryEntry {
  id: number;
  old_status: Status | null;
  new_status: Status;
  actor_name: string | null;
  changed_at: string;
  note: string | null;
}

export interface View {
  date: string;
  masterId: number | null;
  equipmentType: string | null;
}
