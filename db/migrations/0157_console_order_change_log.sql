-- Up Migration
-- The console learns of order changes from a change log it polls, not from
-- NOTIFY sent inside the writers' transactions.
--
-- Migration 0080's statement triggers called pg_notify in every transaction
-- that wrote an order. PostgreSQL queues a notification at commit under one
-- lock for the whole cluster and holds it through the commit's WAL flush, so
-- every order-writing transaction committed one at a time behind it.
-- Sampled at 500 requests/s: three backends on average waiting on that
-- lock; with the triggers off the median latency fell from 198-410 ms to
-- 41 ms (BENCHMARKS.md, "What limits performance").
--
-- Now the triggers add one row per statement to an unlogged table (no WAL,
-- no lock beyond the row's own), stamped with the writing transaction's id.
-- Each instance's listener (src/console/live/order-change-poller.ts) reads
-- it a few times a second: every transaction id below its last snapshot's
-- xmin has finished, so reading from that xmin on, and remembering which
-- transactions it has already seen, misses no commit whatever order they
-- commit in. Rows are pruned after a minute. Unlogged: after a crash the
-- table is empty, and every listener has reconnected and resynced anyway.
CREATE UNLOGGED TABLE console_order_changes (
  txid xid8 NOT NULL DEFAULT pg_current_xact_id(),
  -- NULL when one statement changed more than 100 orders: consoles reload.
  ids bigint[],
  CONSTRAINT console_order_changes_ids_bounded CHECK (cardinality(ids) BETWEEN 1 AND 100)
);
CREATE INDEX console_order_changes_txid_idx ON console_order_changes (txid);

CREATE FUNCTION console_log_order_changes() RETURNS trigger
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
  INSERT INTO console_order_changes (ids) VALUES (CASE WHEN cardinality(ids) > 100 THEN NULL ELSE ids END);
  RETURN NULL;
END $$;

DROP TRIGGER orders_console_notify_delete ON orders;
DROP TRIGGER orders_console_notify_update ON orders;
DROP TRIGGER orders_console_notify_insert ON orders;
DROP FUNCTION console_notify_order_changes();

CREATE TRIGGER orders_console_log_insert AFTER INSERT ON orders
  REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION console_log_order_changes();
CREATE TRIGGER orders_console_log_update AFTER UPDATE ON orders
  REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION console_log_order_changes();
CREATE TRIGGER orders_console_log_delete AFTER DELETE ON orders
  REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION console_log_order_changes();

-- Down Migration
DROP TRIGGER orders_console_log_delete ON orders;
DROP TRIGGER orders_console_log_update ON orders;
DROP TRIGGER orders_console_log_insert ON orders;
DROP FUNCTION console_log_order_changes();
DROP TABLE console_order_changes;

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
