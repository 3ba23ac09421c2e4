/**
 * Array parameters (unnest($1::text[])) may carry NULL elements, which the
 * declared types cannot say (a 'text[]' is string[]): this is the one place
 * that bridges it, so the call sites stay typed.
 */
export function nullable<T>(values: Array<T | null>): T[] {
  return values as T[];
}

/**
 * Rows as one JSON array text (a json_to_recordset parameter), each row
 * stringified alone: measured, twice as fast as stringifying the array once
 * when the text is Cyrillic.
 */
export function jsonArray(rows: readonly unknown[]): string {
  return `[${rows.map((r) => JSON.stringify(r)).join(',')}]`;
}
