-- Up Migration
-- An imported order's legacy row (legacy_orders.legacy_row) as json, not jsonb.
--
-- It is written once per order by the importer and read back only to name
-- the legacy columns a later snapshot changed; nothing queries inside it.
-- jsonb parsed every row into its binary form and sorted its keys on the
-- way in: measured on a batch of 500 legacy orders, 8 ms of the batch's
-- insert against 2 ms for json, which only checks the text. At 100,000
-- orders that was over a second of the server's time in an import whose
-- target is 20 s. json also keeps the row as the legacy file had it (its
-- key order), which is what "kept whole" means. The users' and masters'
-- legacy rows stay jsonb: a few hundred rows, compared on every re-import.
ALTER TABLE legacy_orders ALTER COLUMN legacy_row TYPE json USING legacy_row::json;

-- Down Migration
ALTER TABLE legacy_orders ALTER COLUMN legacy_row TYPE jsonb USING legacy_row::jsonb;
