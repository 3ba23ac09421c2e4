/** Shapes of the API answers the console reads (see /openapi.json: BoardOrder, ConsoleSession). */
export type Status = 'NEW' | 'ASSIGNED' | 'ACCEPTED' | 'IN_PROGRESS' | 'LONG_REPAIR' | 'COMPLETED' | 'CLOSED' | 'REFUSED';
export type Action = 'assign' | 'unassign' | 'refuse' | 'close' | 'reopen' | 'reschedule' | 'edit';

export interface Order {
  id: number;
  status: Status;
  equipment_type: string;
  description: string;
  client_name: string;
  client_address: string;
  client_phone: string | null;
  notes: string | null;
  scheduled_at: string | null;
  scheduled_note: string | null;
  dispatcher_name: string | null;
  master_id: number | null;
  master_name: string | null;
  total_amount: string | null;
  materials_cost: string | null;
  master_profit: string | null;
  company_profit: string | null;
  prepayment_amount: string | null;
  estimated_completion_date: string | null;
  reschedule_count: number;
  reschedule_reason: string | null;
  refuse_reason: string | null;
  created_at: string;
  status_changed_at: string;
  version: number;
  waiting_since: string;
  sla_due_at: string | null;
  sla_warn_at: string | null;
  actions: Action[];
}

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

export interface MasterLoad {
  id: number;
  name: string;
  specialization: string;
  phone: string;
  assigned: number;
  accepted: number;
  in_progress: number;
  long_repair: number;
  total: number;
  next_visit_at: string | null;
}

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
