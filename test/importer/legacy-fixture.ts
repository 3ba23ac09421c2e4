import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { DatabaseSync, type SQLInputValue } from 'node:sqlite';
import { ddlOf, type LegacySchema } from './legacy-schemas.ts';

/**
 * Builds legacy SQLite files exactly as the Python bot's schema stood after
 * its 5 Alembic migrations (../shared/legacy-schema.md): same tables, types,
 * defaults and the 8 single-column indexes, foreign keys declared but not
 * enforced, plus the derived report tables the importer must ignore.
 */
export const LEGACY_DDL = `
CREATE TABLE alembic_version (version_num VARCHAR(32) NOT NULL PRIMARY KEY);
CREATE TABLE users (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  telegram_id INTEGER UNIQUE NOT NULL,
  username TEXT,
  first_name TEXT,
  last_name TEXT,
  role TEXT NOT NULL DEFAULT 'UNKNOWN',
  created_at TIMESTAMP DEFAULT CURRENT_TIMESTAMP
);
CREATE TABLE masters (
  id INTEGER PRIMARY KEY,
  telegram_id INTEGER UNIQUE NOT NULL REFERENCES users (telegram_id),
  phone TEXT NOT NULL,
  specialization TEXT NOT NULL,
  is_active BOOLEAN DEFAULT 1,
  is_approved BOOLEAN DEFAULT 0,
  work_chat_id INTEGER,
  created_at TIMESTAMP
);
CREATE TABLE orders (
  id INTEGER PRIMARY KEY,
  equipment_type TEXT NOT NULL,
  description TEXT NOT NULL,
  client_name TEXT NOT NULL,
  client_address TEXT NOT NULL,
  client_phone TEXT NOT NULL,
  status TEXT DEFAULT 'NEW',
  assigned_master_id INTEGER REFERENCES masters (id),
  dispatcher_id INTEGER REFERENCES users (telegram_id),
  notes TEXT,
  scheduled_time TEXT,
  total_amount REAL,
  materials_cost REAL,
  master_profit REAL,
  company_profit REAL,
  has_review INTEGER DEFAULT 0,
  out_of_city BOOLEAN,
  estimated_completion_date TEXT,
  prepayment_amount REAL,
  rescheduled_count INTEGER NOT NULL DEFAULT 0,
  last_rescheduled_at DATETIME,
  reschedule_reason TEXT,
  created_at TIMESTAMP,
  updated_at TIMESTAMP
);
CREATE TABLE order_status_history (
  id INTEGER PRIMARY KEY,
  order_id INTEGER NOT NULL REFERENCES orders (id),
  old_status TEXT,
  new_status TEXT NOT NULL,
  changed_by INTEGER,
  changed_at TIMESTAMP,
  notes TEXT
);
CREATE TABLE audit_log (
  id INTEGER PRIMARY KEY,
  user_id INTEGER,
  action TEXT NOT NULL,
  details TEXT,
  timestamp TIMESTAMP
);
CREATE TABLE financial_reports (
  id INTEGER PRIMARY KEY,
  report_type TEXT NOT NULL,
  period_start TIMESTAMP,
  period_end TIMESTAMP,
  total_orders INTEGER DEFAULT 0,
  total_amount REAL DEFAULT 0,
  total_materials_cost REAL DEFAULT 0,
  total_net_profit REAL DEFAULT 0,
  total_company_profit REAL DEFAULT 0,
  total_master_profit REAL DEFAULT 0,
  average_check REAL DEFAULT 0,
  created_at TIMESTAMP DEFAULT CURRENT_TIMESTAMP
);
CREATE TABLE master_financial_reports (
  id INTEGER PRIMARY KEY,
  report_id INTEGER NOT NULL REFERENCES financial_reports (id),
  master_id INTEGER NOT NULL,
  master_name TEXT,
  orders_count INTEGER DEFAULT 0,
  total_amount REAL DEFAULT 0,
  total_net_profit REAL DEFAULT 0,
  total_master_profit REAL DEFAULT 0,
  total_company_profit REAL DEFAULT 0,
  average_check REAL DEFAULT 0,
  reviews_count INTEGER DEFAULT 0,
  out_of_city_count INTEGER DEFAULT 0
);
CREATE TABLE order_reports (
  id INTEGER PRIMARY KEY,
  order_id INTEGER NOT NULL,
  equipment_type TEXT,
  status TEXT,
  master_id INTEGER,
  master_name TEXT,
  dispatcher_id INTEGER,
  total_amount REAL,
  materials_cost REAL,
  master_profit REAL,
  company_profit REAL,
  completion_time_hours REAL,
  created_at TIMESTAMP,
  closed_at TIMESTAMP
);
CREATE INDEX idx_users_telegram_id ON users (telegram_id);
CREATE INDEX idx_users_role ON users (role);
CREATE INDEX idx_masters_telegram_id ON masters (telegram_id);
CREATE INDEX idx_masters_is_approved ON masters (is_approved);
CREATE INDEX idx_orders_status ON orders (status);
CREATE INDEX idx_orders_assigned_master_id ON orders (assigned_master_id);
CREATE INDEX idx_orders_dispatcher_id ON orders (dispatcher_id);
CREATE INDEX idx_audit_log_user_id ON audit_log (user_id);
CREATE INDEX idx_financial_reports_period ON financial_reports (period_start, period_end);
CREATE INDEX idx_order_reports_order_id ON order_reports (order_id);
INSERT INTO alembic_version VALUES ('005_add_reschedule_fields');
`;

