-- Up Migration
-- API tokens, exactly-once delivery (Telegram updates, idempotent creates),
-- bot conversation state and the scheduler's bookkeeping.

CREATE TABLE api_tokens (
  id           bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  user_id      bigint NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  -- SHA-256 of the token; the token itself is shown once and never stored.
  token_hash   bytea NOT NULL CONSTRAINT api_tokens_token_hash_key UNIQUE
               CONSTRAINT api_tokens_token_hash_length CHECK (octet_length(token_hash) = 32),
  label        text NOT NULL DEFAULT '' CONSTRAINT api_tokens_label_length CHECK (char_length(label) <= 100),
  created_at   timestamptz NOT NULL DEFAULT now(),
  last_used_at timestamptz,
  revoked_at   timestamptz
);
CREATE INDEX api_tokens_user_idx ON api_tokens (user_id);

-- One row per Telegram update handled; written in the transaction of its effect.
CREATE TABLE processed_updates (
  update_id    bigint PRIMARY KEY,
  processed_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX processed_updates_processed_at_idx ON processed_updates (processed_at);

CREATE TABLE idempotency_keys (
  user_id      bigint NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  key          text NOT NULL CONSTRAINT idempotency_keys_key_length CHECK (char_length(key) BETWEEN 1 AND 200),
  -- SHA-256 of the canonical request body: same key with another body is refused.
  request_hash bytea NOT NULL,
  order_id     bigint NOT NULL REFERENCES orders (id) ON DELETE CASCADE,
  created_at   timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (user_id, key)
);
CREATE INDEX idempotency_keys_created_idx ON idempotency_keys (created_at);

-- A bot conversation in progress (e.g. creating an order step by step), kept
-- here so a restart mid-conversation loses nothing.
CREATE TABLE bot_conversations (
  chat_id    bigint NOT NULL,
  user_id    bigint NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  kind       text NOT NULL CONSTRAINT bot_conversations_kind_format CHECK (kind ~ '^[a-z_]+$'),
  step       text NOT NULL,
  data       jsonb NOT NULL DEFAULT '{}'::jsonb,
  updated_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (chat_id, user_id)
);

-- Alerts already sent about an order (SLA breach, accept reminder): one per
-- order, kind and entry into the status, so each breach is announced once.
CREATE TABLE order_alerts (
  order_id          bigint NOT NULL REFERENCES orders (id) ON DELETE CASCADE,
  kind              text NOT NULL CONSTRAINT order_alerts_kind_known CHECK (kind IN ('sla_breach', 'accept_reminder')),
  status            order_status NOT NULL,
  status_changed_at timestamptz NOT NULL,
  sent_at           timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (order_id, kind, status_changed_at)
);

-- Periodic jobs that must run once per period across instances (daily reports).
CREATE TABLE scheduler_runs (
  job        text NOT NULL,
  period_key text NOT NULL,
  started_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (job, period_key)
);

-- SLA watch reads open orders by how long they have been in their status.
CREATE INDEX orders_open_status_changed_idx ON orders (status, status_changed_at)
  WHERE deleted_at IS NULL AND status IN ('NEW', 'ASSIGNED', 'ACCEPTED', 'IN_PROGRESS');

-- Down Migration
DROP INDEX orders_open_status_changed_idx;
DROP TABLE scheduler_runs;
DROP TABLE order_alerts;
DROP TABLE bot_conversations;
DROP TABLE idempotency_keys;
DROP TABLE processed_updates;
DROP TABLE api_tokens;
