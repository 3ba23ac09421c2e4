-- Up Migration
-- Search newest first, without tempting the order lists.
--
-- orders.search_orders asks for the 20 newest orders whose search_text
-- contains a term. For a common term (a street, a surname, +7495) walking
-- the orders newest first and testing each is fastest: the 20th match comes
-- within a few hundred rows. 0005 removed the only index ordered by
-- created_at alone, because the order-list probes walked it filtering on
-- status; search then always went through the trigram index and sorted
-- every match: 100-300 ms for such terms at 1,000,000 orders, against
-- 0.3-0.6 ms walking this index.
--
-- The predicate is always true (search_text is computed from NOT NULL
-- columns), but only a query that says something about search_text implies
-- it, as the search's LIKE does (a strict operator implies IS NOT NULL), so
-- the status lists and reports, which do not, cannot use this index. The
-- planner still picks the trigram index for rare terms.
CREATE INDEX orders_search_recent_idx ON orders (created_at, id)
  WHERE deleted_at IS NULL AND search_text IS NOT NULL;

-- Down Migration
DROP INDEX orders_search_recent_idx;
