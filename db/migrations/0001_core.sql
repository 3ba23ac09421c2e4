-- Up Migration
-- Core schema: people, masters, equipment, orders and their trail.
-- Conventions (CONVENTIONS.md): BIGINT identity keys, TIMESTAMPTZ, NUMERIC(12,2)
-- money, soft delete via deleted_at, every FK with an explicit ON DELETE.

CREATE EXTENSION IF NOT EXISTS pg_trgm;

CREATE TYPE user_role AS ENUM ('ADMIN', 'DISPATCHER', 'MASTER');

CREATE TYPE order_status AS ENUM (
  'NEW', 'ASSIGNED', 'ACCEPTED', 'IN_PROGRESS', 'LONG_REPAIR',
  'COMPLETED', 'CLOSED', 'REFUSED'
);

CREATE TABLE users (
  id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  -- NULL for API-only accounts (the bootstrap admin, service accounts).
  telegram_id bigint CONSTRAINT users_telegram_id_key UNIQUE
              CONSTRAINT users_telegram_id_positive CHECK (telegram_id > 0),
  name        text NOT NULL CONSTRAINT users_name_length CHECK (char_length(name) BETWEEN 1 AND 200),
  username    text CONSTRAINT users_username_length CHECK (char_length(username) BETWEEN 1 AND 64),
  language    text NOT NULL DEFAULT 'ru' CONSTRAINT users_language_known CHECK (language IN ('ru', 'en')),
  created_at  timestamptz NOT NULL DEFAULT now(),
  updated_at  timestamptz NOT NULL DEFAULT now(),
  deleted_at  timestamptz
);

CREATE TABLE user_roles (
  user_id    bigint NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  role       user_role NOT NULL,
  granted_at timestamptz NOT NULL DEFAULT now(),
  granted_by bigint REFERENCES users (id) ON DELETE SET NULL,
  PRIMARY KEY (user_id, role)
);
-- "Notify every admin" and "list dispatchers" read by role.
CREATE INDEX user_roles_role_idx ON user_roles (role, user_id);

CREATE TABLE masters (
  id             bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  user_id        bigint NOT NULL CONSTRAINT masters_user_id_key UNIQUE
                 REFERENCES users (id) ON DELETE RESTRICT,
  phone          text NOT NULL CONSTRAINT masters_phone_format CHECK (phone ~ '^\+?[0-9]{5,20}$'),
  specialization text NOT NULL CONSTRAINT masters_specialization_length
                 CHECK (char_length(btrim(specialization)) BETWEEN 1 AND 200),
  work_chat_id   bigint,
  is_active      boolean NOT NULL DEFAULT true,
  is_approved    boolean NOT NULL DEFAULT false,
  approved_at    timestamptz,
  approved_by    bigint REFERENCES users (id) ON DELETE SET NULL,
  created_at     timestamptz NOT NULL DEFAULT now(),
  updated_at     timestamptz NOT NULL DEFAULT now(),
  deleted_at     timestamptz,
  CONSTRAINT masters_approval_consistent CHECK (is_approved = (approved_at IS NOT NULL))
);

CREATE TABLE equipment_types (
  code         text PRIMARY KEY CONSTRAINT equipment_types_code_format CHECK (code ~ '^[a-z][a-z0-9_]{1,39}$'),
  name_ru      text NOT NULL CONSTRAINT equipment_types_name_ru_length CHECK (char_length(name_ru) BETWEEN 1 AND 100),
  name_en      text NOT NULL CONSTRAINT equipment_types_name_en_length CHECK (char_length(name_en) BETWEEN 1 AND 100),
  -- The label the legacy bot stored in orders.equipment_type, for the importer.
  legacy_label text CONSTRAINT equipment_types_legacy_label_key UNIQUE,
  sort_order   integer NOT NULL DEFAULT 0,
  is_active    boolean NOT NULL DEFAULT true
);

