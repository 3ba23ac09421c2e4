-- Up Migration
-- Refusal fees in the daily rollups.
--
-- A refusal on site with a fee (migration 0090) is money of its own: the
-- fee, the master's part and the company's part, on the day the client
-- refused. Period reports count it next to the closed orders' money, so it
-- gets a rollup like theirs (0009): whole UTC days come from here, the
-- partial days at a period's ends from orders_refusal_fee_period_idx.
--
-- master_id 0 stands for a fee booked without a master (an imported refusal
-- may have none), so that the key stays a plain primary key.

CREATE TABLE report_refusal_fees_daily (
  day           date NOT NULL,
  master_id     bigint NOT NULL,
  orders        bigint NOT NULL,
  fee           numeric(16, 2) NOT NULL,
  master_share  numeric(16, 2) NOT NULL,
  company_share numeric(16, 2) NOT NULL,
  PRIMARY KEY (day, master_id)
);

CREATE TYPE refusal_fee_delta AS (
  sign          integer,
  refused_at    timestamptz,
  master_id     bigint,
  fee           numeric,
  master_share  numeric,
  company_share numeric
);

-- In key order, as report_rollups_add, so concurrent statements cannot deadlock.
CREATE FUNCTION report_refusal_fees_add(deltas refusal_fee_delta[]) RETURNS void
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

-- A row counts while it carries a fee and is not deleted (the fee exists only
-- on a REFUSED order, by orders_refusal_fee_when_refused); a statement adds its
-- rows' new state and subtracts their old one, as report_rollups_on_change.
CREATE FUNCTION report_refusal_fees_on_change() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
  deltas refusal_fee_delta[] := '{}';
BEGIN
  IF report_rollups_skipped() THEN RETURN NULL; END IF;
  IF TG_OP IN ('UPDATE', 'DELETE') THEN
    deltas := deltas || ARRAY(
      SELECT ROW(-1, o.refused_at, o.master_id, o.refusal_fee, o.refusal_master_share, o.refusal_company_share)::refusal_fee_delta
      FROM old_rows o WHERE o.refusal_fee IS NOT NULL AND o.deleted_at IS NULL);
  END IF;
  IF TG_OP IN ('INSERT', 'UPDATE') THEN
    deltas := deltas || ARRAY(
      SELECT ROW(1, n.refused_at, n.master_id, n.refusal_fee, n.refusal_master_share, n.refusal_company_share)::refusal_fee_delta
      FROM new_rows n WHERE n.refusal_fee IS NOT NULL AND n.deleted_at IS NULL);
  END IF;
  IF cardinality(deltas) > 0 THEN PERFORM report_refusal_fees_add(deltas); END IF;
  RETURN NULL;
END $$;

CREATE TRIGGER orders_refusal_fee_rollups_insert AFTER INSERT ON orders
  REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION report_refusal_fees_on_change();
CREATE TRIGGER orders_refusal_fee_rollups_update AFTER UPDATE ON orders
  REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION report_refusal_fees_on_change();
CREATE TRIGGER orders_refusal_fee_rollups_delete AFTER DELETE ON orders
  REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION report_refusal_fees_on_change();

-- Bulk loaders (seed, importer) skip the triggers and rebuild afterwards: the
-- rebuild now covers the fees too. The body is 0009's plus the last statement.
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

INSERT INTO report_refusal_fees_daily (day, master_id, orders, fee, master_share, company_share)
SELECT (refused_at AT TIME ZONE 'UTC')::date, COALESCE(master_id, 0), count(*),
       sum(refusal_fee), sum(refusal_master_share), sum(refusal_company_share)
FROM orders WHERE refusal_fee IS NOT NULL AND deleted_at IS NULL GROUP BY 1, 2;

-- Down Migration
CREATE OR REPLACE FUNCTION report_rollups_rebuild() RETURNS void
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
DROP TRIGGER orders_refusal_fee_rollups_insert ON orders;
DROP TRIGGER orders_refusal_fee_rollups_update ON orders;
DROP TRIGGER orders_refusal_fee_rollups_delete ON orders;
DROP FUNCTION report_refusal_fees_on_change();
DROP FUNCTION report_refusal_fees_add(refusal_fee_delta[]);
DROP TYPE refusal_fee_delta;
DROP TABLE report_refusal_fees_daily;
