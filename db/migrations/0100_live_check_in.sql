-- Up Migration
-- A check-in made with a live location keeps following it: Telegram edits
-- the shared message as the master moves, and each edit names the chat and
-- message it edits. The check-in remembers that message and until when it
-- is live (the message's date plus its live_period), so an edit moves the
-- stored point only while the sharing lasts; set_at then reads "last seen".
ALTER TABLE order_places
  ADD COLUMN live_chat_id bigint,
  ADD COLUMN live_message_id bigint,
  ADD COLUMN live_until timestamptz,
  ADD CONSTRAINT order_places_live_message_whole CHECK (
    (live_chat_id IS NULL) = (live_message_id IS NULL) AND (live_message_id IS NULL) = (live_until IS NULL)
  ),
  ADD CONSTRAINT order_places_live_only_check_in CHECK (live_message_id IS NULL OR kind = 'check_in');
-- An edit finds its check-in by the message it edits.
CREATE INDEX order_places_live_message_idx ON order_places (live_chat_id, live_message_id) WHERE live_message_id IS NOT NULL;

-- Down Migration
DROP INDEX order_places_live_message_idx;
ALTER TABLE order_places
  DROP CONSTRAINT order_places_live_only_check_in,
  DROP CONSTRAINT order_places_live_message_whole,
  DROP COLUMN live_until,
  DROP COLUMN live_message_id,
  DROP COLUMN live_chat_id;
