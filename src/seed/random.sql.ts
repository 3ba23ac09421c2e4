/**
 * SQL fragments for seeded randomness. A draw is a hash of (key, seed,
 * stream), not random(): the same --seed yields the same rows whatever plan
 * or order the server evaluates them in. Fragments hold no values; the seed
 * is always a bound parameter.
 */

/** A uniform draw in [0, 1) for `key` (an int8 SQL expression) on stream `n` (0..255): 52 bits of the hash. */
export function uniform(key: string, n: number, seedParam: string): string {
  return `((hashint8extended(${key}, ${seedParam}::int8 * 256 + ${n}) & 4503599627370495)::float8 / 4503599627370496.0)`;
}

/** An integer in [0, count) drawn from stream `n`; `count` is an SQL expression. */
export function pick(key: string, n: number, seedParam: string, count: string): string {
  return `floor(${uniform(key, n, seedParam)} * (${count}))::int4`;
}

/** One element of a 1-based SQL array, drawn from stream `n`. */
export function element(array: string, key: string, n: number, seedParam: string): string {
  return `(${array})[1 + ${pick(key, n, seedParam, `cardinality(${array})`)}]`;
}
