-- Up Migration
-- A job's interval slot is claimed in a short committed statement with a
-- lease that the running instance renews, instead of in a transaction held
-- open for the whole run: a dead instance's claim then ends when its lease
-- does, whatever its backend (or a pooler in front of it) still holds, and a
-- run no longer needs a second connection for its lock.
ALTER TABLE scheduler_ticks
  ADD COLUMN claimed_by text CONSTRAINT scheduler_ticks_claimed_by_length CHECK (char_length(claimed_by) BETWEEN 1 AND 200),
  ADD COLUMN lease_until timestamptz,
  ADD COLUMN finished_at timestamptz,
  ADD COLUMN taken_over_from text CONSTRAINT scheduler_ticks_taken_over_from_length CHECK (char_length(taken_over_from) BETWEEN 1 AND 200);

-- Rows written before this migration were committed only once their run ended.
UPDATE scheduler_ticks SET finished_at = ran_at;

-- An unfinished slot always says who runs it and until when.
ALTER TABLE scheduler_ticks
  ADD CONSTRAINT scheduler_ticks_claim CHECK (finished_at IS NOT NULL OR (claimed_by IS NOT NULL AND lease_until IS NOT NULL));

-- Down Migration
ALTER TABLE scheduler_ticks
  DROP CONSTRAINT scheduler_ticks_claim,
  DROP COLUMN taken_over_from,
  DROP COLUMN finished_at,
  DROP COLUMN lease_until,
  DROP COLUMN claimed_by;
