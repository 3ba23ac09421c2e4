-- Up Migration
-- The dispatcher console (src/console): browser sessions, one-time login
-- links sent by the bot, the day's board index, and change notifications
-- for live updates across every service instance.

-- A console session: the browser holds the token in an HttpOnly cookie; only
-- its SHA-256 is stored. Revoked by logout, expired by time.
CREATE TABLE console_sessions (
  id           bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  user_id      bigint NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  token_hash   bytea NOT NULL CONSTRAINT console_sessions_token_hash_key UNIQUE
               CONSTRAINT console_sessions_token_hash_length CHECK (octet_length(token_hash) = 32),
  -- How the person proved who they are.
  via          text NOT NULL CONSTRAINT console_sessions_via_known CHECK (via IN ('telegram', 'login_link')),
  language     text NOT NULL CONSTRAINT console_sessions_language_known CHECK (language IN ('ru', 'en')),
  created_at   timestamptz NOT NULL DEFAULT now(),
  expires_at   timestamptz NOT NULL,
  revoked_at   timestamptz,
  CONSTRAINT console_sessions_expiry_after_start CHECK (expires_at > created_at)
);
-- "Log out everywhere" and cleanup of a user's sessions.
CREATE INDEX console_sessions_user_idx ON console_sessions (user_id) WHERE revoked_at IS NULL;
CREATE INDEX console_sessions_expires_idx ON console_sessions (expires_at);

-- A one-time login link: single use, short-lived, stored hashed.
CREATE TABLE console_login_links (
  token_hash bytea PRIMARY KEY CONSTRAINT console_login_links_token_hash_length CHECK (octet_length(token_hash) = 32),
  user_id    bigint NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  created_at timestamptz NOT NULL DEFAULT now(),
  expires_at timestamptz NOT NULL,
  used_at    timestamptz,
  CONSTRAINT console_login_links_expiry_after_start CHECK (expires_at > created_at)
);
CREATE INDEX console_login_links_expires_idx ON console_login_links (expires_at);

-- The board: open orders by status and the moment they are due (the visit
-- time, or creation for an order with no time yet). Small and partial: open
-- orders are a sliver of the table. Master and equipment ride along for the
-- board's filters and column counts.
CREATE INDEX orders_board_idx ON orders (status, (COALESCE(scheduled_at, created_at)), id)
  INCLUDE (master_id, equipment_type)
  WHERE deleted_at IS NULL AND status IN ('NEW', 'ASSIGNED', 'ACCEPTED', 'IN_PROGRESS', 'LONG_REPAIR', 'COMPLETED');
-- Masters' day: every visit with a time, by time.
CREATE INDEX orders_scheduled_idx ON orders (scheduled_at) INCLUDE (master_id, status)
  WHERE deleted_at IS NULL AND scheduled_at IS NOT NULL;

-- Live updates. Every statement that writes orders, whoever runs it (API,
-- bot, scheduler, CLI, importer), notifies channel order_changes with the
-- ids it touched; PostgreSQL delivers it to every listening session only
-- when the transaction commits, and never when it rolls back. A statement
-- touching many rows (a bulk load) says "resync" instead of listing them.
CREATE FUNCTION console_notify_order_changes() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
  ids bigint[];
BEGIN
  IF TG_OP = 'DELETE' THEN
    ids := ARRAY(SELECT o.id FROM old_rows o LIMIT 101);
  ELSE
    ids := ARRAY(SELECT n.id FROM new_rows n LIMIT 101);
  END IF;
  IF cardinality(ids) = 0 THEN RETURN NULL; END IF;
  IF cardinality(ids) > 100 THEN
    PERFORM pg_notify('order_changes', '{"resync":true}');
  ELSE
    PERFORM pg_notify('order_changes', json_build_object('ids', ids)::text);
  END IF;
  RETURN NULL;
END $$;

CREATE TRIGGER orders_console_notify_insert AFTER INSERT ON orders
  REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION console_notify_order_changes();
CREATE TRIGGER orders_console_notify_update AFTER UPDATE ON orders
  REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION console_notify_order_changes();
CREATE TRIGGER orders_console_notify_delete AFTER DELETE ON orders
  REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION console_notify_order_changes();

-- Down Migration
DROP TRIGGER orders_console_notify_delete ON orders;
DROP TRIGGER orders_console_notify_update ON orders;
DROP TRIGGER orders_console_notify_insert ON orders;
DROP FUNCTION console_notify_order_changes();
DROP INDEX orders_scheduled_idx;
DROP INDEX orders_board_idx;
DROP TABLE console_login_links;
DROP TABLE console_sessions;
