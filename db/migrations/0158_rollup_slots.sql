-- Up Migration
-- The two report rollups every order change writes are spread over slots.
--
-- report_created_daily (day, status, equipment type) and
-- report_closed_daily_equipment (day, equipment type) have a handful of rows
-- per day, and every order created, moved or closed today updates one of
-- them and holds its lock until commit: concurrent writers of one type
-- queued on one row (Lock:transactionid, 0.3-0.46 backends on average in the
-- lifecycle at 500/s; BENCHMARKS.md, "Issue #18, fifth pass"). Now each
-- connection writes its own slot of a cell (its backend pid modulo 16), so
-- two connections meet on a row only when their pids share a slot, and the
-- readers, which already sum the rows of a cell, are unchanged. A rebuild
-- writes slot 0. Within one connection the rows are still upserted in key
-- order, so concurrent statements still cannot deadlock on them.
ALTER TABLE report_created_daily ADD COLUMN slot smallint NOT NULL DEFAULT 0,
  DROP CONSTRAINT report_created_daily_pkey,
  ADD CONSTRAINT report_created_daily_pkey PRIMARY KEY (day, status, equipment_type, slot);
ALTER TABLE report_closed_daily_equipment ADD COLUMN slot smallint NOT NULL DEFAULT 0,
  DROP CONSTRAINT report_closed_daily_equipment_pkey,
  ADD CONSTRAINT report_closed_daily_equipment_pkey PRIMARY KEY (day, equipment_type, slot);

CREATE FUNCTION report_rollup_slot() RETURNS smallint
LANGUAGE sql STABLE AS $$ SELECT (pg_backend_pid() % 16)::smallint $$;

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

  -- Per master: the rows are already spread by master.
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

-- Down Migration
-- Each cell's slots summed back into one row, then 0009's function.
CREATE TEMPORARY TABLE created_cells ON COMMIT DROP AS
  SELECT day, status, equipment_type, sum(orders)::bigint AS orders FROM report_created_daily GROUP BY 1, 2, 3;
CREATE TEMPORARY TABLE closed_cells ON COMMIT DROP AS
  SELECT day, equipment_type, sum(orders)::bigint AS orders, sum(revenue) AS revenue, sum(materials) AS materials,
         sum(master_share) AS master_share, sum(company_share) AS company_share
  FROM report_closed_daily_equipment GROUP BY 1, 2;
TRUNCATE report_created_daily, report_closed_daily_equipment;
ALTER TABLE report_created_daily DROP CONSTRAINT report_created_daily_pkey, DROP COLUMN slot,
  ADD CONSTRAINT report_created_daily_pkey PRIMARY KEY (day, status, equipment_type);
ALTER TABLE report_closed_daily_equipment DROP CONSTRAINT report_closed_daily_equipment_pkey, DROP COLUMN slot,
  ADD CONSTRAINT report_closed_daily_equipment_pkey PRIMARY KEY (day, equipment_type);
INSERT INTO report_created_daily (day, status, equipment_type, orders) SELECT * FROM created_cells;
INSERT INTO report_closed_daily_equipment (day, equipment_type, orders, revenue, materials, master_share, company_share)
  SELECT * FROM closed_cells;

CREATE OR REPLACE FUNCTION report_rollups_add(deltas order_rollup_delta[]) RETURNS void
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
DROP FUNCTION report_rollup_slot();
