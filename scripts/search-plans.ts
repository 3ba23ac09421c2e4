/**
 * The plan and cost of each kind of search term, as the service runs it:
 * `npm run search-plans` with DATABASE_URL set to a seeded database
 * (e.g. the load test's clone of seed_1000000). Each term goes through
 * searchOrderViews on one connection; every query it sends is recorded,
 * timed as a prepared statement, RUNS times after WARM (as the service's
 * pool runs it: named, so generic plans after the fifth), then shown with
 * the plan that statement runs: EXPLAIN (ANALYZE, BUFFERS) EXECUTE, with
 * its planning time and how often it planned generic / custom. Prints a
 * markdown table: a kind's round trips are its rows.
 */
import pg from 'pg';
import { queryable } from '../src/db/exec.ts';
import { searchOrderViews } from '../src/orders/order-search.ts';

const RUNS = 50;
const WARM = 10;

interface Sent {
  name: string;
  text: string;
  values: unknown[];
}

const client = new pg.Client({ connectionString: process.env.DATABASE_URL });
await client.connect();

// Terms like the load test's (loadtest/search.ts), from three old orders of different name formats.
const { rows: old } = await client.query<{ id: string; client_name: string; client_address: string }>({
  text: `SELECT id::text, client_name, client_address FROM orders
         WHERE id = ANY($1::int8[]) AND deleted_at IS NULL ORDER BY id`,
  values: [[30001, 250003, 500002, 750001]],
});
const byWords = (n: number) => old.find((o) => o.client_name.split(' ').length === n) ?? old[0]!;
const TERMS: Array<[string, string]> = [
  ['phone fragment', '381726'],
  ['phone fragment ending no number', '9081726'],
  ['common word', 'иван'],
  ['rare word', 'бщкрвтз'],
  ['surname', byWords(3).client_name.split(' ')[0]!],
  ['whole address', byWords(3).client_address],
  ['whole name (3 words)', byWords(3).client_name],
  ['whole name (2 words)', byWords(2).client_name],
  ['order number', `#${old[0]!.id}`],
];

const quantile = (xs: number[], q: number) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(q * xs.length))]!;

async function timed(sent: Sent): Promise<{ median: number; p95: number }> {
  const times: number[] = [];
  for (let i = 0; i < WARM + RUNS; i++) {
    const started = performance.now();
    await client.query({ name: sent.name, text: sent.text, values: sent.values });
    if (i >= WARM) times.push(performance.now() - started);
  }
  return { median: quantile(times, 0.5), p95: quantile(times, 0.95) };
}

/** A bound value as an SQL literal, for EXECUTE (search values are text, numbers or null). */
function literal(v: unknown): string {
  if (v === null) return 'NULL';
  if (typeof v === 'number') return String(v);
  if (typeof v === 'string') return `'${v.replace(/'/g, "''")}'`;
  throw new TypeError(`no literal for ${typeof v}`);
}

/**
 * The plan the prepared statement runs once timed (EXPLAIN ANALYZE EXECUTE,
 * second time): its planning time is ~0 when it runs its cached generic
 * plan, and pg_prepared_statements says how often it planned which way.
 */
async function explain(sent: Sent): Promise<{ plan: string; ms: string; planning: string; cache: string; lines: string[] }> {
  let lines: string[] = [];
  for (let i = 0; i < 2; i++) {
    // The statement's name is a query name (feature.verb_object): quoted as an identifier, no value in it.
    const { rows } = await client.query<{ 'QUERY PLAN': string }>(`EXPLAIN (ANALYZE, BUFFERS) EXECUTE "${sent.name}"(${sent.values.map(literal).join(', ')})`);
    lines = rows.map((r) => r['QUERY PLAN']);
  }
  const scans = lines.flatMap(
    (l) => /(Index Only Scan(?: Backward)? using \S+|Index Scan(?: Backward)? using \S+|Bitmap Index Scan on \S+|Seq Scan on \S+)/.exec(l)?.[1] ?? [],
  );
  const text = lines.join('\n');
  const ms = /Execution Time: ([\d.]+) ms/.exec(text)?.[1] ?? '?';
  const planning = /Planning Time: ([\d.]+) ms/.exec(text)?.[1] ?? '?';
  const { rows } = await client.query<{ generic: string; custom: string }>({
    text: 'SELECT generic_plans::text AS generic, custom_plans::text AS custom FROM pg_prepared_statements WHERE name = $1::text',
    values: [sent.name],
  });
  return { plan: [...new Set(scans)].join('; '), ms, planning, cache: `${rows[0]?.generic ?? '?'} / ${rows[0]?.custom ?? '?'}`, lines };
}

const table = [
  '| kind | term | query | scans | planning ms | execution ms | plans generic / custom | prepared median / p95 ms |',
  '|---|---|---|---|---:|---:|---|---|',
];
const plans: string[] = [];
for (const [kind, term] of TERMS) {
  const sent: Sent[] = [];
  const db = queryable(async (q, params) => {
    const values = q.bind(params);
    sent.push({ name: q.name, text: q.text, values });
    return client.query({ name: q.name, text: q.text, values }) as never;
  });
  await searchOrderViews(db, term, 20);
  for (const s of sent) {
    const { median, p95 } = await timed(s);
    const { plan, ms, planning, cache, lines } = await explain(s);
    table.push(`| ${kind} | \`${term}\` | \`${s.name}\` | ${plan} | ${planning} | ${ms} | ${cache} | ${median.toFixed(2)} / ${p95.toFixed(2)} |`);
    plans.push(`-- ${kind}: ${term} -> ${s.name} ${JSON.stringify(s.values)}\n${lines.join('\n')}\n`);
  }
}
await client.end();
console.log(table.join('\n'));
if (process.argv.includes('--plans')) console.log(`\n${plans.join('\n')}`);
