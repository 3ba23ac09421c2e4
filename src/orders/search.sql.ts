import type { Queryable } from '../db/database.ts';
import { defineQuery } from '../db/query.ts';
import { PAGE_ORDER } from './list-orders.sql.ts';
import { ORDER_VIEW_COLUMNS, ORDER_VIEW_JOINS, ORDER_VIEW_SELECT, type OrderView } from './order-view.ts';

/**
 * Search queries, newest first. Which one runs for a query is decided in
 * order-search.ts: text goes through the trigram index on search_text
 * (0001) or a walk of the newest orders (0006, 0008), a term of several
 * words through the words index (0155, search-words.sql.ts); phone digits
 * through the suffix index (0007), then the five-digit index (0120, 0141)
 * or the trigram index for a fragment.
 *
 * A value the plan does not depend on is passed as `(SELECT $n::type)`: the
 * planner cannot see it, so the custom plan it would make for each value
 * costs the same as the generic one and the prepared statement settles on
 * the generic plan after five executions. Seen, a pattern, a phone's bounds
 * or a LIMIT made PostgreSQL plan anew at every execution (0.7-5 ms of
 * planning for 0.1-2 ms of execution at 1,000,000 orders) to reach the same
 * plan; the plan each query keeps is the one the queries are written for
 * (test/orders/search-plans.test.ts, BENCHMARKS.md).
 */
/** The newest $2 rows of a `matches` CTE (id, created_at), as order views. */
export const NEWEST_MATCHES = `FROM (SELECT id FROM matches ORDER BY created_at DESC, id DESC LIMIT $2::int4) page
JOIN orders o ON o.id = page.id ${ORDER_VIEW_JOINS}
${PAGE_ORDER}`;

const searchOrdersQuery = defineQuery({
  name: 'orders.search_orders',
  params: { pattern: 'text', limit: 'int4', needle: 'text' },
  columns: ORDER_VIEW_COLUMNS,
  // MATERIALIZED: collect the matches through the trigram index first, then
  // sort; a plan walking created_at instead would read the whole table for a
  // rare term (the only kind this query is left with, see the service).
  text: `
WITH matches AS MATERIALIZED (
  SELECT o.id, o.created_at FROM orders o
  WHERE o.deleted_at IS NULL AND o.search_text LIKE (SELECT $1::text) AND strpos(o.search_text, $3::text) > 0
)
SELECT ${ORDER_VIEW_SELECT}
${NEWEST_MATCHES}`,
});

const searchOrdersCappedQuery = defineQuery({
  name: 'orders.search_orders_capped',
  params: { pattern: 'text', limit: 'int4', cap: 'int4', needle: 'text' },
  columns: { ...ORDER_VIEW_COLUMNS, matched: 'int8' },
  // At most `cap` matches are fetched from the heap; when fewer exist, the
  // newest `limit` of them are the exact answer. The index is asked for the
  // term's words (indexPattern), the whole term is checked on the rows.
  text: `
WITH matches AS MATERIALIZED (
  SELECT o.id, o.created_at FROM orders o
  WHERE o.deleted_at IS NULL AND o.search_text LIKE (SELECT $1::text) AND strpos(o.search_text, $4::text) > 0
  LIMIT $3::int4
)
SELECT ${ORDER_VIEW_SELECT}, (SELECT count(*) FROM matches) AS matched
${NEWEST_MATCHES}`,
});

/**
 * The newest `limit` matches if the term has fewer than `cap` matches in all,
 * else null (too common to sort them all; walk the newest orders instead).
 */
export async function searchOrdersCapped(db: Queryable, needle: string, limit: number, cap: number): Promise<OrderView[] | null> {
  return withinCap(await db.many(searchOrdersCappedQuery, { pattern: indexPattern(needle), limit, cap, needle }), cap);
}

/** A capped query's page, or null when its matches reached the cap (`matched` is on every row). */
export function withinCap(rows: Array<OrderView & { matched: number }>, cap: number): OrderView[] | null {
  if (rows.length > 0 && rows[0]!.matched >= cap) return null;
  return rows.map(({ matched: _matched, ...order }) => order);
}