INSERT INTO equipment_types (code, name_ru, name_en, legacy_label, sort_order) VALUES
  ('washing_machine', 'Стиральные машины',    'Washing machines', 'Стиральные машины',    10),
  ('oven',            'Духовой шкаф',         'Ovens',            'Духовой шкаф',         20),
  ('dishwasher',      'Посудомоечная машина', 'Dishwashers',      'Посудомоечная машина', 30),
  ('coffee_machine',  'Кофемашины',           'Coffee machines',  'Кофе машина',          40),
  ('plumbing',        'Сантехника',           'Plumbing',         'Сантехника',           50),
  ('electrical',      'Электрика',            'Electrical',       'Электрика',            60),
  ('water_heater',    'Водонагреватели',      'Water heaters',    'Водонагреватели',      70),
  ('tv',              'Телевизоры',           'TVs',              'Телевизоры',           80);

CREATE TABLE orders (
  id                        bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  status                    order_status NOT NULL DEFAULT 'NEW',
  equipment_type            text NOT NULL REFERENCES equipment_types (code) ON DELETE RESTRICT ON UPDATE CASCADE,
  description               text NOT NULL CONSTRAINT orders_description_length CHECK (char_length(description) BETWEEN 1 AND 4000),
  client_name               text NOT NULL CONSTRAINT orders_client_name_length CHECK (char_length(client_name) BETWEEN 1 AND 200),
  client_address            text NOT NULL CONSTRAINT orders_client_address_length CHECK (char_length(client_address) BETWEEN 1 AND 500),
  -- Stored normalized (digits, optional leading +) so search by digits works.
  client_phone              text NOT NULL CONSTRAINT orders_client_phone_format CHECK (client_phone ~ '^\+?[0-9]{5,20}$'),
  notes                     text CONSTRAINT orders_notes_length CHECK (char_length(notes) <= 2000),
  scheduled_at              timestamptz,
  -- Free-text time a person typed when it could not be parsed (legacy data, bot).
  scheduled_note            text CONSTRAINT orders_scheduled_note_length CHECK (char_length(scheduled_note) <= 200),
  dispatcher_id             bigint REFERENCES users (id) ON DELETE SET NULL,
  master_id                 bigint REFERENCES masters (id) ON DELETE RESTRICT,
  total_amount              numeric(12, 2),
  materials_cost            numeric(12, 2),
  master_profit             numeric(12, 2),
  company_profit            numeric(12, 2),
  prepayment_amount         numeric(12, 2),
  has_review                boolean NOT NULL DEFAULT false,
  out_of_city               boolean NOT NULL DEFAULT false,
  estimated_completion_date date,
  reschedule_count          integer NOT NULL DEFAULT 0 CONSTRAINT orders_reschedule_count_nonnegative CHECK (reschedule_count >= 0),
  reschedule_reason         text CONSTRAINT orders_reschedule_reason_length CHECK (char_length(reschedule_reason) <= 1000),
  last_rescheduled_at       timestamptz,
  refuse_reason             text CONSTRAINT orders_refuse_reason_length CHECK (char_length(refuse_reason) BETWEEN 1 AND 1000),
  created_at                timestamptz NOT NULL DEFAULT now(),
  updated_at                timestamptz NOT NULL DEFAULT now(),
  -- When the order entered its current status: SLA clocks run from here.
  status_changed_at         timestamptz NOT NULL DEFAULT now(),
  completed_at              timestamptz,
  closed_at                 timestamptz,
  deleted_at                timestamptz,
  version                   integer NOT NULL DEFAULT 1 CONSTRAINT orders_version_positive CHECK (version > 0),
  search_text               text GENERATED ALWAYS AS (lower(client_name || ' ' || client_address || ' ' || client_phone)) STORED,

  CONSTRAINT orders_money_nonnegative CHECK (
    total_amount >= 0 AND materials_cost >= 0 AND master_profit >= 0
    AND company_profit >= 0 AND prepayment_amount >= 0),
  CONSTRAINT orders_materials_within_total CHECK (materials_cost <= total_amount),
  CONSTRAINT orders_money_all_or_none CHECK (
    num_nulls(total_amount, materials_cost, master_profit, company_profit) IN (0, 4)),
  CONSTRAINT orders_shares_add_up CHECK (master_profit + company_profit = total_amount - materials_cost),
  CONSTRAINT orders_master_matches_status CHECK (CASE
    WHEN status = 'NEW' THEN master_id IS NULL
    WHEN status = 'REFUSED' THEN true
    ELSE master_id IS NOT NULL END),
  CONSTRAINT orders_completion_matches_status CHECK ((status IN ('COMPLETED', 'CLOSED')) = (completed_at IS NOT NULL)),
  CONSTRAINT orders_money_matches_status CHECK ((status IN ('COMPLETED', 'CLOSED')) = (total_amount IS NOT NULL)),
  CONSTRAINT orders_closed_matches_status CHECK ((status = 'CLOSED') = (closed_at IS NOT NULL)),
  CONSTRAINT orders_long_repair_has_eta CHECK (status <> 'LONG_REPAIR' OR estimated_completion_date IS NOT NULL),
  CONSTRAINT orders_refused_has_reason CHECK (status <> 'REFUSED' OR refuse_reason IS NOT NULL)
);

