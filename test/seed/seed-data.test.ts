import postgres from 'postgres';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_COMMISSION, splitMoney } from '../../src/orders/money.ts';
import { normalizePhone } from '../../src/input.ts';
import { ACTIONS, STATUS_MOVES } from '../../src/orders/order-actions.ts';
import { SEED_DEFAULTS, seedDatabase, type SeedReport } from '../../src/seed/seed.ts';
import { ARRIVALS_DIFFERENCES } from '../support/arrival-truth.ts';
import { useTestDatabase } from '../support/db.ts';
import { NO_DIFFERENCES, ROLLUP_DIFFERENCES } from '../support/rollup-truth.ts';

const N = 5000;
/** The rollups kept in the default REPORT_TIMEZONE, as the CLI's migrate leaves them before `seed` runs. */
const ZONE = 'Europe/Moscow';
const t = useTestDatabase({ rollupZone: ZONE });
let sql: postgres.Sql;
let report: SeedReport;

interface Order {
  id: number;
  status: string;
  created_at: Date;
  status_changed_at: Date;
  version: number;
  master_id: number | null;
}
let orders: Order[];
/** History rows of each order, oldest first. */
const history = new Map<number, { old_status: string | null; new_status: string; changed_at: Date }[]>();

beforeAll(async () => {
  // Action
  report = await seedDatabase(t.db, { ...SEED_DEFAULTS, orders: N, seed: 42, commission: DEFAULT_COMMISSION });
  sql = postgres(t.url, { max: 2, onnotice: () => {} });
  orders = [...(await sql<Order[]>`SELECT id::int, status::text, created_at, status_changed_at, version, master_id::int FROM orders ORDER BY id`)];
  const rows = await sql<{ order_id: number; old_status: string | null; new_status: string; changed_at: Date }[]>`
    SELECT order_id::int, old_status::text, new_status::text, changed_at FROM order_status_history ORDER BY order_id, changed_at, id`;
  for (const r of rows) history.set(r.order_id, [...(history.get(r.order_id) ?? []), r]);
}, 120_000);

afterAll(async () => {
  await sql?.end();
});

/** Every (from, to) pair the state machine allows, plus creation. */
const ALLOWED = new Set(['->NEW', ...STATUS_MOVES.flatMap((n) => ACTIONS[n].from.map((f) => `${f}->${ACTIONS[n].to}`))]);

