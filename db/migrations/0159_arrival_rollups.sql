-- Up Migration
-- On-time arrivals in the daily rollups.
--
-- The masters report counted arrivals by scanning every first check-in of
-- the period in order_status_history, each with an anti-join and an orders
-- lookup: at 1,000,000 orders a quarter took ~660 ms, at 10,000,000 a month
-- ran into the 30 s statement timeout. Now an order carries its first
-- check-in (arrived_at), so an arrival is a function of the order row and
-- gets a rollup like the others (0009, 0131): whole UTC days from
-- report_arrivals_daily, the partial days at a period's ends from
-- orders_arrivals_period_idx.
--
-- arrived_at is the earliest changed_at of the order's IN_PROGRESS history
-- (a later one is resuming after a long repair). A statement trigger on
-- order_status_history keeps it: history is only ever inserted (deletes come
-- with the order's, by cascade), and an insert can only make it earlier;
-- updates and deletes of history rows are covered anyway by recomputing.
-- The trigger runs after the writing statement, so a transition that
-- updates the order and inserts its history in one statement sees the
-- updated row and updates it once more (arrived_at only: no version bump,
-- an If-Match the caller got from the transition still holds). Bulk loaders
-- that skip the rollups (repair_bot.skip_rollups) skip it too and set
-- arrived_at themselves (seed: from its plan; importer: one pass at the end).
--
-- A visit counts for an order not deleted, with a scheduled time and a
-- master, on the UTC day of arrived_at, for the order's current master; on
-- time when arrived_at <= COALESCE(scheduled_until, scheduled_at).

ALTER TABLE orders ADD COLUMN arrived_at timestamptz;

-- The backfill touches arrived_at only, which no other rollup reads: their
-- triggers would add and subtract every row for nothing.
SELECT set_config('repair_bot.skip_rollups', 'on', true);
UPDATE orders o SET arrived_at = h.first
FROM (SELECT order_id, min(changed_at) AS first FROM order_status_history WHERE new_status = 'IN_PROGRESS' GROUP BY order_id) h
WHERE o.id = h.order_id;
SELECT set_config('repair_bot.skip_rollups', 'off', true);

CREATE INDEX orders_arrivals_period_idx ON orders (arrived_at) INCLUDE (master_id, scheduled_at, scheduled_until)
  WHERE deleted_at IS NULL AND scheduled_at IS NOT NULL AND master_id IS NOT NULL AND arrived_at IS NOT NULL;

-- Replaced by orders_arrivals_period_idx: nothing reads check-ins by time any more.
DROP INDEX order_status_history_arrivals_idx;

CREATE TABLE report_arrivals_daily (
  day       date NOT NULL,
  master_id bigint NOT NULL,
  visits    bigint NOT NULL,
  on_time   bigint NOT NULL,
  PRIMARY KEY (day, master_id)
);

CREATE TYPE arrival_delta AS (
  sign       integer,
  arrived_at timestamptz,
  master_id  bigint,
  on_time    boolean
);

-- In key order, as report_rollups_add, so concurrent statements cannot deadlock.
CREATE FUNCTION report_arrivals_add(deltas arrival_delta[]) RETURNS void
LANGUAGE sql AS $$
  INSERT INTO report_arrivals_daily AS r (day, master_id, visits, on_time)
  SELECT (d.arrived_at AT TIME ZONE 'UTC')::date, d.master_id, sum(d.sign), COALESCE(sum(d.sign) FILTER (WHERE d.on_time), 0)
  FROM unnest(deltas) d
  GROUP BY 1, 2
  HAVING sum(d.sign) <> 0 OR COALESCE(sum(d.sign) FILTER (WHERE d.on_time), 0) <> 0
  ORDER BY 1, 2
  ON CONFLICT (day, master_id) DO UPDATE SET visits = r.visits + EXCLUDED.visits, on_time = r.on_time + EXCLUDED.on_time;
$$;

CREATE FUNCTION report_arrivals_on_change() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
  deltas arrival_delta[] := '{}';
BEGIN
  IF report_rollups_skipped() THEN RETURN NULL; END IF;
  IF TG_OP IN ('UPDATE', 'DELETE') THEN
    deltas := deltas || ARRAY(
      SELECT ROW(-1, o.arrived_at, o.master_id, o.arrived_at <= COALESCE(o.scheduled_until, o.scheduled_at))::arrival_delta
      FROM old_rows o
      WHERE o.arrived_at IS NOT NULL AND o.deleted_at IS NULL AND o.scheduled_at IS NOT NULL AND o.master_id IS NOT NULL);
  END IF;
  IF TG_OP IN ('INSERT', 'UPDATE') THEN
    deltas := deltas || ARRAY(
      SELECT ROW(1, n.arrived_at, n.master_id, n.arrived_at <= COALESCE(n.scheduled_until, n.scheduled_at))::arrival_delta
      FROM new_rows n
      WHERE n.arrived_at IS NOT NULL AND n.deleted_at IS NULL AND n.scheduled_at IS NOT NULL AND n.master_id IS NOT NULL);
  END IF;
  IF cardinality(deltas) > 0 THEN PERFORM report_arrivals_add(deltas); END IF;
  RETURN NULL;
END $$;

CREATE TRIGGER orders_arrival_rollups_insert AFTER INSERT ON orders
  REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION report_arrivals_on_change();
CREATE TRIGGER orders_arrival_rollups_update AFTER UPDATE ON orders
  REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION report_arrivals_on_change();
CREATE TRIGGER orders_arrival_rollups_delete AFTER DELETE ON orders
  REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION report_arrivals_on_change();

-- A new check-in can only move arrived_at earlier. Orders in id order, so
-- concurrent statements lock them in one order.
CREATE FUNCTION orders_arrival_on_history_insert() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  IF report_rollups_skipped() THEN RETURN NULL; END IF;
  UPDATE orders o SET arrived_at = f.first
  FROM (SELECT order_id, min(changed_at) AS first FROM new_rows WHERE new_status = 'IN_PROGRESS' GROUP BY order_id) f
  WHERE o.id = f.order_id AND (o.arrived_at IS NULL OR o.arrived_at > f.first);
  RETURN NULL;
END $$;

-- No writer updates or deletes history today (an order's go with it, by
-- cascade); if one ever does, the touched orders' arrivals are recomputed.
CREATE FUNCTION orders_arrival_on_history_change() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  IF report_rollups_skipped() THEN RETURN NULL; END IF;
  UPDATE orders o SET arrived_at = f.first
  FROM (SELECT t.order_id, (SELECT min(h.changed_at) FROM order_status_history h
                            WHERE h.order_id = t.order_id AND h.new_status = 'IN_PROGRESS') AS first
        FROM (SELECT DISTINCT order_id FROM old_rows WHERE new_status = 'IN_PROGRESS') t) f
  WHERE o.id = f.order_id AND o.arrived_at IS DISTINCT FROM f.first;
  IF TG_OP = 'UPDATE' THEN
    UPDATE orders o SET arrived_at = f.first
    FROM (SELECT order_id, min(changed_at) AS first FROM new_rows WHERE new_status = 'IN_PROGRESS' GROUP BY order_id) f
    WHERE o.id = f.order_id AND (o.arrived_at IS NULL OR o.arrived_at > f.first);
  END IF;
  RETURN NULL;
END $$;

CREATE TRIGGER order_status_history_arrival_insert AFTER INSERT ON order_status_history
  REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION orders_arrival_on_history_insert();
CREATE TRIGGER order_status_history_arrival_update AFTER UPDATE ON order_status_history
  REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION orders_arrival_on_history_change();
CREATE TRIGGER order_status_history_arrival_delete AFTER DELETE ON order_status_history
  REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION orders_arrival_on_history_change();

-- Whole UTC days of a period whose ends may be open (NULL: all time before
-- or after), as bounds for the rollup; report_days_start/end for closed ones.
CREATE FUNCTION report_open_days_start(p_from timestamptz, p_to timestamptz) RETURNS timestamptz
LANGUAGE sql STABLE PARALLEL SAFE AS $$
  SELECT CASE WHEN p_from IS NULL THEN '-infinity'::timestamptz
              WHEN p_to IS NULL THEN report_utc_midnight(p_from - interval '1 microsecond') + interval '24 hours'
              ELSE report_days_start(p_from, p_to) END
$$;

CREATE FUNCTION report_open_days_end(p_from timestamptz, p_to timestamptz) RETURNS timestamptz
LANGUAGE sql STABLE PARALLEL SAFE AS $$
  SELECT CASE WHEN p_to IS NULL THEN 'infinity'::timestamptz
              WHEN p_from IS NULL THEN report_utc_midnight(p_to)
              ELSE report_days_end(p_from, p_to) END
$$;

-- The rebuild covers the arrivals too: 0131's body plus the last statement.
CREATE OR REPLACE FUNCTION report_rollups_rebuild() RETURNS void
LANGUAGE sql AS $$
  TRUNCATE report_created_daily, report_closed_daily_equipment, report_closed_daily_master, report_completed_daily_master,
    report_refusal_fees_daily, report_arrivals_daily;
  INSERT INTO report_created_daily (day, status, equipment_type, orders)
  SELECT (created_at AT TIME ZONE 'UTC')::date, status, equipment_type, count(*)
  FROM orders WHERE deleted_at IS NULL GROUP BY 1, 2, 3;
  INSERT INTO report_closed_daily_equipment (day, equipment_type, orders, revenue, materials, master_share, company_share)
  SELECT (closed_at AT TIME ZONE 'UTC')::date, equipment_type, count(*),
         sum(total_amount), sum(materials_cost), sum(master_profit), sum(company_profit)
  FROM orders WHERE status = 'CLOSED' AND deleted_at IS NULL GROUP BY 1, 2;
  INSERT INTO report_closed_daily_master (day, master_id, orders, revenue, materials, master_share, company_share)
  SELECT (closed_at AT TIME ZONE 'UTC')::date, master_id, count(*),
         sum(total_amount), sum(materials_cost), sum(master_profit), sum(company_profit)
  FROM orders WHERE status = 'CLOSED' AND deleted_at IS NULL GROUP BY 1, 2;
  INSERT INTO report_completed_daily_master (day, master_id, orders)
  SELECT (completed_at AT TIME ZONE 'UTC')::date, master_id, count(*)
  FROM orders WHERE completed_at IS NOT NULL AND deleted_at IS NULL GROUP BY 1, 2;
  INSERT INTO report_refusal_fees_daily (day, master_id, orders, fee, master_share, company_share)
  SELECT (refused_at AT TIME ZONE 'UTC')::date, COALESCE(master_id, 0), count(*),
         sum(refusal_fee), sum(refusal_master_share), sum(refusal_company_share)
  FROM orders WHERE refusal_fee IS NOT NULL AND deleted_at IS NULL GROUP BY 1, 2;
  INSERT INTO report_arrivals_daily (day, master_id, visits, on_time)
  SELECT (arrived_at AT TIME ZONE 'UTC')::date, master_id, count(*),
         count(*) FILTER (WHERE arrived_at <= COALESCE(scheduled_until, scheduled_at))
  FROM orders WHERE arrived_at IS NOT NULL AND deleted_at IS NULL AND scheduled_at IS NOT NULL AND master_id IS NOT NULL GROUP BY 1, 2;
$$;

INSERT INTO report_arrivals_daily (day, master_id, visits, on_time)
SELECT (arrived_at AT TIME ZONE 'UTC')::date, master_id, count(*),
       count(*) FILTER (WHERE arrived_at <= COALESCE(scheduled_until, scheduled_at))
FROM orders WHERE arrived_at IS NOT NULL AND deleted_at IS NULL AND scheduled_at IS NOT NULL AND master_id IS NOT NULL GROUP BY 1, 2;

-- Down Migration
CREATE OR REPLACE FUNCTION report_rollups_rebuild() RETURNS void
LANGUAGE sql AS $$
  TRUNCATE report_created_daily, report_closed_daily_equipment, report_closed_daily_master, report_completed_daily_master,
    report_refusal_fees_daily;
  INSERT INTO report_created_daily (day, status, equipment_type, orders)
  SELECT (created_at AT TIME ZONE 'UTC')::date, status, equipment_type, count(*)
  FROM orders WHERE deleted_at IS NULL GROUP BY 1, 2, 3;
  INSERT INTO report_closed_daily_equipment (day, equipment_type, orders, revenue, materials, master_share, company_share)
  SELECT (closed_at AT TIME ZONE 'UTC')::date, equipment_type, count(*),
         sum(total_amount), sum(materials_cost), sum(master_profit), sum(company_profit)
  FROM orders WHERE status = 'CLOSED' AND deleted_at IS NULL GROUP BY 1, 2;
  INSERT INTO report_closed_daily_master (day, master_id, orders, revenue, materials, master_share, company_share)
  SELECT (closed_at AT TIME ZONE 'UTC')::date, master_id, count(*),
         sum(total_amount), sum(materials_cost), sum(master_profit), sum(company_profit)
  FROM orders WHERE status = 'CLOSED' AND deleted_at IS NULL GROUP BY 1, 2;
  INSERT INTO report_completed_daily_master (day, master_id, orders)
  SELECT (completed_at AT TIME ZONE 'UTC')::date, master_id, count(*)
  FROM orders WHERE completed_at IS NOT NULL AND deleted_at IS NULL GROUP BY 1, 2;
  INSERT INTO report_refusal_fees_daily (day, master_id, orders, fee, master_share, company_share)
  SELECT (refused_at AT TIME ZONE 'UTC')::date, COALESCE(master_id, 0), count(*),
         sum(refusal_fee), sum(refusal_master_share), sum(refusal_company_share)
  FROM orders WHERE refusal_fee IS NOT NULL AND deleted_at IS NULL GROUP BY 1, 2;
$$;
DROP FUNCTION report_open_days_end(timestamptz, timestamptz);
DROP FUNCTION report_open_days_start(timestamptz, timestamptz);
DROP TRIGGER order_status_history_arrival_delete ON order_status_history;
DROP TRIGGER order_status_history_arrival_update ON order_status_history;
DROP TRIGGER order_status_history_arrival_insert ON order_status_history;
DROP FUNCTION orders_arrival_on_history_change();
DROP FUNCTION orders_arrival_on_history_insert();
DROP TRIGGER orders_arrival_rollups_delete ON orders;
DROP TRIGGER orders_arrival_rollups_update ON orders;
DROP TRIGGER orders_arrival_rollups_insert ON orders;
DROP FUNCTION report_arrivals_on_change();
DROP FUNCTION report_arrivals_add(arrival_delta[]);
DROP TYPE arrival_delta;
DROP TABLE report_arrivals_daily;
CREATE INDEX order_status_history_arrivals_idx ON order_status_history (changed_at) WHERE new_status = 'IN_PROGRESS';
DROP INDEX orders_arrivals_period_idx;
ALTER TABLE orders DROP COLUMN arrived_at;
