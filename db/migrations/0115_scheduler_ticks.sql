-- Up Migration
-- The last interval slot each scheduler job ran for (slot = floor(epoch ms /
-- interval ms)), claimed in the transaction that holds the job's advisory
-- lock: with several instances each slot of a job runs once, and a claim
-- made by an instance that dies mid-run rolls back, so another runs it.
CREATE TABLE scheduler_ticks (
  job    text PRIMARY KEY CONSTRAINT scheduler_ticks_job_length CHECK (char_length(job) BETWEEN 1 AND 100),
  slot   bigint NOT NULL,
  ran_at timestamptz NOT NULL DEFAULT now()
);

-- Down Migration
DROP TABLE scheduler_ticks;
