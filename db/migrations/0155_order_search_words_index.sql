-- Up Migration
-- Search by a term of several words through an index keyed by whole words.
--
-- A whole name or address went to the trigram index on search_text, where
-- the keys of common words are long posting lists ("вна" ends every other
-- patronymic): a whole name of two common words was 360 matches found
-- through seven such lists (7.8 ms alone at 1,000,000 orders, 88 ms mean
-- under load, the tail of issue #18's search). Keyed by words, "юлия" is
-- one list and "игоревна" another, and their intersection is the answer.
--
-- The keys are the words of the client's name and address (runs of
-- [0-9a-zа-яё], lower-cased as search_text is: an explicit class, so the
-- service splits a term exactly as this does, whatever the locale's idea of
-- a letter), and each word reversed. A term's inner words are whole words
-- of the text; its first word may end a longer word (asked as a prefix of
-- the reversed words) and its last may start one (a prefix of the words).
-- A reversed word that happens to be another word only adds candidates;
-- the service checks the term itself on every row found.
-- The phone is left out: each number is a word of its own, two million
-- keys of one row each at 1,000,000 orders, which made the index four times
-- as slow to build (200,000 orders: 13.4 s against 3.0 s) and four times as
-- large; a term's digits-only words are never asked for where they could
-- be the phone's (see wordsQuery in src/orders/search-words.sql.ts).
-- tsvector, not text[]: GIN answers a prefix of a tsvector lexeme
-- ('игоревна':*), and lexemes compare bytewise, not through the collation.
-- One SQL expression, inlined into the index and the query (no executor per
-- row); ё is a letter of its own, as it is to the search (no folding).
CREATE FUNCTION search_words(client_name text, client_address text) RETURNS tsvector
  LANGUAGE sql IMMUTABLE PARALLEL SAFE
  RETURN array_to_tsvector(array_remove(
    regexp_split_to_array(lower(client_name || ' ' || client_address), '[^0-9a-zа-яё]+')
      || regexp_split_to_array(reverse(lower(client_name || ' ' || client_address)), '[^0-9a-zа-яё]+'),
    ''));

CREATE INDEX orders_search_words_idx ON orders USING gin (search_words(client_name, client_address))
  WHERE deleted_at IS NULL;

-- Down Migration
DROP INDEX orders_search_words_idx;
DROP FUNCTION search_words(text, text);
