import { LEGACY_DDL } from './legacy-fixture.ts';

/**
 * The legacy file's schema versions (../shared/legacy-schema.md), as DDL:
 * - early: only what app/database/db.py creates, none of the later Alembic
 *   columns; users.role may be NULL;
 * - audited: the schema after its 5 migrations (LEGACY_DDL);
 * - mid: soft deletes and versions everywhere, orders rebuilt with the status
 *   CHECK and master_lead_name, entity_history, master_report_archives,
 *   order_group_messages and a leftover _alembic_tmp_audit_log;
 * - latest (v2.10): plus orders.refuse_reason, the role CHECK with
 *   SENIOR_MASTER, specialization_rates and the lead parser's tables.
 */
export type LegacySchema = 'early' | 'audited' | 'mid' | 'latest';

const EARLY_DDL = `
CREATE TABLE users (id INTEGER PRIMARY KEY AUTOINCREMENT, telegram_id INTEGER UNIQUE NOT NULL, username TEXT,
  first_name TEXT, last_name TEXT, role TEXT, created_at TIMESTAMP DEFAULT CURRENT_TIMESTAMP);
CREATE TABLE masters (id INTEGER PRIMARY KEY, telegram_id INTEGER UNIQUE NOT NULL, phone TEXT NOT NULL,
  specialization TEXT NOT NULL, is_active BOOLEAN DEFAULT 1, is_approved BOOLEAN DEFAULT 0, work_chat_id INTEGER,
  created_at TIMESTAMP);
CREATE TABLE orders (id INTEGER PRIMARY KEY, equipment_type TEXT NOT NULL, description TEXT NOT NULL,
  client_name TEXT NOT NULL, client_address TEXT NOT NULL, client_phone TEXT NOT NULL, status TEXT DEFAULT 'NEW',
  assigned_master_id INTEGER, dispatcher_id INTEGER, notes TEXT, scheduled_time TEXT, total_amount REAL,
  materials_cost REAL, master_profit REAL, company_profit REAL, has_review INTEGER DEFAULT 0,
  created_at TIMESTAMP, updated_at TIMESTAMP);
CREATE TABLE order_status_history (id INTEGER PRIMARY KEY, order_id INTEGER NOT NULL, old_status TEXT,
  new_status TEXT NOT NULL, changed_by INTEGER, changed_at TIMESTAMP, notes TEXT);
CREATE TABLE audit_log (id INTEGER PRIMARY KEY, user_id INTEGER, action TEXT NOT NULL, details TEXT, timestamp TIMESTAMP);
`;

const MID_DDL = `
ALTER TABLE users ADD COLUMN deleted_at DATETIME;
ALTER TABLE users ADD COLUMN version INTEGER NOT NULL DEFAULT 1;
ALTER TABLE masters ADD COLUMN deleted_at DATETIME;
ALTER TABLE masters ADD COLUMN version INTEGER NOT NULL DEFAULT 1;
ALTER TABLE audit_log ADD COLUMN deleted_at DATETIME;
ALTER TABLE order_status_history ADD COLUMN deleted_at DATETIME;
DROP TABLE orders;
CREATE TABLE orders (
  id INTEGER PRIMARY KEY, equipment_type TEXT NOT NULL, description TEXT NOT NULL, client_name TEXT NOT NULL,
  client_address TEXT NOT NULL, client_phone TEXT NOT NULL, status TEXT NOT NULL DEFAULT 'NEW',
  assigned_master_id INTEGER REFERENCES masters (id), dispatcher_id INTEGER REFERENCES users (telegram_id),
  master_lead_name TEXT, notes TEXT, scheduled_time TEXT, total_amount REAL, materials_cost REAL, master_profit REAL,
  company_profit REAL, has_review INTEGER DEFAULT 0, out_of_city BOOLEAN, estimated_completion_date TEXT,
  prepayment_amount REAL, rescheduled_count INTEGER NOT NULL DEFAULT 0, last_rescheduled_at DATETIME,
  reschedule_reason TEXT, created_at TIMESTAMP, updated_at TIMESTAMP, deleted_at DATETIME,
  version INTEGER NOT NULL DEFAULT 1,
  CONSTRAINT chk_orders_status CHECK (status IN ('NEW', 'ASSIGNED', 'ACCEPTED', 'ONSITE', 'CLOSED', 'REFUSED', 'DR'))
);
CREATE TABLE entity_history (id INTEGER PRIMARY KEY, table_name TEXT NOT NULL, record_id INTEGER NOT NULL,
  field_name TEXT NOT NULL, old_value TEXT, new_value TEXT, changed_by INTEGER, changed_at DATETIME);
CREATE TABLE master_report_archives (id INTEGER PRIMARY KEY, master_id INTEGER NOT NULL, period_start DATETIME,
  period_end DATETIME, file_path TEXT, file_name TEXT, file_size INTEGER, total_orders INTEGER, created_at DATETIME);
CREATE TABLE order_group_messages (id INTEGER PRIMARY KEY, order_id INTEGER NOT NULL, master_id INTEGER NOT NULL,
  chat_id INTEGER NOT NULL, message_id INTEGER NOT NULL, is_active BOOLEAN DEFAULT 1, created_at DATETIME, deleted_at DATETIME);
CREATE TABLE _alembic_tmp_audit_log (id INTEGER PRIMARY KEY, user_id INTEGER, action TEXT, details TEXT, timestamp DATETIME);
`;

const LATEST_DDL = `
ALTER TABLE orders ADD COLUMN refuse_reason TEXT;
CREATE TABLE specialization_rates (id INTEGER PRIMARY KEY AUTOINCREMENT, specialization_name VARCHAR(255) NOT NULL UNIQUE,
  master_percentage FLOAT NOT NULL, company_percentage FLOAT NOT NULL, is_default BOOLEAN NOT NULL DEFAULT 0,
  created_at DATETIME DEFAULT CURRENT_TIMESTAMP, updated_at DATETIME DEFAULT CURRENT_TIMESTAMP, deleted_at DATETIME);
INSERT INTO specialization_rates (specialization_name, master_percentage, company_percentage) VALUES
  ('электрик', 50.0, 50.0), ('сантехник', 50.0, 50.0);
CREATE TABLE parser_config (id INTEGER PRIMARY KEY, group_id INTEGER, enabled BOOLEAN DEFAULT 0, created_at DATETIME);
INSERT INTO parser_config (group_id, enabled) VALUES (-100123, 1);
CREATE TABLE parser_analytics (id INTEGER PRIMARY KEY, date TEXT, messages_parsed INTEGER, orders_created INTEGER);
`;

export function ddlOf(schema: LegacySchema): string {
  switch (schema) {
    case 'early':
      return EARLY_DDL;
    case 'audited':
      return LEGACY_DDL;
    case 'mid':
      return LEGACY_DDL + MID_DDL;
    case 'latest':
      return LEGACY_DDL + MID_DDL + LATEST_DDL;
  }
}
