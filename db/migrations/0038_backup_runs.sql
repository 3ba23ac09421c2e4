-- Up Migration
-- The daily scheduled backup: one row per attempt, claimed by inserting it
-- (day, attempt), so with several instances one makes the day's backup, a
-- failed attempt is retried a bounded number of times, and every instance can
-- tell when the last good backup was made (repair_backup_last_success_timestamp_seconds).
CREATE TABLE backup_runs (
  id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  -- The local calendar day (REPORT_TIMEZONE) the backup is for.
  day         date NOT NULL,
  attempt     integer NOT NULL CONSTRAINT backup_runs_attempt_range CHECK (attempt BETWEEN 1 AND 10),
  started_at  timestamptz NOT NULL,
  finished_at timestamptz,
  outcome     text CONSTRAINT backup_runs_outcome_known CHECK (outcome IN ('success', 'failure')),
  file_name   text CONSTRAINT backup_runs_file_name_length CHECK (char_length(file_name) BETWEEN 1 AND 255),
  size_bytes  bigint CONSTRAINT backup_runs_size_nonnegative CHECK (size_bytes >= 0),
  error       text CONSTRAINT backup_runs_error_length CHECK (char_length(error) <= 2000),
  CONSTRAINT backup_runs_day_attempt_key UNIQUE (day, attempt),
  CONSTRAINT backup_runs_finished_has_outcome CHECK ((finished_at IS NULL) = (outcome IS NULL)),
  CONSTRAINT backup_runs_success_has_file CHECK (outcome IS DISTINCT FROM 'success' OR (file_name IS NOT NULL AND size_bytes IS NOT NULL))
);
CREATE INDEX backup_runs_success_idx ON backup_runs (finished_at) WHERE outcome = 'success';

-- Down Migration
DROP TABLE backup_runs;
