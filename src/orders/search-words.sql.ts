import type { Queryable } from '../db/database.ts';
import { defineQuery } from '../db/query.ts';
import { ORDER_VIEW_COLUMNS, ORDER_VIEW_SELECT, type OrderView } from './order-view.ts';
import { NEWEST_MATCHES, withinCap } from './search.sql.ts';

/**
 * A word as orders_search_words_idx (0155) splits a client's name and
 * address (search_text without the phone): the same
 * explicit class on both sides, so a word of a term is a word of the text
 * whatever either side's locale calls a letter.
 */
const WORD = /[0-9a-zа-яё]+/gu;

const reversed = (word: string) => [...word].reverse().join('');

/** Phone numbers are 5 to 20 digits (orders_client_phone_format). */
const PHONE_MIN_DIGITS = 5;

/**
 * What orders_search_words_idx is asked for a term (already lower-cased),
 * as tsquery text, or null when it has fewer than two words the index can
 * narrow it by (the trigram index and the walks answer those). A text
 * holding the term holds its inner words whole; its first word may be the
 * end of a longer word (a prefix of the reversed words) unless something
 * precedes it in the term, and its last the start of one. Left out: short
 * words of letters ("д", "кв", in nearly every order) and, as the index has
 * no phone in it, any digits-only word that could be the phone or a part of
 * it (all but the inner numbers of a few digits: a house, a flat). Looser
 * than the term: the query checks the term on the rows. The words hold only
 * [0-9a-zа-яё], so no tsquery syntax can come in.
 */
export function wordsQuery(needle: string): string | null {
  const keys: string[] = [];
  for (const match of needle.matchAll(WORD)) {
    const word = match[0];
    const opensTerm = match.index === 0;
    const closesTerm = match.index + word.length === needle.length;
    if (opensTerm && closesTerm) return null;
    const inner = !opensTerm && !closesTerm;
    const usable = /^\d+$/.test(word) ? inner && word.length < PHONE_MIN_DIGITS : [...word].length >= 3;
    if (usable) keys.push(inner ? `'${word}'` : opensTerm ? `'${reversed(word)}':*` : `'${word}':*`);
  }
  return keys.length >= 2 ? keys.join(' & ') : null;
}

const searchOrdersByWordsQuery = defineQuery({
  name: 'orders.search_orders_by_words',
  params: { words: 'text', limit: 'int4', cap: 'int4', needle: 'text' },
  columns: { ...ORDER_VIEW_COLUMNS, matched: 'int8' },
  // As search_orders_capped, with the words index (0155) finding the
  // candidates: at most `cap` matches are fetched, the newest `limit` of
  // them are the answer when there are fewer.
  text: `
WITH matches AS MATERIALIZED (
  SELECT o.id, o.created_at FROM orders o
  WHERE o.deleted_at IS NULL AND search_words(o.client_name, o.client_address) @@ $1::text::tsquery AND strpos(o.search_text, $4::text) > 0
  LIMIT $3::int4
)
SELECT ${ORDER_VIEW_SELECT}, (SELECT count(*) FROM matches) AS matched
${NEWEST_MATCHES}`,
});

/**
 * The newest `limit` orders holding `needle` if it has fewer than `cap`
 * matches, else null (too common to sort them all), found through the
 * words index. `words` is wordsQuery(needle).
 */
export async function searchOrdersByWords(db: Queryable, words: string, needle: string, limit: number, cap: number): Promise<OrderView[] | null> {
  return withinCap(await db.many(searchOrdersByWordsQuery, { words, limit, cap, needle }), cap);
}
