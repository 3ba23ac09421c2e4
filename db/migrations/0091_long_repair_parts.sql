-- Up Migration
-- A long repair says what it waits for: the parts needed and an estimated
-- cost, beside the expected completion date. An overdue date alerts the
-- dispatchers once per entry into LONG_REPAIR (order_alerts 'eta_overdue').
ALTER TABLE orders
  ADD COLUMN parts_needed text CONSTRAINT orders_parts_needed_length CHECK (char_length(parts_needed) BETWEEN 1 AND 1000),
  ADD COLUMN estimated_cost numeric(12, 2) CONSTRAINT orders_estimated_cost_nonnegative CHECK (estimated_cost >= 0);

ALTER TABLE order_alerts DROP CONSTRAINT order_alerts_kind_known;
ALTER TABLE order_alerts ADD CONSTRAINT order_alerts_kind_known CHECK (kind IN ('sla_breach', 'accept_reminder', 'eta_overdue'));

-- The ETA watch reads long repairs by their expected date.
CREATE INDEX orders_long_repair_eta_idx ON orders (estimated_completion_date)
  WHERE status = 'LONG_REPAIR' AND deleted_at IS NULL;

-- Down Migration
DROP INDEX orders_long_repair_eta_idx;
DELETE FROM order_alerts WHERE kind = 'eta_overdue';
ALTER TABLE order_alerts DROP CONSTRAINT order_alerts_kind_known;
ALTER TABLE order_alerts ADD CONSTRAINT order_alerts_kind_known CHECK (kind IN ('sla_breach', 'accept_reminder'));
ALTER TABLE orders DROP COLUMN estimated_cost, DROP COLUMN parts_needed;
