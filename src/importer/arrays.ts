/**
 * Array parameters (unnest($1::text[])) may carry NULL elements, which the
 * declared types cannot say (a 'text[]' is string[]): this is the one place
 * that bridges it, so the call sites stay typed.
 */
export function nullable<T>(values: Array<T | null>): T[] {
  return values as T[];
}
