-- Up Migration
-- A visit agreed as a window ("с 10 до 16"): scheduled_at is its start (the
-- reminders and the SLA keep reading it), scheduled_until its end. A window
-- needs a start and ends after it.
ALTER TABLE orders
  ADD COLUMN scheduled_until timestamptz,
  ADD CONSTRAINT orders_scheduled_until_after_start
    CHECK (scheduled_until IS NULL OR (scheduled_at IS NOT NULL AND scheduled_until > scheduled_at));

-- Down Migration
ALTER TABLE orders DROP COLUMN scheduled_until;
