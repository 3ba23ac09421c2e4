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
-- The keys are the words of search_text (runs of [0-9a-zа-яё]: an explicit
-- class, so the service splits a term exactly as this does, whatever the
-- locale's idea of a letter), and each word reversed. A term's inner words
-- are whole words of the text; its first word may end a longer word (asked
-- as a prefix of the reversed words) and its last may start one (a prefix
-- of the words). A reversed word that happens to be another word only adds
-- candidates; the service checks the term itself on every row found.
-- tsvector, not text[]: GIN answers a prefix of a tsvector lexeme
-- ('игоревна':*), and lexemes compare bytewise, not through the collation.
-- One SQL expression, inlined into the index and the query (no executor per
-- row); ё is a letter of its own, as it is to the search (no folding).
CREATE FUNCTION search_words(search_text text) RETURNS tsvector
  LANGUAGE sql IMMUTABLE PARALLEL SAFE
  RETURN array_to_tsvector(array_remove(
    regexp_split_to_array(search_text, '[^0-9a-zа-яё]+') || regexp_split_to_array(reverse(search_text), '[^0-9a-zа-яё]+'),
    ''));

CREATE INDEX orders_search_words_idx ON orders USING gin (search_words(search_text))
  WHERE deleted_at IS NULL;

-- Down Migration
DROP INDEX orders_search_words_idx;
DROP FUNCTION search_words(text);
