-- Business figures for Grafana's business dashboard, read straight from the
-- orders table (money stays exact NUMERIC). grafana_reader gets aggregates
-- only: the functions run as their owner and return no client data.
-- The function body is resolved at call time, so this can run before the
-- service's migrations create the orders table.
CREATE SCHEMA IF NOT EXISTS reporting;

CREATE OR REPLACE FUNCTION reporting.revenue_by_day(period_from timestamptz, period_to timestamptz)
RETURNS TABLE (day timestamptz, orders_closed bigint, revenue numeric, company_share numeric)
LANGUAGE plpgsql STABLE SECURITY DEFINER
SET search_path = pg_catalog, public
AS $$
BEGIN
  -- Served by orders_closed_period_idx (closed_at) INCLUDE (..., total_amount, company_profit).
  RETURN QUERY
  SELECT date_trunc('day', o.closed_at) AS day,
         count(*)::bigint,
         sum(o.total_amount)::numeric,
         sum(o.company_profit)::numeric
  FROM public.orders o
  WHERE o.status = 'CLOSED' AND o.deleted_at IS NULL
    AND o.closed_at >= period_from AND o.closed_at < period_to
  GROUP BY 1
  ORDER BY 1;
END
$$;

REVOKE ALL ON SCHEMA reporting FROM PUBLIC;
REVOKE ALL ON FUNCTION reporting.revenue_by_day(timestamptz, timestamptz) FROM PUBLIC;
GRANT USAGE ON SCHEMA reporting TO grafana_reader;
GRANT EXECUTE ON FUNCTION reporting.revenue_by_day(timestamptz, timestamptz) TO grafana_reader;
