-- Up Migration
-- The daily rollups' day is the local date in a zone stored here.
--
-- Their day was the UTC date, while a report's period is local days in
-- REPORT_TIMEZONE: every report also read the partial UTC days at both ends
-- of its period from orders (3 h + 21 h of orders for Moscow), so a report
-- grew with a day's orders (a summary 2-5 ms at 1,000,000 orders, 9-41 ms at
-- 10,000,000). Now every writer of the rollups (the triggers' *_add
-- functions, the rebuild) dates a row in the zone of report_rollup_zone,
-- read once per statement (a join with the one row), and the reports' bounds
-- are the midnights of that zone: a period of whole local days in it reads
-- the rollups alone. Any other period is still exact: its whole days in the
-- stored zone from the rollups, the rest from orders.
--
-- It starts as 'UTC', what the rows already hold: nothing is rewritten here.
-- report_rollups_rezone(zone) changes it and rewrites the rollups in one
-- transaction; the service calls it with REPORT_TIMEZONE after migrating.

CREATE TABLE report_rollup_zone (
  one_row boolean PRIMARY KEY DEFAULT true CHECK (one_row),
  zone    text NOT NULL
);
INSERT INTO report_rollup_zone (zone) VALUES ('UTC');
-- Planned as the one row it is (autovacuum never analyzes a table this small).
ANALYZE report_rollup_zone;

CREATE OR REPLACE FUNCTION report_rollups_add(deltas order_rollup_delta[]) RETURNS void
LANGUAGE sql AS $$
  INSERT INTO report_created_daily AS r (day, status, equipment_type, slot, orders)
  SELECT (d.created_at AT TIME ZONE z.zone)::date, d.status, d.equipment_type, report_rollup_slot(), sum(d.sign)
  FROM unnest(deltas) d CROSS JOIN report_rollup_zone z
  GROUP BY 1, 2, 3 HAVING sum(d.sign) <> 0
  ORDER BY 1, 2, 3
  ON CONFLICT (day, status, equipment_type, slot) DO UPDATE SET orders = r.orders + EXCLUDED.orders;

  INSERT INTO report_closed_daily_equipment AS r (day, equipment_type, slot, orders, revenue, materials, master_share, company_share)
  SELECT (d.closed_at AT TIME ZONE z.zone)::date, d.equipment_type, report_rollup_slot(), sum(d.sign),
         sum(d.sign * d.total_amount), sum(d.sign * d.materials_cost), sum(d.sign * d.master_profit), sum(d.sign * d.company_profit)
  FROM unnest(deltas) d CROSS JOIN report_rollup_zone z WHERE d.status = 'CLOSED'
  GROUP BY 1, 2 HAVING sum(d.sign) <> 0 OR sum(d.sign * d.total_amount) <> 0
  ORDER BY 1, 2
  ON CONFLICT (day, equipment_type, slot) DO UPDATE SET
    orders = r.orders + EXCLUDED.orders, revenue = r.revenue + EXCLUDED.revenue, materials = r.materials + EXCLUDED.materials,
    master_share = r.master_share + EXCLUDED.master_share, company_share = r.company_share + EXCLUDED.company_share;

  INSERT INTO report_closed_daily_master AS r (day, master_id, orders, revenue, materials, master_share, company_share)
  SELECT (d.closed_at AT TIME ZONE z.zone)::date, d.master_id, sum(d.sign),
         sum(d.sign * d.total_amount), sum(d.sign * d.materials_cost), sum(d.sign * d.master_profit), sum(d.sign * d.company_profit)
  FROM unnest(deltas) d CROSS JOIN report_rollup_zone z WHERE d.status = 'CLOSED'
  GROUP BY 1, 2 HAVING sum(d.sign) <> 0 OR sum(d.sign * d.total_amount) <> 0
  ORDER BY 1, 2
  ON CONFLICT (day, master_id) DO UPDATE SET
    orders = r.orders + EXCLUDED.orders, revenue = r.revenue + EXCLUDED.revenue, materials = r.materials + EXCLUDED.materials,
    master_share = r.master_share + EXCLUDED.master_share, company_share = r.company_share + EXCLUDED.company_share;

  INSERT INTO report_completed_daily_master AS r (day, master_id, orders)
  SELECT (d.completed_at AT TIME ZONE z.zone)::date, d.master_id, sum(d.sign)
  FROM unnest(deltas) d CROSS JOIN report_rollup_zone z WHERE d.completed_at IS NOT NULL
  GROUP BY 1, 2 HAVING sum(d.sign) <> 0
  ORDER BY 1, 2
  ON CONFLICT (day, master_id) DO UPDATE SET orders = r.orders + EXCLUDED.orders;
