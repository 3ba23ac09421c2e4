-- Up Migration
-- Repeating reminders (unassigned orders, assignments not accepted, upcoming
-- visits) and where run-time settings live (the dispatchers' group chat).

-- One row per reminder sent: an order, what it is about (its entry into the
-- status, or the visit time) and the repeat interval it was sent in. Whichever
-- instance inserts the row sends the reminder, so each goes out once per
-- interval however many instances run.
CREATE TABLE order_reminders (
  order_id   bigint NOT NULL REFERENCES orders (id) ON DELETE CASCADE,
  kind       text NOT NULL CONSTRAINT order_reminders_kind_known CHECK (kind IN ('unassigned', 'accept', 'visit')),
  -- status_changed_at for unassigned and accept reminders, scheduled_at for a visit.
  subject_at timestamptz NOT NULL,
  -- Start of the repeat interval (a visit reminder: its visit time, sent once).
  slot_at    timestamptz NOT NULL,
  sent_at    timestamptz NOT NULL,
  PRIMARY KEY (order_id, kind, subject_at, slot_at)
);
-- Pruning old rows.
CREATE INDEX order_reminders_sent_at_idx ON order_reminders (sent_at);

-- Visits coming up for orders a master holds.
CREATE INDEX orders_upcoming_visit_idx ON orders (scheduled_at)
  WHERE deleted_at IS NULL AND scheduled_at IS NOT NULL AND status IN ('ASSIGNED', 'ACCEPTED', 'LONG_REPAIR');

-- Settings admins change at run time: the same table as the money branch's
-- 0034_report_settings (IF NOT EXISTS: whichever lands first creates it).
-- The dispatchers' group chat is the key notifications.dispatcher_chat_id.
CREATE TABLE IF NOT EXISTS app_settings (
  key        text PRIMARY KEY CONSTRAINT app_settings_key_format CHECK (key ~ '^[a-z][a-z0-9_.]{1,63}$'),
  value      jsonb NOT NULL,
  updated_by bigint REFERENCES users (id) ON DELETE SET NULL,
  updated_at timestamptz NOT NULL DEFAULT now()
);

-- Down Migration
-- app_settings stays: 0034 may own it.
DROP INDEX orders_upcoming_visit_idx;
DROP TABLE order_reminders;
