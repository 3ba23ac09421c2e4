-- Up Migration
-- Phone search by a fragment from anywhere in the number.
--
-- A fragment that ends no number (the start of one, its middle) went to the
-- trigram index on search_text, where digit trigrams are poor keys: a
-- thousand distinct ones, each in about one row in a hundred, so a
-- 6-digit fragment intersected four posting lists of ~10,000 rows each
-- (11-24 ms at 1,000,000 orders on a busy machine, the tail of issue #18's
-- mix). Five-digit substrings are a hundred thousand keys, each in about
-- seventy rows: a fragment of five digits or more intersects lists of
-- tens of rows. Shorter fragments keep the trigram index.
CREATE FUNCTION phone_digit_grams(phone text) RETURNS text[]
  LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
  AS $$ SELECT ARRAY(SELECT DISTINCT substr(d, i, 5) FROM (SELECT ltrim(phone, '+') AS d) p, generate_series(1, length(d) - 4) AS i) $$;

CREATE INDEX orders_phone_grams_idx ON orders USING gin (phone_digit_grams(client_phone))
  WHERE deleted_at IS NULL;

-- Down Migration
DROP INDEX orders_phone_grams_idx;
DROP FUNCTION phone_digit_grams(text);
