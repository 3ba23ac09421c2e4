/** A row whose listed columns the query's WHERE clause and the table's CHECKs guarantee are set. */
export type WithRequired<R, K extends keyof R> = Omit<R, K> & { [P in K]: NonNullable<R[P]> };

/**
 * Narrows columns declared nullable (they are nullable in the table) that a
 * query only returns set: a completed order always has its master, its
 * completion time and its money (orders_money_matches_status). Checked, not
 * assumed: a broken invariant fails loudly instead of printing a blank.
 */
export function required<R, K extends keyof R>(rows: readonly R[], keys: readonly K[], query: string): Array<WithRequired<R, K>> {
  for (const row of rows) {
    for (const k of keys) if (row[k] === null || row[k] === undefined) throw new Error(`${query}: ${String(k)} is unexpectedly null`);
  }
  return rows as unknown as Array<WithRequired<R, K>>;
}
