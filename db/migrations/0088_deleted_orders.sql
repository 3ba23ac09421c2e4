-- Up Migration
-- The admins' list of deleted orders, newest deletion first (keyset on
-- deleted_at, id). Deleted orders are few: the partial index stays small.
CREATE INDEX orders_deleted_idx ON orders (deleted_at DESC, id DESC) WHERE deleted_at IS NOT NULL;

-- Down Migration
DROP INDEX orders_deleted_idx;
