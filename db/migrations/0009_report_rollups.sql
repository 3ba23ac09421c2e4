-- Up Migration
-- Daily rollups for period reports.
--
-- A report over whole days reads these instead of the orders; only the
-- partial days at either end of a period are read from orders (see
-- reports.sql.ts). At 1,000,000 orders a year's summary read ~300,000 index
-- entries (~90 ms); its rollups are a few thousand rows. Days are UTC dates.
--
-- No CHECK (orders >= 0) on them: ON CONFLICT checks the proposed row,
-- which for a -1 delta is negative even though the sum is not.
--
-- Triggers on orders keep them exact for every writer (service, importer):
-- each statement adds its rows' new state and subtracts their old one, so
-- a change that does not move an order between report cells writes nothing.
-- Bulk loaders may set repair_bot.skip_rollups = 'on' for their transaction
-- and call report_rollups_rebuild() afterwards (seed does).

CREATE TABLE report_created_daily (
  day            date NOT NULL,
  status         order_status NOT NULL,
  equipment_type text NOT NULL,
  orders         bigint NOT NULL,
  PRIMARY KEY (day, status, equipment_type)
);

CREATE TABLE report_closed_daily_equipment (
  day            date NOT NULL,
  equipment_type text NOT NULL,
  orders         bigint NOT NULL,
  revenue        numeric(16, 2) NOT NULL,
  materials      numeric(16, 2) NOT NULL,
  master_share   numeric(16, 2) NOT NULL,
  company_share  numeric(16, 2) NOT NULL,
  PRIMARY KEY (day, equipment_type)
);

CREATE TABLE report_closed_daily_master (
  day           date NOT NULL,
  master_id     bigint NOT NULL,
  orders        bigint NOT NULL,
  revenue       numeric(16, 2) NOT NULL,
  materials     numeric(16, 2) NOT NULL,
  master_share  numeric(16, 2) NOT NULL,
  company_share numeric(16, 2) NOT NULL,
  PRIMARY KEY (day, master_id)
);
-- One master's figures over a period.
CREATE INDEX report_closed_daily_master_master_idx ON report_closed_daily_master (master_id, day);

CREATE TABLE report_completed_daily_master (
  day       date NOT NULL,
  master_id bigint NOT NULL,
  orders    bigint NOT NULL,
  PRIMARY KEY (day, master_id)
);
CREATE INDEX report_completed_daily_master_master_idx ON report_completed_daily_master (master_id, day);

-- One row of the change a statement made to orders: +1 for a row's new
-- state, -1 for its old one. Rows are only counted while not deleted.
CREATE TYPE order_rollup_delta AS (
  sign           integer,
  created_at     timestamptz,
  status         order_status,
  equipment_type text,
  master_id      bigint,
  completed_at   timestamptz,
  closed_at      timestamptz,
  total_amount   numeric,
  materials_cost numeric,
  master_profit  numeric,
  company_profit numeric
);

-- Rows are upserted in key order, so concurrent statements lock rollup rows
-- in one global order and cannot deadlock on them.
CREATE FUNCTION report_rollups_add(deltas order_rollup_delta[]) RETURNS void
LANGUAGE sql AS $$
  INSERT INTO report_created_daily AS r (day, status, equipment_type, orders)
  SELECT (d.created_at AT TIME ZONE 'UTC')::date, d.status, d.equipment_type, sum(d.sign)
  FROM unnest(deltas) d
  GROUP BY 1, 2, 3 HAVING sum(d.sign) <> 0
  ORDER BY 1, 2, 3
  ON CONFLICT (day, status, equipment_type) DO UPDATE SET orders = r.orders + EXCLUDED.orders;

  INSERT INTO report_closed_daily_equipment AS r (day, equipment_type, orders, revenue, materials, master_share, company_share)
  SELECT (d.closed_at AT TIME ZONE 'UTC')::date, d.equipment_type, sum(d.sign),
         sum(d.sign * d.total_amount), sum(d.sign * d.materials_cost), sum(d.sign * d.master_profit), sum(d.sign * d.company_profit)
  FROM unnest(deltas) d WHERE d.status = 'CLOSED'
  GROUP BY 1, 2 HAVING sum(d.sign) <> 0 OR sum(d.sign * d.total_amount) <> 0
  ORDER BY 1, 2
  ON CONFLICT (day, equipment_type) DO UPDATE SET
    orders = r.orders + EXCLUDED.orders, revenue = r.revenue + EXCLUDED.revenue, materials = r.materials + EXCLUDED.materials,
    master_share = r.master_share + EXCLUDED.master_share, company_share = r.company_share + EXCLUDED.company_share;

  INSERT INTO report_closed_daily_master AS r (day, master_id, orders, revenue, materials, master_share, company_share)
  SELECT (d.closed_at AT TIME ZONE 'UTC')::date, d.master_id, sum(d.sign),
         sum(d.sign * d.total_amount), sum(d.sign * d.materials_cost), sum(d.sign * d.master_profit), sum(d.sign * d.company_profit)
  FROM unnest(deltas) d WHERE d.status = 'CLOSED'
  GROUP BY 1, 2 HAVING sum(d.sign) <> 0 OR sum(d.sign * d.total_amount) <> 0
  ORDER BY 1, 2
  ON CONFLICT (day, master_id) DO UPDATE SET
    orders = r.orders + EXCLUDED.orders, revenue = r.revenue + EXCLUDED.revenue, materials = r.materials + EXCLUDED.materials,
    master_share = r.master_share + EXCLUDED.master_share, company_share = r.company_share + EXCLUDED.company_share;

  INSERT INTO report_completed_daily_master AS r (day, master_id, orders)
  SELECT (d.completed_at AT TIME ZONE 'UTC')::date, d.master_id, sum(d.sign)
  FROM unnest(deltas) d WHERE d.completed_at IS NOT NULL
  GROUP BY 1, 2 HAVING sum(d.sign) <> 0
  ORDER BY 1, 2
  ON CONFLICT (day, master_id) DO UPDATE SET orders = r.orders + EXCLUDED.orders;
