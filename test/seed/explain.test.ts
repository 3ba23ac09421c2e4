import postgres from 'postgres';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { registeredQueries, type AnyQuery } from '../../src/db/query.ts';
import { DEFAULT_COMMISSION } from '../../src/orders/money.ts';
import { SEED_DEFAULTS, seedDatabase } from '../../src/seed/seed.ts';
import '../../src/orders/list-orders.sql.ts';
import '../../src/orders/orders.sql.ts';
import '../../src/reports/reports.sql.ts';
import { useTestDatabase } from '../support/db.ts';

/**
 * The production queries, exactly as registered, planned on a database
 * seeded with 1,000,000 orders: every read of orders must go through an
 * index, never a sequential scan, with custom plans (the values known) and
 * with generic plans (what a named prepared statement may settle on).
 */
const t = useTestDatabase();
let sql: postgres.Sql;
let cases: { label: string; query: AnyQuery; values: unknown[] }[];
let orderIndexes: Set<string>;

interface PlanNode {
  'Node Type': string;
  'Relation Name'?: string;
  'Index Name'?: string;
  /** Per loop, as are the rows removed. */
  'Actual Rows'?: number;
  'Actual Loops'?: number;
  'Rows Removed by Filter'?: number;
  Plans?: PlanNode[];
}

function nodes(n: PlanNode): PlanNode[] {
  return [n, ...(n.Plans ?? []).flatMap(nodes)];
}

const ALL = ['NEW', 'ASSIGNED', 'ACCEPTED', 'IN_PROGRESS', 'LONG_REPAIR', 'COMPLETED', 'CLOSED', 'REFUSED'];
const query = (name: string) => registeredQueries().find((q) => q.name === name)!;

beforeAll(async () => {
  // Setup: about a minute on two idle cores.
  await seedDatabase(t.db, { ...SEED_DEFAULTS, orders: 1_000_000, commission: DEFAULT_COMMISSION });
  sql = postgres(t.url, { max: 1, onnotice: () => {} });
  orderIndexes = new Set((await sql`SELECT indexname FROM pg_indexes WHERE tablename = 'orders'`).map((r) => r.indexname as string));
  const [p] = await sql`
    SELECT (SELECT json_build_array(created_at, id) FROM orders WHERE status = 'CLOSED' AND deleted_at IS NULL
            ORDER BY created_at DESC, id DESC OFFSET 400000 LIMIT 1) AS deep,
           (SELECT master_id FROM orders WHERE master_id IS NOT NULL GROUP BY master_id ORDER BY count(*) DESC LIMIT 1)::int AS master,
           (SELECT id FROM orders ORDER BY id OFFSET 500000 LIMIT 1)::int AS id,
           date_trunc('month', now() - interval '2 months') AS from, date_trunc('month', now() - interval '1 month') AS to`;
  const [masterDeep] = await sql`
    SELECT created_at, id::int FROM orders WHERE master_id = ${p!.master} AND deleted_at IS NULL ORDER BY created_at DESC, id DESC OFFSET 5000 LIMIT 1`;
  const month = [p!.from, p!.to];
  cases = [
    { label: 'list, first page, every status', query: query('orders.list_orders'), values: [ALL, 'infinity', 0, 20] },
    { label: 'list, first page, NEW and ASSIGNED', query: query('orders.list_orders'), values: [['NEW', 'ASSIGNED'], 'infinity', 0, 20] },
    { label: 'list, deep keyset page in CLOSED', query: query('orders.list_orders'), values: [['CLOSED'], ...p!.deep, 20] },
    { label: "a master's orders, first page", query: query('orders.list_master_orders'), values: [p!.master, ALL, 'infinity', 0, 20] },
    { label: "a master's orders, deep page", query: query('orders.list_master_orders'), values: [p!.master, ALL, masterDeep!.created_at, masterDeep!.id, 20] },
    { label: 'orders created in a month', query: query('reports.count_created_orders'), values: month },
    { label: 'money closed in a month', query: query('reports.sum_closed_orders'), values: month },
    { label: 'masters in a month', query: query('reports.sum_orders_by_master'), values: [...month, null] },
    { label: 'one master in a month', query: query('reports.sum_orders_by_master'), values: [...month, p!.master] },
    { label: 'closed orders of a month for export', query: query('reports.list_closed_orders_for_export'), values: [...month, '-infinity', 0, 500] },
    { label: 'order by id', query: query('orders.find_order'), values: [p!.id] },
  ];
}, 600_000);

afterAll(async () => {
  await sql?.end();
});

async function plan(text: string, values: unknown[], options: string): Promise<PlanNode[]> {
  const { rows } = await t.db.withClient((_q, raw) => raw.query(`EXPLAIN (${options}, FORMAT JSON) ${text}`, values));
  return nodes((rows[0]['QUERY PLAN'] as [{ Plan: PlanNode }])[0].Plan);
}

function readsOfOrders(plan: PlanNode[]) {
  const reads = plan.filter((n) => n['Relation Name'] === 'orders' || (n['Index Name'] && orderIndexes.has(n['Index Name'])));
  return { seq: reads.filter((n) => n['Node Type'] === 'Seq Scan'), indexed: reads.filter((n) => /Index/.test(n['Node Type'])) };
}

describe('EXPLAIN on 1,000,000 orders: orders are read through indexes only', () => {
  it('custom plans: lists, master lists, period reports, by id', async () => {
    for (const c of cases) {
      const reads = readsOfOrders(await plan(c.query.text, c.values, 'COSTS OFF'));
      expect({ label: c.label, seq: reads.seq.length, indexed: reads.indexed.length > 0 }).toEqual({ label: c.label, seq: 0, indexed: true });
    }
  });

  it('generic plans (named prepared statements): lists and master lists', async () => {
    for (const c of cases.filter((c) => c.query.name.startsWith('orders.list'))) {
      const reads = readsOfOrders(await plan(c.query.text, [], 'GENERIC_PLAN, COSTS OFF'));
      expect({ label: c.label, seq: reads.seq.length, indexed: reads.indexed.length > 0 }).toEqual({ label: c.label, seq: 0, indexed: true });
    }
  });

  it('a list page reads about a page of orders per status, however few rows a status has', async () => {
    // NEW and ASSIGNED hold fewer rows than a page: a walk over all orders filtering on status would read the whole table.
    for (const c of cases.filter((c) => c.query.name.startsWith('orders.list'))) {
      const scans = readsOfOrders(await plan(c.query.text, c.values, 'ANALYZE, TIMING OFF, COSTS OFF')).indexed;
      const examined = scans.reduce((sum, n) => sum + ((n['Actual Rows'] ?? 0) + (n['Rows Removed by Filter'] ?? 0)) * (n['Actual Loops'] ?? 1), 0);
      expect({ label: c.label, examined: examined <= 20 * ALL.length }).toEqual({ label: c.label, examined: true });
    }
  });
});
