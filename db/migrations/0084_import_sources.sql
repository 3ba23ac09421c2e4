-- Up Migration
-- The legacy import from several bots (one SQLite file per city, ids overlapping)
-- and repeated imports of later snapshots until the cutover:
-- - every legacy id is matched within its source (`--source msk`), never across;
-- - users, masters and orders keep the legacy row as it was read (every column,
--   version and master_lead_name included) and its fingerprint, so a later
--   snapshot's changes are found, and the target's state at that sync, so a row
--   changed on both sides is told apart and left as the new system has it.

CREATE TABLE legacy_sources (
  name              text PRIMARY KEY CONSTRAINT legacy_sources_name_format CHECK (name ~ '^[a-z0-9][a-z0-9_-]{0,31}$'),
  -- The path of the file last imported as this source, for the report.
  file              text NOT NULL,
  first_imported_at timestamptz NOT NULL DEFAULT now(),
  last_imported_at  timestamptz NOT NULL DEFAULT now()
);

-- Imports made before sources existed belong to the source named 'legacy'.
INSERT INTO legacy_sources (name, file)
SELECT 'legacy', '(imported before sources existed)'
WHERE EXISTS (SELECT 1 FROM legacy_users) OR EXISTS (SELECT 1 FROM legacy_masters) OR EXISTS (SELECT 1 FROM legacy_orders)
   OR EXISTS (SELECT 1 FROM legacy_order_status_history) OR EXISTS (SELECT 1 FROM legacy_audit_log);

ALTER TABLE legacy_users ADD COLUMN source text NOT NULL DEFAULT 'legacy';
ALTER TABLE legacy_masters ADD COLUMN source text NOT NULL DEFAULT 'legacy';
ALTER TABLE legacy_orders ADD COLUMN source text NOT NULL DEFAULT 'legacy';
ALTER TABLE legacy_order_status_history ADD COLUMN source text NOT NULL DEFAULT 'legacy';
ALTER TABLE legacy_audit_log ADD COLUMN source text NOT NULL DEFAULT 'legacy';
ALTER TABLE legacy_users ALTER COLUMN source DROP DEFAULT;
ALTER TABLE legacy_masters ALTER COLUMN source DROP DEFAULT;
ALTER TABLE legacy_orders ALTER COLUMN source DROP DEFAULT;
ALTER TABLE legacy_order_status_history ALTER COLUMN source DROP DEFAULT;
ALTER TABLE legacy_audit_log ALTER COLUMN source DROP DEFAULT;

ALTER TABLE legacy_users DROP CONSTRAINT legacy_users_pkey, ADD PRIMARY KEY (source, legacy_id),
  ADD CONSTRAINT legacy_users_source_fkey FOREIGN KEY (source) REFERENCES legacy_sources (name) ON DELETE RESTRICT;
ALTER TABLE legacy_masters DROP CONSTRAINT legacy_masters_pkey, ADD PRIMARY KEY (source, legacy_id),
  ADD CONSTRAINT legacy_masters_source_fkey FOREIGN KEY (source) REFERENCES legacy_sources (name) ON DELETE RESTRICT;
ALTER TABLE legacy_orders DROP CONSTRAINT legacy_orders_pkey, ADD PRIMARY KEY (source, legacy_id),
  ADD CONSTRAINT legacy_orders_source_fkey FOREIGN KEY (source) REFERENCES legacy_sources (name) ON DELETE RESTRICT;
ALTER TABLE legacy_order_status_history DROP CONSTRAINT legacy_order_status_history_pkey, ADD PRIMARY KEY (source, legacy_id),
  ADD CONSTRAINT legacy_order_status_history_source_fkey FOREIGN KEY (source) REFERENCES legacy_sources (name) ON DELETE RESTRICT;
ALTER TABLE legacy_audit_log DROP CONSTRAINT legacy_audit_log_pkey, ADD PRIMARY KEY (source, legacy_id),
  ADD CONSTRAINT legacy_audit_log_source_fkey FOREIGN KEY (source) REFERENCES legacy_sources (name) ON DELETE RESTRICT;

