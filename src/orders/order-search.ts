import type { Queryable } from '../db/database.ts';
import { ValidationError } from '../errors.ts';
import { findOrdersByNumber } from './order-number.sql.ts';
import type { OrderView } from './order-view.ts';
import { searchOrdersByWords, wordsQuery } from './search-words.sql.ts';
import {
  searchOrders,
  searchOrdersByLegacyNumber,
  searchOrdersByPhone,
  searchOrdersByPhoneFragment,
  searchOrdersByPhoneGrams,
  searchOrdersCapped,
  searchRecentOrders,
  termWords,
} from './search.sql.ts';

/** How many of the newest orders a text search looks at before it asks the trigram index. */
const SEARCH_RECENT_WINDOW = 3000;
/** A term with fewer matches than this is answered by sorting all of them. */
const SEARCH_MATCH_CAP = 500;

/** A query typed as a phone number: digits with the usual separators. */
function phoneDigitsOf(query: string): string | null {
  const trimmed = query.trim();
  if (!/^[\d\s()+.-]+$/.test(trimmed)) return null;
  const digits = trimmed.replace(/\D/g, '');
  // +7 and 8 are the same Russian trunk prefix; match on the digits after it.
  if (digits.length === 11 && /^[78]/.test(digits)) return digits.slice(1);
  if (/^(\+\s*7|8\s*[\s(-])/.test(trimmed)) return digits.slice(1);
  return digits;
}

/**
 * Orders matching a search, newest first. "#N" finds order N (or the
 * imported order that was N in the legacy bot). Phone digits find the numbers
 * ending with them or, when none does, the numbers holding them anywhere;
 * text finds a substring of the client's name, address or phone, in any case.
 */
/**
 * A legacy bot's order number as people quote it after the switch: '№ 45',
 * 'было 45', 'msk 45', 'msk-45', '45 msk', '№45 (msk)'.
 */
function legacyNumberOf(query: string): { number: number; source: string | null } | null {
  const q = query.trim().toLowerCase();
  const marked = /^(?:было\s*)?№\s*(\d{1,12})(?:[\s,(]+([a-z0-9][a-z0-9_-]{0,31})\)?)?$/.exec(q) ?? /^было\s+(\d{1,12})$/.exec(q);
  if (marked) return { number: Number(marked[1]), source: marked[2] ?? null };
  const before = /^([a-z][a-z0-9_-]{0,31}?)[\s:/#-]*№?\s*(\d{1,12})$/.exec(q);
  if (before) return { number: Number(before[2]), source: before[1]! };
  const after = /^(\d{1,12})[\s,(]+([a-z][a-z0-9_-]{0,31})\)?$/.exec(q);
  if (after) return { number: Number(after[1]), source: after[2]! };
  return null;
}

export async function searchOrderViews(db: Queryable, query: string, limit: number, window = SEARCH_RECENT_WINDOW): Promise<OrderView[]> {
  // "#123": an order number, ours (or the legacy bot's, for an imported order).
  const number = /^\s*#\s*(\d{1,15})\s*$/.exec(query);
  if (number) return (await findOrdersByNumber(db, Number(number[1]))).slice(0, limit);
  const legacy = legacyNumberOf(query);
  if (legacy) {
    const found = await searchOrdersByLegacyNumber(db, legacy.number, legacy.source, limit);
    if (found.length > 0) return found;
    // "№123" with no legacy order of that number: ours.
    if (/^\s*№\s*\d{1,15}\s*$/.test(query)) return (await findOrdersByNumber(db, legacy.number)).slice(0, limit);
    if (/№|было/.test(query)) return found;
  }
  const digits = phoneDigitsOf(query);
  if (digits !== null) return searchByPhone(db, digits, limit);
  const needle = query.trim().toLowerCase();
  if (needle.length < 3) throw new ValidationError('must have at least 3 characters', { field: 'q' });
  // Cheapest first. A common term fills a page from the newest orders. One
  // seen a few times there has hundreds of matches in all: a walk long
  // enough to expect a page beats fetching them through the trigram index.
  // A rare one is found whole through the trigram index (cost follows its
  // matches); one in between gets the longest walk of the newest orders.
  // Two words of three letters or more (a full name, an address) are
  // nearly always rare: an index first, without walking the newest orders
  // to learn it (the walk was most of such a search's time). The words
  // index when the term has words it keys (its posting lists are a word's
  // orders, where the trigram index intersects lists of common trigrams).
  const specific = termWords(needle).filter((w) => w.length >= 3).length >= 2;
  if (specific) {
    const words = wordsQuery(needle);
    const rare = words ? await searchOrdersByWords(db, words, needle, limit, SEARCH_MATCH_CAP) : await searchOrdersCapped(db, needle, limit, SEARCH_MATCH_CAP);
    if (rare) return rare;
  }
  const recent = await searchRecentOrders(db, needle, limit, window);
  if (recent.length >= limit) return recent;
  if (recent.length >= 2) {
    const longer = window * Math.min(100, Math.ceil((2 * limit) / recent.length));
    const walked = await searchRecentOrders(db, needle, limit, longer);
    if (walked.length >= limit) return walked;
  }
  const rare = specific ? null : await searchOrdersCapped(db, needle, limit, SEARCH_MATCH_CAP);
  if (rare) return rare;
  const walked = await searchRecentOrders(db, needle, limit, window * 100);
  if (walked.length >= limit) return walked;
  return searchOrders(db, needle, limit);
}

async function searchByPhone(db: Queryable, digits: string, limit: number): Promise<OrderView[]> {
  if (digits.length < 3) throw new ValidationError('must have at least 3 digits of a phone number', { field: 'q' });
  // The ending is what people remember and dictate, and its index is the
  // cheap one; the trigram index (GIN work on unselective digit trigrams)
  // is asked only for a fragment that ends no number, such as its start.
  const endings = await searchOrdersByPhone(db, digits, limit);
  if (endings.length > 0) return endings;
  // Five digits or more: their five-digit substrings are selective keys (0120); fewer, trigrams.
  if (digits.length >= 5) return searchOrdersByPhoneGrams(db, digits, limit);
  return searchOrdersByPhoneFragment(db, digits, limit);
}
