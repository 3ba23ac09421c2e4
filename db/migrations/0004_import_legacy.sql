-- Up Migration
-- What `repair-bot import-sqlite` brought in from the legacy SQLite database,
-- by legacy id: a second run skips every row the first one imported, and any
-- imported row can be traced back to the legacy row it came from. One table
-- per legacy table, so each mapping has a real foreign key; a mapping goes
-- with its row (CASCADE), and the UNIQUE on the target serves that cascade.

CREATE TABLE legacy_users (
  legacy_id   bigint PRIMARY KEY,
  user_id     bigint NOT NULL CONSTRAINT legacy_users_user_id_key UNIQUE
              REFERENCES users (id) ON DELETE CASCADE,
  imported_at timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE legacy_masters (
  legacy_id   bigint PRIMARY KEY,
  master_id   bigint NOT NULL CONSTRAINT legacy_masters_master_id_key UNIQUE
              REFERENCES masters (id) ON DELETE CASCADE,
  -- True for a master the legacy file no longer had (hard-deleted) but closed
  -- orders still pointed at: the importer keeps it as a soft-deleted master.
  placeholder boolean NOT NULL DEFAULT false,
  imported_at timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE legacy_orders (
  legacy_id   bigint PRIMARY KEY,
  order_id    bigint NOT NULL CONSTRAINT legacy_orders_order_id_key UNIQUE
              REFERENCES orders (id) ON DELETE CASCADE,
  imported_at timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE legacy_order_status_history (
  legacy_id   bigint PRIMARY KEY,
  history_id  bigint NOT NULL CONSTRAINT legacy_order_status_history_history_id_key UNIQUE
              REFERENCES order_status_history (id) ON DELETE CASCADE,
  imported_at timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE legacy_audit_log (
  legacy_id   bigint PRIMARY KEY,
  audit_id    bigint NOT NULL CONSTRAINT legacy_audit_log_audit_id_key UNIQUE
              REFERENCES audit_log (id) ON DELETE CASCADE,
  imported_at timestamptz NOT NULL DEFAULT now()
);

-- Down Migration
DROP TABLE legacy_audit_log;
DROP TABLE legacy_order_status_history;
DROP TABLE legacy_orders;
DROP TABLE legacy_masters;
DROP TABLE legacy_users;