$$;

CREATE OR REPLACE FUNCTION report_refusal_fees_add(deltas refusal_fee_delta[]) RETURNS void
LANGUAGE sql AS $$
  INSERT INTO report_refusal_fees_daily AS r (day, master_id, orders, fee, master_share, company_share)
  SELECT (d.refused_at AT TIME ZONE z.zone)::date, COALESCE(d.master_id, 0), sum(d.sign),
         sum(d.sign * d.fee), sum(d.sign * d.master_share), sum(d.sign * d.company_share)
  FROM unnest(deltas) d CROSS JOIN report_rollup_zone z
  GROUP BY 1, 2
  HAVING sum(d.sign) <> 0 OR sum(d.sign * d.fee) <> 0 OR sum(d.sign * d.master_share) <> 0
  ORDER BY 1, 2
  ON CONFLICT (day, master_id) DO UPDATE SET
    orders = r.orders + EXCLUDED.orders, fee = r.fee + EXCLUDED.fee,
    master_share = r.master_share + EXCLUDED.master_share, company_share = r.company_share + EXCLUDED.company_share;
$$;

CREATE OR REPLACE FUNCTION report_arrivals_add(deltas arrival_delta[]) RETURNS void
LANGUAGE sql AS $$
  INSERT INTO report_arrivals_daily AS r (day, master_id, visits, on_time)
  SELECT (d.arrived_at AT TIME ZONE z.zone)::date, d.master_id, sum(d.sign), COALESCE(sum(d.sign) FILTER (WHERE d.on_time), 0)
  FROM unnest(deltas) d CROSS JOIN report_rollup_zone z
  GROUP BY 1, 2
  HAVING sum(d.sign) <> 0 OR COALESCE(sum(d.sign) FILTER (WHERE d.on_time), 0) <> 0
  ORDER BY 1, 2
  ON CONFLICT (day, master_id) DO UPDATE SET visits = r.visits + EXCLUDED.visits, on_time = r.on_time + EXCLUDED.on_time;
$$;

-- Every rollup computed from orders into empty tables; the callers empty them.
CREATE FUNCTION report_rollups_fill() RETURNS void
LANGUAGE sql AS $$
  INSERT INTO report_created_daily (day, status, equipment_type, orders)
  SELECT (o.created_at AT TIME ZONE z.zone)::date, o.status, o.equipment_type, count(*)
  FROM orders o CROSS JOIN report_rollup_zone z WHERE o.deleted_at IS NULL GROUP BY 1, 2, 3;
  INSERT INTO report_closed_daily_equipment (day, equipment_type, orders, revenue, materials, master_share, company_share)
  SELECT (o.closed_at AT TIME ZONE z.zone)::date, o.equipment_type, count(*),
         sum(o.total_amount), sum(o.materials_cost), sum(o.master_profit), sum(o.company_profit)
  FROM orders o CROSS JOIN report_rollup_zone z WHERE o.status = 'CLOSED' AND o.deleted_at IS NULL GROUP BY 1, 2;
  INSERT INTO report_closed_daily_master (day, master_id, orders, revenue, materials, master_share, company_share)
  SELECT (o.closed_at AT TIME ZONE z.zone)::date, o.master_id, count(*),
         sum(o.total_amount), sum(o.materials_cost), sum(o.master_profit), sum(o.company_profit)
  FROM orders o CROSS JOIN report_rollup_zone z WHERE o.status = 'CLOSED' AND o.deleted_at IS NULL GROUP BY 1, 2;
  INSERT INTO report_completed_daily_master (day, master_id, orders)
  SELECT (o.completed_at AT TIME ZONE z.zone)::date, o.master_id, count(*)
  FROM orders o CROSS JOIN report_rollup_zone z WHERE o.completed_at IS NOT NULL AND o.deleted_at IS NULL GROUP BY 1, 2;
  INSERT INTO report_refusal_fees_daily (day, master_id, orders, fee, master_share, company_share)
  SELECT (o.refused_at AT TIME ZONE z.zone)::date, COALESCE(o.master_id, 0), count(*),
         sum(o.refusal_fee), sum(o.refusal_master_share), sum(o.refusal_company_share)
  FROM orders o CROSS JOIN report_rollup_zone z WHERE o.refusal_fee IS NOT NULL AND o.deleted_at IS NULL GROUP BY 1, 2;
  INSERT INTO report_arrivals_daily (day, master_id, visits, on_time)
  SELECT (o.arrived_at AT TIME ZONE z.zone)::date, o.master_id, count(*),
         count(*) FILTER (WHERE o.arrived_at <= COALESCE(o.scheduled_until, o.scheduled_at))
  FROM orders o CROSS JOIN report_rollup_zone z
  WHERE o.arrived_at IS NOT NULL AND o.deleted_at IS NULL AND o.scheduled_at IS NOT NULL AND o.master_id IS NOT NULL GROUP BY 1, 2;
