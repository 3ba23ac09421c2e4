import type { Database, Queryable } from './db/database.ts';
import { listOrders, FIRST_PAGE } from './orders/list-orders.sql.ts';
import { findOrder } from './orders/orders.sql.ts';
import { findOrdersByNumber } from './orders/order-number.sql.ts';
import { searchOrdersByWords } from './orders/search-words.sql.ts';
import { searchOrdersByPhone, searchOrdersByPhoneFragment, searchOrdersByPhoneGrams, searchOrdersCapped, searchRecentOrders } from './orders/search.sql.ts';
import { unmeasured } from './telemetry/unmeasured.ts';
import { hashToken } from './users/tokens.ts';
import { findTokenOwner } from './users/tokens.sql.ts';
import { warmWrites } from './warm-up-writes.ts';

/**
 * The statements of the hot paths (token lookup, order lists, cards,
 * search), run once with values that match nothing, or next to nothing, on
 * each connection: the server parses and plans them under their names and
 * loads the tables' and indexes' catalog entries and top pages into its
 * caches. The writes follow, rolled back (warm-up-writes.ts).
 */
const HOT_READS: Array<(db: Queryable) => Promise<unknown>> = [
  (db) => findTokenOwner(db, hashToken('warm-up')),
  (db) => listOrders(db, ['NEW'], FIRST_PAGE, 20),
  (db) => listOrders(db, ['CLOSED'], FIRST_PAGE, 20),
  (db) => findOrder(db, 0),
  (db) => searchOrdersByPhone(db, '000000', 20),
  (db) => searchOrdersByPhoneFragment(db, '9081726354', 20),
  (db) => searchRecentOrders(db, 'warm-up', 20, 100),
  (db) => searchOrdersByPhoneGrams(db, '9081726354', 20),
  (db) => searchOrdersCapped(db, 'warm-up', 20, 500),
  // A whole name or address: "warm term" as the words index is asked for it.
  (db) => searchOrdersByWords(db, "'mraw':* & 'term':*", 'warm term', 20, 500),
  (db) => findOrdersByNumber(db, 0),
];

/**
 * Opens `connections` pooled connections at once and runs the hot reads on
 * each, before the service listens: a fresh instance then takes its target
 * rate from its first second, without new sessions, first plans and cold
 * catalog caches showing up as slow queries (its own queries, slow or not,
 * are neither logged nor counted). Failures are the caller's to
 * log; the service starts anyway (the first requests then pay instead).
 */
export async function warmUp(db: Database, connections: number): Promise<void> {
  // Not traffic: kept out of the histograms and the slow-query log (unmeasured.ts).
  // The writes one connection at a time: each holds the order sequences until its rollback (warm-up-writes.sql.ts).
  let writes = Promise.resolve();
  await unmeasured(() =>
    // All in flight together, so the pool opens a connection for each instead of reusing one.
    Promise.all(
      Array.from({ length: connections }, () =>
        db.withClient(async (conn, raw) => {
          for (const read of HOT_READS) await read(conn);
          const mine = writes.then(() => warmWrites(conn, raw));
          writes = mine.catch(() => undefined);
          await mine;
        }),
      ),
    ),
  );
}