const searchRecentOrdersQuery = defineQuery({
  name: 'orders.search_recent_orders',
  params: { needle: 'text', limit: 'int4', window: 'int4' },
  columns: ORDER_VIEW_COLUMNS,
  // "search_text IS NOT NULL" (always true) lets the window walk
  // orders_search_recent_idx, which other queries cannot pick; it carries
  // search_text, so the walk reads the index alone (0006, 0008). strpos,
  // not LIKE '%term%': the same test on every row walked, 3x cheaper
  // (60,000 rows: 18 ms against 40-58 ms, BENCHMARKS.md).
  text: `
SELECT ${ORDER_VIEW_SELECT}
FROM (
  SELECT w.id, w.created_at FROM (
    SELECT o.id, o.created_at, o.search_text FROM orders o
    WHERE o.deleted_at IS NULL AND o.search_text IS NOT NULL
    ${PAGE_ORDER}
    LIMIT (SELECT $3::int4)
  ) w
  WHERE strpos(w.search_text, $1::text) > 0
  ORDER BY w.created_at DESC, w.id DESC
  LIMIT (SELECT $2::int4)
) page
JOIN orders o ON o.id = page.id ${ORDER_VIEW_JOINS}
${PAGE_ORDER}`,
});

/**
 * Matches among the `window` newest orders only: a walk newest first that
 * costs the same whatever the term. For a common term (a first name, a
 * street) the newest matches are all here, where the trigram index would
 * fetch and sort every one of its tens of thousands of matches.
 */
export function searchRecentOrders(db: Queryable, needle: string, limit: number, window: number): Promise<OrderView[]> {
  return db.many(searchRecentOrdersQuery, { needle, limit, window });
}

const searchOrdersByPhoneQuery = defineQuery({
  name: 'orders.search_orders_by_phone',
  params: { fromKey: 'text', toKey: 'text', limit: 'int4' },
  columns: ORDER_VIEW_COLUMNS,
  // A range on the reversed digits (orders_phone_suffix_idx, 0007): bounds,
  // not LIKE, so the generic plan (the bounds hidden, see above) keeps the index.
  text: `
SELECT ${ORDER_VIEW_SELECT}
FROM (
  SELECT id, created_at FROM orders
  WHERE deleted_at IS NULL
    AND reverse(ltrim(client_phone, '+')) ~>=~ (SELECT $1::text)
    AND reverse(ltrim(client_phone, '+')) ~<~ (SELECT $2::text)
  ORDER BY created_at DESC, id DESC
  LIMIT (SELECT $3::int4)
) page
JOIN orders o ON o.id = page.id ${ORDER_VIEW_JOINS}
${PAGE_ORDER}`,
});

/** Orders whose phone ends with these digits, newest first. */
export function searchOrdersByPhone(db: Queryable, digits: string, limit: number): Promise<OrderView[]> {
  const fromKey = [...digits].reverse().join('');
  // The smallest string greater than every string starting with fromKey ('9' + 1 is ':').
  const toKey = fromKey.slice(0, -1) + String.fromCharCode(fromKey.charCodeAt(fromKey.length - 1) + 1);
  return db.many(searchOrdersByPhoneQuery, { fromKey, toKey, limit });
}

