-- Up Migration
-- "The client is waiting": each nudge a dispatcher sends a master through
-- the bot, so it is on record (who, when) and two taps within a minute (two
-- dispatchers, or a double tap) send one nudge, not two.
CREATE TABLE order_nudges (
  id         bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  order_id   bigint NOT NULL REFERENCES orders (id) ON DELETE CASCADE,
  master_id  bigint NOT NULL REFERENCES masters (id) ON DELETE CASCADE,
  actor_id   bigint REFERENCES users (id) ON DELETE SET NULL,
  created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX order_nudges_order_recent_idx ON order_nudges (order_id, created_at DESC);

-- Down Migration
DROP TABLE order_nudges;