export type Row = Record<string, SQLInputValue>;

export interface LegacyData {
  users?: Row[];
  masters?: Row[];
  orders?: Row[];
  order_status_history?: Row[];
  audit_log?: Row[];
  financial_reports?: Row[];
  order_reports?: Row[];
  /** The latest schema's commission rates (beside the two its DDL writes). */
  specialization_rates?: Row[];
}

export function tempPath(name: string): string {
  return path.join(mkdtempSync(path.join(tmpdir(), 'legacy-import-')), name);
}

/** Inserts rows with whatever columns each row names; SQLite keeps each value's own type. */
function insertRows(db: DatabaseSync, table: string, rows: Row[]): void {
  for (const row of rows) {
    const cols = Object.keys(row);
    // Test-only SQL over the fixture's own constant column names.
    db.prepare(`INSERT INTO ${table} (${cols.join(', ')}) VALUES (${cols.map(() => '?').join(', ')})`).run(...cols.map((c) => row[c]!));
  }
}

/** Writes a legacy database file with these rows (of one schema version, the audited one by default) and returns its path. */
export function writeLegacyFile(data: LegacyData, file = tempPath('bot.db'), schema: LegacySchema = 'audited'): string {
  // Python's sqlite3 never turned foreign keys on; node:sqlite does by default.
  const db = new DatabaseSync(file, { enableForeignKeyConstraints: false });
  try {
    db.exec(ddlOf(schema));
    db.exec('BEGIN');
    for (const [table, rows] of Object.entries(data)) insertRows(db, table, rows as Row[]);
    db.exec('COMMIT');
  } finally {
    db.close();
  }
  return file;
}

/** One approved master (legacy id 1) and the user behind it, for orders that need a master. */
export const LEGACY_MASTER = {
  master: {
    id: 1,
    telegram_id: 7002,
    phone: '+79160000009',
    specialization: 'Электрика',
    is_active: 1,
    is_approved: 1,
    created_at: '2025-01-01 09:00:00',
  },
  users: [{ id: 2, telegram_id: 7002, first_name: 'Мастер', role: 'MASTER', created_at: '2025-01-01 09:00:00' }],
};

/** A minimal valid order row; tests override what they look at. */
export function order(id: number, overrides: Row = {}): Row {
  return {
    id,
    equipment_type: 'Стиральные машины',
    description: 'Не отжимает',
    client_name: 'Клиент',
    client_address: 'Москва, Тверская 1',
    client_phone: '+79160000000',
    status: 'NEW',
    created_at: '2024-01-10 09:00:00',
    updated_at: '2024-01-10 09:00:00',
    ...overrides,
  };
}
