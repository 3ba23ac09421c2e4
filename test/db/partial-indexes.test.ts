import postgres from 'postgres';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { STATUS_SETS, type StatusSetName } from '../../src/orders/order-statuses.ts';
import { useTestDatabase } from '../support/db.ts';

/**
 * A partial index over a status set only serves a query whose own status
 * list implies the index's predicate, and the planner can prove that only
 * from a literal (a generic plan knows nothing of a parameter). So the
 * queries repeat those sets as literals built from STATUS_SETS, and the
 * indexes were written by a migration. When a status joins or leaves a set,
 * the queries follow at once but the index does not: this test fails until
 * a migration recreates the index with the new list.
 */
const INDEXED_SETS: Record<string, { set: StatusSetName; readBy: string }> = {
  orders_board_idx: { set: 'open', readBy: 'src/console/board.sql.ts (OPEN)' },
  orders_open_status_changed_idx: { set: 'withSla', readBy: 'src/telemetry/business-gauges.sql.ts' },
  orders_upcoming_visit_idx: { set: 'visitReminder', readBy: 'src/scheduler/reminders.sql.ts (VISIT_REMINDED)' },
};

const t = useTestDatabase();
let sql: postgres.Sql;
let predicates: Map<string, string>;

beforeAll(async () => {
  sql = postgres(t.url, { max: 1, onnotice: () => {} });
  const rows = await sql<{ name: string; predicate: string }[]>`
    SELECT c.relname AS name, pg_get_expr(i.indpred, i.indrelid) AS predicate
    FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid
    WHERE i.indrelid = 'orders'::regclass AND i.indpred IS NOT NULL`;
  predicates = new Map(rows.map((r) => [r.name, r.predicate]));
});

afterAll(async () => {
  await sql?.end();
});

/** The statuses of a predicate's IN list, as PostgreSQL prints it: status = ANY (ARRAY['NEW'::order_status, ...]). */
function statusList(predicate: string): string[] | null {
  const list = /status = ANY \(ARRAY\[([^\]]*)\]\)/.exec(predicate)?.[1];
  return list === undefined ? null : [...list.matchAll(/'([A-Z_]+)'::order_status/g)].map((m) => m[1]!);
}

describe('partial indexes over a status set match its declaration', () => {
  for (const [index, { set, readBy }] of Object.entries(INDEXED_SETS)) {
    it(`${index} covers STATUS_SETS.${set}, as ${readBy} assumes`, () => {
      // Setup: the predicate the migrations left.
      const predicate = predicates.get(index);

      // Assertions: the same statuses as the declaration, so the query's literal implies it.
      expect(predicate, `${index} is missing or not partial`).toBeDefined();
      expect(statusList(predicate!)?.toSorted()).toEqual([...STATUS_SETS[set]].toSorted());
    });
  }

  it('every partial index on orders with a status list is listed here', () => {
    // Setup: each partial index whose predicate names a list of statuses.
    const withLists = [...predicates].filter(([, p]) => statusList(p) !== null).map(([name]) => name);

    // Assertions: none escapes the check above.
    expect(withLists.toSorted()).toEqual(Object.keys(INDEXED_SETS).toSorted());
  });
});