/** Escapes LIKE wildcards so user text only ever matches literally. */
function containsPattern(text: string): string {
  return `%${text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}

/** A term's words as pg_trgm splits text: runs of letters and digits. */
export function termWords(needle: string): string[] {
  return needle.match(/[\p{L}\p{N}]+/gu) ?? [];
}

/**
 * What the trigram index is asked for a text term: its words in order,
 * joined by wildcards ("ул. ленина, д. 5" -> "%ул%ленина%д%5%"). pg_trgm
 * then looks up only the trigrams inside words of three characters or more,
 * and none of the word-boundary trigrams of short tokens (" д ", "  5",
 * " кв"): those are in nearly every order, and intersecting their posting
 * lists was what a whole address cost (278 ms at 1,000,000 orders against
 * a few ms). Looser than the term, so the queries check the term itself
 * (strpos) on the rows found. A term without such a word keeps its own
 * pattern: a pattern with no trigram at all would read the whole index.
 */
export function indexPattern(needle: string): string {
  const words = termWords(needle);
  if (!words.some((w) => w.length >= 3)) return containsPattern(needle);
  return `%${words.join('%')}%`;
}

/**
 * Orders whose client name, address or phone contains `needle` (already
 * lower-cased), via the trigram index on search_text.
 */
export function searchOrders(db: Queryable, needle: string, limit: number): Promise<OrderView[]> {
  return db.many(searchOrdersQuery, { pattern: indexPattern(needle), limit, needle });
}

const searchOrdersByPhoneFragmentQuery = defineQuery({
  name: 'orders.search_orders_by_phone_fragment',
  params: { pattern: 'text', limit: 'int4' },
  columns: ORDER_VIEW_COLUMNS,
  // The trigram index finds the digits in search_text; the phone itself is
  // then checked as a filter (no index on it), which drops matches in an
  // address. A LIKE, not a regex: pg_trgm turns "digits then [0-9]+$" into
  // many alternative trigram sets (310 ms mean under load, against one set
  // for LIKE). MATERIALIZED as in search_orders.
  text: `
WITH matches AS MATERIALIZED (
  SELECT o.id, o.created_at FROM orders o
  WHERE o.deleted_at IS NULL AND o.search_text LIKE (SELECT $1::text) AND o.client_phone LIKE (SELECT $1::text)
)
SELECT ${ORDER_VIEW_SELECT}
${NEWEST_MATCHES}`,
});

/** Orders whose phone holds these digits anywhere, newest first. */
export function searchOrdersByPhoneFragment(db: Queryable, digits: string, limit: number): Promise<OrderView[]> {
  if (!/^\d+$/.test(digits)) throw new TypeError('digits only');
  return db.many(searchOrdersByPhoneFragmentQuery, { pattern: `%${digits}%`, limit });
}

const searchOrdersByPhoneGramsQuery = defineQuery({
  name: 'orders.search_orders_by_phone_grams',
  params: { pattern: 'text', limit: 'int4', digits: 'text' },
  columns: ORDER_VIEW_COLUMNS,
  // The phones holding every five-digit substring of the fragment
  // (orders_phone_grams_idx, 0120: posting lists of tens of rows), then
  // the fragment itself checked as a filter (its substrings may be apart).
  text: `
WITH matches AS MATERIALIZED (
  SELECT o.id, o.created_at FROM orders o
  WHERE o.deleted_at IS NULL AND phone_digit_grams(o.client_phone) @> (SELECT phone_digit_grams($3::text)) AND o.client_phone LIKE (SELECT $1::text)
)
SELECT ${ORDER_VIEW_SELECT}
${NEWEST_MATCHES}`,
});

/** Orders whose phone holds these digits (five or more) anywhere, newest first. */
export function searchOrdersByPhoneGrams(db: Queryable, digits: string, limit: number): Promise<OrderView[]> {
  // Fewer than five digits have no five-digit substring: every phone would "contain" the empty set.
  if (!/^\d{5,}$/.test(digits)) throw new TypeError('five digits or more');
  return db.many(searchOrdersByPhoneGramsQuery, { pattern: `%${digits}%`, limit, digits });
}

const searchOrdersByLegacyNumberQuery = defineQuery({
  name: 'orders.search_orders_by_legacy_number',
  params: { legacyNumber: 'int8', limit: 'int4', source: 'text?' },
  columns: ORDER_VIEW_COLUMNS,
  // An imported order by its number in the legacy bot, in one source or in all.
  text: `
WITH matches AS (
  SELECT o.id, o.created_at FROM legacy_orders l JOIN orders o ON o.id = l.order_id
  WHERE l.legacy_id = $1::int8 AND ($3::text IS NULL OR l.source = $3::text) AND o.deleted_at IS NULL
)
SELECT ${ORDER_VIEW_SELECT}
${NEWEST_MATCHES}`,
});

/** Orders imported with this legacy number ("было № 45"), of one source or every one. */
export function searchOrdersByLegacyNumber(db: Queryable, legacyNumber: number, source: string | null, limit: number): Promise<OrderView[]> {
  return db.many(searchOrdersByLegacyNumberQuery, { legacyNumber, limit, source });
}