$$;

CREATE FUNCTION report_rollups_skipped() RETURNS boolean
LANGUAGE sql STABLE AS $$ SELECT coalesce(current_setting('repair_bot.skip_rollups', true), '') = 'on' $$;

-- One function for the three triggers: the rows a statement removed count
-- -1 in their old cells, the rows it wrote +1 in their new ones.
CREATE FUNCTION report_rollups_on_change() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
  gone orders[] := '{}';
  came orders[] := '{}';
BEGIN
  IF report_rollups_skipped() THEN RETURN NULL; END IF;
  -- A transition table exists only for the operations that have it.
  IF TG_OP IN ('UPDATE', 'DELETE') THEN gone := ARRAY(SELECT o FROM old_rows o WHERE o.deleted_at IS NULL); END IF;
  IF TG_OP IN ('INSERT', 'UPDATE') THEN came := ARRAY(SELECT n FROM new_rows n WHERE n.deleted_at IS NULL); END IF;
  PERFORM report_rollups_add(ARRAY(
    SELECT ROW(x.sign, x.created_at, x.status, x.equipment_type, x.master_id, x.completed_at, x.closed_at,
               x.total_amount, x.materials_cost, x.master_profit, x.company_profit)::order_rollup_delta
    FROM (SELECT -1 AS sign, g.* FROM unnest(gone) g UNION ALL SELECT 1, c.* FROM unnest(came) c) x));
  RETURN NULL;
END $$;

CREATE TRIGGER orders_report_rollups_insert AFTER INSERT ON orders
  REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION report_rollups_on_change();
CREATE TRIGGER orders_report_rollups_update AFTER UPDATE ON orders
  REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION report_rollups_on_change();
CREATE TRIGGER orders_report_rollups_delete AFTER DELETE ON orders
  REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION report_rollups_on_change();

-- Midnight UTC at or before t (date_bin works on absolute time, so this
-- does not depend on TimeZone).
CREATE FUNCTION report_utc_midnight(t timestamptz) RETURNS timestamptz
LANGUAGE sql STABLE PARALLEL SAFE AS $$ SELECT date_bin('1 day', t, timestamptz '2000-01-01 00:00:00+00') $$;

-- The whole UTC days inside [p_from, p_to), as bounds a report reads from
-- the rollups; the rest of the period is read from orders. When the period
-- holds no whole day both are p_from: no rollup, the whole period raw.
CREATE FUNCTION report_days_start(p_from timestamptz, p_to timestamptz) RETURNS timestamptz
LANGUAGE sql STABLE PARALLEL SAFE AS $$
  SELECT CASE WHEN report_utc_midnight(p_from - interval '1 microsecond') + interval '24 hours' < report_utc_midnight(p_to)
              THEN report_utc_midnight(p_from - interval '1 microsecond') + interval '24 hours' ELSE p_from END
$$;

CREATE FUNCTION report_days_end(p_from timestamptz, p_to timestamptz) RETURNS timestamptz
LANGUAGE sql STABLE PARALLEL SAFE AS $$
  SELECT CASE WHEN report_utc_midnight(p_from - interval '1 microsecond') + interval '24 hours' < report_utc_midnight(p_to)
              THEN report_utc_midnight(p_to) ELSE p_from END
$$;

-- Recomputes every rollup from orders (after a bulk load that skipped them).
CREATE FUNCTION report_rollups_rebuild() RETURNS void
LANGUAGE sql AS $$
  TRUNCATE report_created_daily, report_closed_daily_equipment, report_closed_daily_master, report_completed_daily_master;
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
$$;

SELECT report_rollups_rebuild();

-- Down Migration
DROP TRIGGER orders_report_rollups_insert ON orders;
DROP TRIGGER orders_report_rollups_update ON orders;
DROP TRIGGER orders_report_rollups_delete ON orders;
DROP FUNCTION report_rollups_rebuild();
DROP FUNCTION report_days_start(timestamptz, timestamptz);
DROP FUNCTION report_days_end(timestamptz, timestamptz);
DROP FUNCTION report_utc_midnight(timestamptz);
DROP FUNCTION report_rollups_on_change();
DROP FUNCTION report_rollups_skipped();
DROP FUNCTION report_rollups_add(order_rollup_delta[]);
DROP TYPE order_rollup_delta;
DROP TABLE report_completed_daily_master;
DROP TABLE report_closed_daily_master;
DROP TABLE report_closed_daily_equipment;
DROP TABLE report_created_daily;