-- A user or master appears in several cities' files (one Telegram account, one
-- person): the mapping is per source, the target row shared.
ALTER TABLE legacy_users DROP CONSTRAINT legacy_users_user_id_key;
CREATE INDEX legacy_users_user_idx ON legacy_users (user_id);
ALTER TABLE legacy_masters DROP CONSTRAINT legacy_masters_master_id_key;
CREATE INDEX legacy_masters_master_idx ON legacy_masters (master_id);

-- The legacy row as read (jsonb, every column), its fingerprint and the
-- target's state when it was last written from it.
ALTER TABLE legacy_users
  ADD COLUMN legacy_row jsonb,
  ADD COLUMN fingerprint text,
  -- Roles the legacy row gave (its own spelling, SENIOR_MASTER included): a later
  -- snapshot adds and removes only what the legacy side changed.
  ADD COLUMN legacy_roles text[] NOT NULL DEFAULT '{}',
  ADD COLUMN synced_at timestamptz;
ALTER TABLE legacy_masters
  ADD COLUMN legacy_row jsonb,
  ADD COLUMN fingerprint text,
  ADD COLUMN synced_at timestamptz;
ALTER TABLE legacy_orders
  ADD COLUMN legacy_row jsonb,
  ADD COLUMN fingerprint text,
  -- orders.version right after the import wrote the order: a higher one means
  -- someone changed it in the new system since.
  ADD COLUMN synced_version integer,
  -- A refusal's fee (the latest bot stores the amount of a refusal with a fee)
  -- until orders can carry one; the order itself stays REFUSED without money.
  ADD COLUMN refusal_amount numeric(12, 2) CONSTRAINT legacy_orders_refusal_amount_nonnegative CHECK (refusal_amount >= 0);

-- "№ 45" typed without a city finds the legacy order 45 of every source.
CREATE INDEX legacy_orders_legacy_id_idx ON legacy_orders (legacy_id);

-- Down Migration
DROP INDEX legacy_orders_legacy_id_idx;
ALTER TABLE legacy_orders DROP COLUMN legacy_row, DROP COLUMN fingerprint, DROP COLUMN synced_version, DROP COLUMN refusal_amount;
ALTER TABLE legacy_masters DROP COLUMN legacy_row, DROP COLUMN fingerprint, DROP COLUMN synced_at;
ALTER TABLE legacy_users DROP COLUMN legacy_row, DROP COLUMN fingerprint, DROP COLUMN legacy_roles, DROP COLUMN synced_at;
DROP INDEX legacy_masters_master_idx;
DROP INDEX legacy_users_user_idx;
ALTER TABLE legacy_masters ADD CONSTRAINT legacy_masters_master_id_key UNIQUE (master_id);
ALTER TABLE legacy_users ADD CONSTRAINT legacy_users_user_id_key UNIQUE (user_id);
ALTER TABLE legacy_audit_log DROP CONSTRAINT legacy_audit_log_source_fkey, DROP CONSTRAINT legacy_audit_log_pkey, ADD PRIMARY KEY (legacy_id), DROP COLUMN source;
ALTER TABLE legacy_order_status_history DROP CONSTRAINT legacy_order_status_history_source_fkey, DROP CONSTRAINT legacy_order_status_history_pkey, ADD PRIMARY KEY (legacy_id), DROP COLUMN source;
ALTER TABLE legacy_orders DROP CONSTRAINT legacy_orders_source_fkey, DROP CONSTRAINT legacy_orders_pkey, ADD PRIMARY KEY (legacy_id), DROP COLUMN source;
ALTER TABLE legacy_masters DROP CONSTRAINT legacy_masters_source_fkey, DROP CONSTRAINT legacy_masters_pkey, ADD PRIMARY KEY (legacy_id), DROP COLUMN source;
ALTER TABLE legacy_users DROP CONSTRAINT legacy_users_source_fkey, DROP CONSTRAINT legacy_users_pkey, ADD PRIMARY KEY (legacy_id), DROP COLUMN source;
DROP TABLE legacy_sources;