$$;

CREATE OR REPLACE FUNCTION report_rollups_rebuild() RETURNS void
LANGUAGE sql AS $$
  TRUNCATE report_created_daily, report_closed_daily_equipment, report_closed_daily_master, report_completed_daily_master,
    report_refusal_fees_daily, report_arrivals_daily;
  SELECT report_rollups_fill();
$$;

-- Rewrites the rollups in another zone; false when they are in it already.
-- Writers of orders are locked out first (every rollup writer writes orders
-- in its transaction: the triggers, the importer's deferred adds), and the
-- zone is read again under the lock: a writer that read the old zone has
-- committed by then, and one that waits for the lock reads the new zone,
-- as each statement of the *_add functions takes a new snapshot (READ
-- COMMITTED, the service's level). DELETE rather than TRUNCATE: reports keep
-- reading the old zone with its rows until the commit.
CREATE FUNCTION report_rollups_rezone(p_zone text) RETURNS boolean
LANGUAGE plpgsql AS $$
BEGIN
  IF p_zone IS NULL OR p_zone = '' THEN
    RAISE EXCEPTION 'report rollups: a time zone name is required' USING ERRCODE = 'invalid_parameter_value';
  END IF;
  BEGIN
    PERFORM now() AT TIME ZONE p_zone;
  EXCEPTION WHEN invalid_parameter_value THEN
    RAISE EXCEPTION 'report rollups: unknown time zone "%"', p_zone
      USING ERRCODE = 'invalid_parameter_value', HINT = 'Use a time zone name PostgreSQL knows, such as Europe/Moscow (pg_timezone_names).';
  END;
  -- Unchanged: no lock, so a start next to a long import does not wait for it.
  IF (SELECT zone FROM report_rollup_zone) = p_zone THEN RETURN false; END IF;
  LOCK TABLE orders IN SHARE ROW EXCLUSIVE MODE;
  IF (SELECT zone FROM report_rollup_zone) = p_zone THEN RETURN false; END IF;
  UPDATE report_rollup_zone SET zone = p_zone;
  DELETE FROM report_created_daily;
  DELETE FROM report_closed_daily_equipment;
  DELETE FROM report_closed_daily_master;
  DELETE FROM report_completed_daily_master;
  DELETE FROM report_refusal_fees_daily;
  DELETE FROM report_arrivals_daily;
  PERFORM report_rollups_fill();
  RETURN true;
END $$;

-- The whole local days, in the stored zone, of a period [p_from, p_to) (an
-- end NULL: all time on that side): the rollups' days [first_day, end_day),
-- none when first_day >= end_day; and where they start and end,
-- [first_start, end_start), p_from for both when there is no whole day.
-- Midnights are DST-correct: the date in the zone, back to an instant.
CREATE FUNCTION report_period_days(p_from timestamptz, p_to timestamptz)
RETURNS TABLE (first_day date, end_day date, first_start timestamptz, end_start timestamptz)
LANGUAGE sql STABLE PARALLEL SAFE ROWS 1 AS $$
  SELECT d.first_day, d.end_day,
         CASE WHEN d.first_day < d.end_day THEN d.first_day::timestamp AT TIME ZONE d.zone ELSE COALESCE(p_from, '-infinity') END,
         CASE WHEN d.first_day < d.end_day THEN d.end_day::timestamp AT TIME ZONE d.zone ELSE COALESCE(p_from, '-infinity') END
  FROM (SELECT CASE WHEN p_from IS NULL THEN '-infinity'::date
                    ELSE ((p_from - interval '1 microsecond') AT TIME ZONE z.zone)::date + 1 END AS first_day,
               CASE WHEN p_to IS NULL THEN 'infinity'::date ELSE (p_to AT TIME ZONE z.zone)::date END AS end_day,
               z.zone
        FROM report_rollup_zone z) d
$$;

-- The rest of the period, read from orders: [p_from, first_start) and [end_start, p_to).
CREATE FUNCTION report_period_edges(p_from timestamptz, p_to timestamptz) RETURNS TABLE (lo timestamptz, hi timestamptz)
LANGUAGE sql STABLE PARALLEL SAFE ROWS 2 AS $$
  SELECT e.lo, e.hi
  FROM report_period_days(p_from, p_to) d
  CROSS JOIN LATERAL (VALUES (COALESCE(p_from, '-infinity'::timestamptz), d.first_start),
                             (d.end_start, COALESCE(p_to, 'infinity'::timestamptz))) AS e(lo, hi)
$$;

-- 0009's and 0159's bounds, now in the stored zone (this build reads the two
-- functions above; a previous one, still running during a deploy, these).
CREATE OR REPLACE FUNCTION report_days_start(p_from timestamptz, p_to timestamptz) RETURNS timestamptz
LANGUAGE sql STABLE PARALLEL SAFE AS $$ SELECT first_start FROM report_period_days(p_from, p_to) $$;
CREATE OR REPLACE FUNCTION report_days_end(p_from timestamptz, p_to timestamptz) RETURNS timestamptz
LANGUAGE sql STABLE PARALLEL SAFE AS $$ SELECT end_start FROM report_period_days(p_from, p_to) $$;
CREATE OR REPLACE FUNCTION report_open_days_start(p_from timestamptz, p_to timestamptz) RETURNS timestamptz
LANGUAGE sql STABLE PARALLEL SAFE AS $$ SELECT first_start FROM report_period_days(p_from, p_to) $$;
CREATE OR REPLACE FUNCTION report_open_days_end(p_from timestamptz, p_to timestamptz) RETURNS timestamptz
LANGUAGE sql STABLE PARALLEL SAFE AS $$ SELECT end_start FROM report_period_days(p_from, p_to) $$;
DROP FUNCTION report_utc_midnight(timestamptz);

-- Down Migration
-- The UTC functions of 0009, 0131, 0158 and 0159, then the rollups rewritten
-- in UTC when they were in another zone; writers locked out meanwhile, as in
-- the rezone.
LOCK TABLE orders IN SHARE ROW EXCLUSIVE MODE;
CREATE FUNCTION report_utc_midnight(t timestamptz) RETURNS timestamptz
LANGUAGE sql STABLE PARALLEL SAFE AS $$ SELECT date_bin('1 day', t, timestamptz '2000-01-01 00:00:00+00') $$;
CREATE OR REPLACE FUNCTION report_days_start(p_from timestamptz, p_to timestamptz) RETURNS timestamptz
LANGUAGE sql STABLE PARALLEL SAFE AS $$
  SELECT CASE WHEN report_utc_midnight(p_from - interval '1 microsecond') + interval '24 hours' < report_utc_midnight(p_to)
              THEN report_utc_midnight(p_from - interval '1 microsecond') + interval '24 hours' ELSE p_from END
$$;
CREATE OR REPLACE FUNCTION report_days_end(p_from timestamptz, p_to timestamptz) RETURNS timestamptz
LANGUAGE sql STABLE PARALLEL SAFE AS $$
  SELECT CASE WHEN report_utc_midnight(p_from - interval '1 microsecond') + interval '24 hours' < report_utc_midnight(p_to)
              THEN report_utc_midnight(p_to) ELSE p_from END
$$;
CREATE OR REPLACE FUNCTION report_open_days_start(p_from timestamptz, p_to timestamptz) RETURNS timestamptz
LANGUAGE sql STABLE PARALLEL SAFE AS $$
  SELECT CASE WHEN p_from IS NULL THEN '-infinity'::timestamptz
              WHEN p_to IS NULL THEN report_utc_midnight(p_from - interval '1 microsecond') + interval '24 hours'
              ELSE report_days_start(p_from, p_to) END
$$;
CREATE OR REPLACE FUNCTION report_open_days_end(p_from timestamptz, p_to timestamptz) RETURNS timestamptz
LANGUAGE sql STABLE PARALLEL SAFE AS $$
  SELECT CASE WHEN p_to IS NULL THEN 'infinity'::timestamptz
              WHEN p_from IS NULL THEN report_utc_midnight(p_to)
              ELSE report_days_end(p_from, p_to) END
$$;
DROP FUNCTION report_period_edges(timestamptz, timestamptz);
DROP FUNCTION report_period_days(timestamptz, timestamptz);
DROP FUNCTION report_rollups_rezone(text);

CREATE OR REPLACE FUNCTION report_rollups_add(deltas order_rollup_delta[]) RETURNS void
LANGUAGE sql AS $$
  INSERT INTO report_created_daily AS r (day, status, equipment_type, slot, orders)
  SELECT (d.created_at AT TIME ZONE 'UTC')::date, d.status, d.equipment_type, report_rollup_slot(), sum(d.sign)
  FROM unnest(deltas) d
  GROUP BY 1, 2, 3 HAVING sum(d.sign) <> 0
  ORDER BY 1, 2, 3
  ON CONFLICT (day, status, equipment_type, slot) DO UPDATE SET orders = r.orders + EXCLUDED.orders;

  INSERT INTO report_closed_daily_equipment AS r (day, equipment_type, slot, orders, revenue, materials, master_share, company_share)
  SELECT (d.closed_at AT TIME ZONE 'UTC')::date, d.equipment_type, report_rollup_slot(), sum(d.sign),
         sum(d.sign * d.total_amount), sum(d.sign * d.materials_cost), sum(d.sign * d.master_profit), sum(d.sign * d.company_profit)
  FROM unnest(deltas) d WHERE d.status = 'CLOSED'
  GROUP BY 1, 2 HAVING sum(d.sign) <> 0 OR sum(d.sign * d.total_amount) <> 0
  ORDER BY 1, 2
  ON CONFLICT (day, equipment_type, slot) DO UPDATE SET
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

CREATE OR REPLACE FUNCTION report_refusal_fees_add(deltas refusal_fee_delta[]) RETURNS void
LANGUAGE sql AS $$
  INSERT INTO report_refusal_fees_daily AS r (day, master_id, orders, fee, master_share, company_share)
  SELECT (d.refused_at AT TIME ZONE 'UTC')::date, COALESCE(d.master_id, 0), sum(d.sign),
         sum(d.sign * d.fee), sum(d.sign * d.master_share), sum(d.sign * d.company_share)
  FROM unnest(deltas) d
  GROUP BY 1, 2
  HAVING sum(d.sign) <> 0 OR sum(d.sign * d.fee) <> 0 OR sum(d.sign * d.master_share) <> 0
  ORDER BY 1, 2
  ON CONFLICT (day, master_id) DO UPDATE SET
    orders = r.orders + EXCLUDED.orders, fee = r.fee + EXCLUDED.fee,
    master_share = r.master_share + EXCLUDED.master_share, company_share = r.company_share + EXCLUDED.company_share;
$$;

CREATE OR REPLACE FUNCTION report_arrivals_add(deltas arrival_delta[]) RETURNS void
LANGUAGE sql AS $$
  INSERT INTO report_arrivals_daily AS r (day, master_id, visits, on_time)
  SELECT (d.arrived_at AT TIME ZONE 'UTC')::date, d.master_id, sum(d.sign), COALESCE(sum(d.sign) FILTER (WHERE d.on_time), 0)
  FROM unnest(deltas) d
  GROUP BY 1, 2
  HAVING sum(d.sign) <> 0 OR COALESCE(sum(d.sign) FILTER (WHERE d.on_time), 0) <> 0
  ORDER BY 1, 2
  ON CONFLICT (day, master_id) DO UPDATE SET visits = r.visits + EXCLUDED.visits, on_time = r.on_time + EXCLUDED.on_time;
$$;

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
DROP FUNCTION report_rollups_fill();

-- Rows in another zone would be read as UTC days.
SELECT report_rollups_rebuild() FROM report_rollup_zone WHERE zone <> 'UTC';
DROP TABLE report_rollup_zone;
