-- Up Migration
-- Notifications an instance had queued but not sent when it shut down: the
-- next instance to start sends them (claiming rows, so each goes once), so a
-- shutdown never waits for a chat's throttled queue.
CREATE TABLE bot_outbox (
  id         bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  chat_id    bigint NOT NULL,
  -- The Bot API sendMessage payload, chat_id included.
  payload    jsonb NOT NULL CONSTRAINT bot_outbox_payload_object CHECK (jsonb_typeof(payload) = 'object'),
  created_at timestamptz NOT NULL DEFAULT now()
);

-- Down Migration
DROP TABLE bot_outbox;