describe('seed --orders 5000', () => {
  it('writes the orders with their history and audit rows, and reports them', async () => {
    const [counts] = await sql`
      SELECT (SELECT count(*) FROM orders)::int AS orders, (SELECT count(*) FROM order_status_history)::int AS history,
             (SELECT count(*) FROM audit_log WHERE entity_type = 'order')::int AS audit`;
    expect(counts).toEqual({ orders: N, history: report.history, audit: report.audit });
    expect(report.orders).toBe(N);
    expect(report.history).toBeGreaterThan(5 * N);
    expect(Object.values(report.statuses).reduce((a, b) => a + b, 0)).toBe(N);
  });

  it('gives every order a history that walks the state machine and ends at its status', () => {
    const problems: string[] = [];
    for (const o of orders) {
      const h = history.get(o.id) ?? [];
      if (h[0]?.old_status !== null || h[0]?.changed_at.getTime() !== o.created_at.getTime()) problems.push(`${o.id}: does not start at creation`);
      h.forEach((step, i) => {
        if (!ALLOWED.has(`${step.old_status ?? ''}->${step.new_status}`)) problems.push(`${o.id}: ${step.old_status} -> ${step.new_status}`);
        if (i > 0 && step.old_status !== h[i - 1]!.new_status) problems.push(`${o.id}: step ${i} starts from ${step.old_status}`);
        if (i > 0 && step.changed_at < h[i - 1]!.changed_at) problems.push(`${o.id}: step ${i} goes back in time`);
      });
      if (h.at(-1)?.new_status !== o.status) problems.push(`${o.id}: ends at ${h.at(-1)?.new_status}, is ${o.status}`);
      if (h.at(-1)?.changed_at.getTime() !== o.status_changed_at.getTime()) problems.push(`${o.id}: status_changed_at is not the last step`);
    }
    expect(problems.slice(0, 10)).toEqual([]);
  });

  it('leaves an audit row per change, versions counting up to the order version', async () => {
    const audits = await sql<{ id: number; n: number; versions: number[]; first: string; last_to: string }[]>`
      SELECT entity_id::int AS id, count(*)::int AS n,
             array_agg((details->>'version')::int ORDER BY created_at, id) AS versions,
             (array_agg(action ORDER BY created_at, id))[1] AS first,
             (array_agg(details->>'to' ORDER BY created_at, id))[count(*)] AS last_to
      FROM audit_log WHERE entity_type = 'order' GROUP BY entity_id`;
    const byId = new Map(audits.map((a) => [a.id, a]));
    const problems = orders.flatMap((o) => {
      const a = byId.get(o.id);
      if (!a) return [`${o.id}: no audit rows`];
      const out: string[] = [];
      if (a.n !== o.version) out.push(`${o.id}: ${a.n} audit rows at version ${o.version}`);
      if (a.versions.some((v, i) => v !== i + 1)) out.push(`${o.id}: versions ${a.versions.join(',')}`);
      if (a.first !== 'order.create' || a.last_to !== o.status) out.push(`${o.id}: starts ${a.first}, ends at ${a.last_to}`);
      return out;
    });
    expect(problems.slice(0, 10)).toEqual([]);
  });

  it('splits the money exactly as money.ts does, and only for completed work', async () => {
    const rows = await sql<
      {
        status: string;
        total_amount: string | null;
        materials_cost: string | null;
        master_profit: string | null;
        company_profit: string | null;
        has_review: boolean;
        out_of_city: boolean;
      }[]
    >`
      SELECT status::text, total_amount::text, materials_cost::text, master_profit::text, company_profit::text, has_review, out_of_city FROM orders`;
    const done = rows.filter((r) => r.status === 'COMPLETED' || r.status === 'CLOSED');
    const wrong = done.filter((r) => {
      const split = splitMoney({ total: r.total_amount!, materials: r.materials_cost!, hasReview: r.has_review, outOfCity: r.out_of_city });
      return split.masterShare !== r.master_profit || split.companyShare !== r.company_profit;
    });
    expect(wrong.slice(0, 5)).toEqual([]);
    expect(rows.filter((r) => !done.includes(r) && r.total_amount !== null)).toEqual([]);
    // Both sides of the 7000 threshold, and the bonuses, occur.
    expect(done.some((r) => Number(r.total_amount) - Number(r.materials_cost) >= 7000)).toBe(true);
    expect(done.some((r) => Number(r.total_amount) - Number(r.materials_cost) < 7000)).toBe(true);
    expect(done.some((r) => r.has_review) && done.some((r) => r.out_of_city)).toBe(true);
  });

  it('has a plausible status mix: mostly closed, some refused, open ones recent', async () => {
    const share = (s: string) => (report.statuses[s] ?? 0) / N;
    expect(share('CLOSED')).toBeGreaterThan(0.75);
    expect(share('REFUSED')).toBeGreaterThan(0.05);
    expect(share('REFUSED')).toBeLessThan(0.2);
    const [open] = await sql`
      SELECT count(*)::int AS n, COALESCE(max(now() - created_at) < interval '60 days', true) AS recent,
             count(*) FILTER (WHERE status = 'LONG_REPAIR' AND estimated_completion_date IS NULL)::int AS long_without_eta
      FROM orders WHERE status NOT IN ('CLOSED', 'REFUSED')`;
    expect(open!.n / N).toBeLessThan(0.05);
    expect(open).toMatchObject({ recent: true, long_without_eta: 0 });
  });

  it('spreads three years of dates with growth and quieter weekends', async () => {
    const [d] = await sql`
      SELECT min(created_at) >= now() - interval '3 years 1 day' AS within, max(created_at) <= now() AS not_future,
             count(*) FILTER (WHERE created_at >= now() - interval '1 year')::int AS last_year,
             count(*) FILTER (WHERE created_at < now() - interval '2 years')::int AS first_year,
             count(*) FILTER (WHERE extract(isodow FROM created_at AT TIME ZONE 'Europe/Moscow') = 1)::int AS mondays,
             count(*) FILTER (WHERE extract(isodow FROM created_at AT TIME ZONE 'Europe/Moscow') = 7)::int AS sundays
      FROM orders`;
    expect(d).toMatchObject({ within: true, not_future: true });
    expect(d!.last_year).toBeGreaterThan(1.5 * d!.first_year);
    expect(d!.mondays).toBeGreaterThan(1.3 * d!.sundays);
  });

  it('looks like real clients, equipment and masters', async () => {
    const rows = await sql<{ client_phone: string; client_name: string; equipment_type: string; known: boolean }[]>`
      SELECT client_phone, client_name, equipment_type, equipment_type IN (SELECT code FROM equipment_types) AS known FROM orders`;
    expect(rows.every((r) => normalizePhone(r.client_phone) === r.client_phone && /^\+7\d{10}$/.test(r.client_phone))).toBe(true);
    expect(rows.every((r) => r.known && /^[А-ЯЁ][а-яё]+( [А-ЯЁ][а-яё]+){0,2}$/.test(r.client_name))).toBe(true);
    const [types] = await sql`SELECT count(*)::int AS n FROM equipment_types`;
    expect(new Set(rows.map((r) => r.equipment_type)).size).toBe(types!.n);
    expect(new Set(rows.map((r) => r.client_phone)).size).toBeLessThan(N); // some clients call again
    const [m] = await sql`
      SELECT count(*)::int AS masters, count(*) FILTER (WHERE is_approved AND is_active)::int AS working,
             (SELECT count(*) FROM orders o JOIN masters ms ON ms.id = o.master_id WHERE ms.approved_at IS NULL OR ms.approved_at > o.created_at)::int AS early
      FROM masters`;
    expect(m!.masters).toBe(SEED_DEFAULTS.masters);
    expect(m!.working).toBeGreaterThanOrEqual(0.85 * SEED_DEFAULTS.masters);
    expect(m!.early).toBe(0);
  });

  it('leaves the planner statistics on orders index expressions, as autovacuum would in a live database', async () => {
    const rows = await sql<{ index: string }[]>`
      SELECT DISTINCT tablename::text AS index FROM pg_stats
      WHERE tablename IN ('orders_phone_grams_idx', 'orders_phone_suffix_idx', 'orders_board_idx') ORDER BY 1`;
    expect(rows.map((r) => r.index)).toEqual(['orders_board_idx', 'orders_phone_grams_idx', 'orders_phone_suffix_idx']);
  });

  it("gives each order its first check-in and the arrivals rollup the old report query's visits", async () => {
    // The load skips the history trigger: the seed writes arrived_at itself, and the rollup is rebuilt after.
    const [got] = await sql.unsafe(ARRIVALS_DIFFERENCES, [ZONE]);
    expect(got).toEqual({ cells: 0, arrived_at: 0, visits: expect.any(Number) });
    expect(got!.visits).toBeGreaterThan(N / 2);
  });

  it('rebuilds the report rollups by local days in the rollup zone', async () => {
    const got = await sql.unsafe(ROLLUP_DIFFERENCES, [ZONE]);
    expect([...got]).toEqual(NO_DIFFERENCES);
  });
});
