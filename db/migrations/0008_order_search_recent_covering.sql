-- Up Migration
-- Search's newest-orders window reads the index alone.
--
-- The window (orders.search_recent_orders) tests each of the newest orders'
-- search_text until a page of matches is found; carrying search_text in the
-- index turns that walk into an index-only scan.
DROP INDEX orders_search_recent_idx;
CREATE INDEX orders_search_recent_idx ON orders (created_at, id) INCLUDE (search_text)
  WHERE deleted_at IS NULL AND search_text IS NOT NULL;

-- Down Migration
DROP INDEX orders_search_recent_idx;
CREATE INDEX orders_search_recent_idx ON orders (created_at, id)
  WHERE deleted_at IS NULL AND search_text IS NOT NULL;
