-- Up Migration
-- On-time arrival per master (reports, the master's card) reads each order's
-- first check-in: its first move to IN_PROGRESS. A partial index keeps a
-- period's check-ins one range scan away instead of a pass over all history.
CREATE INDEX order_status_history_arrivals_idx ON order_status_history (changed_at) WHERE new_status = 'IN_PROGRESS';

-- Down Migration
DROP INDEX order_status_history_arrivals_idx;
