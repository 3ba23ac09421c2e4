import type { Queryable } from '../../db/database.ts';
import { defineQuery } from '../../db/query.ts';

/**
 * The order change log (migration 0157) as the console's listener reads it.
 * Transaction ids travel as text: xid8 is a 64-bit counter and JavaScript
 * compares them as BigInt.
 */

const readOrderChangesQuery = defineQuery({
  name: 'console.read_order_changes',
  params: { since: 'text?' },
  columns: { xmin: 'text', txid: 'text?', ids: 'int8[]?' },
  // One statement, one snapshot: the xmin returned is that of the snapshot
  // the rows were read in, so every transaction below it is either seen
  // here or never committed.
  text: `
WITH snap AS (SELECT pg_snapshot_xmin(pg_current_snapshot()) AS xmin)
SELECT snap.xmin::text AS xmin, c.txid::text AS txid, c.ids
FROM snap
LEFT JOIN console_order_changes c ON c.txid >= $1::text::xid8
ORDER BY c.txid`,
});

/**
 * The changes logged by transactions with an id at or above `since` that
 * have committed, and the reading snapshot's xmin (the next `since`). Always
 * one row at least; with nothing to read its txid is null.
 */
export function readOrderChanges(db: Queryable, since: string | null) {
  return db.many(readOrderChangesQuery, { since });
}

const pruneOrderChangesQuery = defineQuery({
  name: 'console.prune_order_changes',
  params: { before: 'text' },
  columns: {},
  text: `DELETE FROM console_order_changes WHERE txid < $1::text::xid8`,
});

/** Drops the log's rows of transactions below `before` (every listener has read past them). */
export function pruneOrderChanges(db: Queryable, before: string) {
  return db.run(pruneOrderChangesQuery, { before });
}
