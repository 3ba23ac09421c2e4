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
-- PL/pgSQL, not a SQL function: a SQL body with a subquery is never inlined
-- into an index expression, and starting its executor for every row made
-- the index build of a 1,000,000-order seed take 282 s.
CREATE FUNCTION phone_digit_grams(phone text) RETURNS text[]
  LANGUAGE plpgsql IMMUTABLE STRICT PARALLEL SAFE
  AS $$
DECLARE
  d text := ltrim(phone, '+');
  grams text[] := '{}';
BEGIN
  FOR i IN 1 .. length(d) - 4 LOOP
    grams := grams || substr(d, i, 5);
  END LOOP;
  RETURN grams;
END
$$;

CREATE INDEX orders_phone_grams_idx ON orders USING gin (phone_digit_grams(client_phone))
  WHERE deleted_at IS NULL;

-- Down Migration
DROP INDEX orders_phone_grams_idx;
DROP FUNCTION phone_digit_grams(text);