-- Lists: one backward probe per status, newest first, merged (see list-orders.sql.ts).
CREATE INDEX orders_status_created_idx ON orders (status, created_at, id)
  WHERE deleted_at IS NULL;
-- A master's orders, by status, newest first.
CREATE INDEX orders_master_status_created_idx ON orders (master_id, status, created_at, id)
  WHERE deleted_at IS NULL;
-- Period reports over settled money: index-only scans.
CREATE INDEX orders_closed_period_idx ON orders (closed_at, id)
  INCLUDE (master_id, equipment_type, total_amount, materials_cost, master_profit, company_profit)
  WHERE status = 'CLOSED' AND deleted_at IS NULL;
-- Orders created in a period, counted by status and equipment type.
CREATE INDEX orders_created_period_idx ON orders (created_at)
  INCLUDE (status, equipment_type, master_id)
  WHERE deleted_at IS NULL;
-- Orders completed in a period (completed or already closed), for masters' stats.
CREATE INDEX orders_completed_period_idx ON orders (completed_at)
  INCLUDE (master_id, status, total_amount, materials_cost, master_profit, company_profit)
  WHERE completed_at IS NOT NULL AND deleted_at IS NULL;
-- Search by phone digits, address or client name (substring, any case).
CREATE INDEX orders_search_trgm_idx ON orders USING gin (search_text gin_trgm_ops)
  WHERE deleted_at IS NULL;
-- FK support: a dispatcher's orders; keeps user deletes from scanning orders.
CREATE INDEX orders_dispatcher_idx ON orders (dispatcher_id) WHERE dispatcher_id IS NOT NULL;

CREATE TABLE order_status_history (
  id         bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  order_id   bigint NOT NULL REFERENCES orders (id) ON DELETE CASCADE,
  old_status order_status,
  new_status order_status NOT NULL,
  actor_id   bigint REFERENCES users (id) ON DELETE SET NULL,
  changed_at timestamptz NOT NULL DEFAULT now(),
  note       text CONSTRAINT order_status_history_note_length CHECK (char_length(note) <= 2000)
);
CREATE INDEX order_status_history_order_idx ON order_status_history (order_id, changed_at, id);

CREATE TABLE audit_log (
  id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  actor_id    bigint REFERENCES users (id) ON DELETE SET NULL,
  action      text NOT NULL CONSTRAINT audit_log_action_format CHECK (action ~ '^[a-z][a-z_]*(\.[a-z_]+)*$'),
  entity_type text NOT NULL CONSTRAINT audit_log_entity_type_format CHECK (entity_type ~ '^[a-z_]+$'),
  entity_id   bigint,
  details     jsonb NOT NULL DEFAULT '{}'::jsonb,
  created_at  timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX audit_log_created_idx ON audit_log (created_at);
CREATE INDEX audit_log_entity_idx ON audit_log (entity_type, entity_id, created_at);

-- Down Migration
DROP TABLE audit_log;
DROP TABLE order_status_history;
DROP TABLE orders;
DROP TABLE equipment_types;
DROP TABLE masters;
DROP TABLE user_roles;
DROP TABLE users;
DROP TYPE order_status;
DROP TYPE user_role;
