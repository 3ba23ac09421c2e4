import { readdir } from 'node:fs/promises';
import path from 'node:path';
import postgres from 'postgres';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DB_ENUMS } from '../../src/db/enums.ts';
import { registeredQueries, type AnyQuery } from '../../src/db/query.ts';
import { useTestDatabase } from '../support/db.ts';

/**
 * The audit's first P0: SQL types must be checked against the live schema,
 * not trusted. Every query any module defines is prepared (Parse/Describe,
 * never executed) on the migrated database, and what PostgreSQL reports is
 * compared with the declared parameter and column types.
 */
const SRC = path.resolve(import.meta.dirname, '../../src');

async function sourceFiles(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true, recursive: true });
  return entries.filter((e) => e.isFile() && e.name.endsWith('.ts') && !e.name.endsWith('.d.ts')).map((e) => path.join(e.parentPath, e.name));
}

const t = useTestDatabase();
let sql: postgres.Sql;
let typeNames: Map<number, string>;
let notNull: Map<string, boolean>;
let queries: AnyQuery[];

beforeAll(async () => {
  // Importing every module registers every query it defines.
  for (const file of await sourceFiles(SRC)) {
    if (/\.sql\.ts$/.test(file) || /src\/db\/(migrate|enum-arrays)\.ts$/.test(file)) await import(file);
  }
  queries = registeredQueries();
  sql = postgres(t.url, { max: 1, onnotice: () => {} });
  const types = await sql<{ oid: number; name: string }[]>`
    SELECT t.oid::int AS oid,
           CASE WHEN t.typelem <> 0 AND t.typlen = -1 THEN e.typname || '[]' ELSE t.typname END AS name
    FROM pg_type t LEFT JOIN pg_type e ON e.oid = t.typelem`;
  typeNames = new Map(types.map((r) => [r.oid, r.name]));
  const cols = await sql<{ key: string; notnull: boolean }[]>`
    SELECT attrelid::int || ':' || attnum AS key, attnotnull AS notnull FROM pg_attribute WHERE attnum > 0`;
  notNull = new Map(cols.map((r) => [r.key, r.notnull]));
});

afterAll(async () => {
  await sql?.end();
});

/** What a query declares: what the check compares with the live schema. */
type Declared = Pick<AnyQuery, 'name' | 'text'> & { params: Record<string, string>; columns: Record<string, string> };

/** Prepares `q` on the migrated database (never executes it) and lists where its declarations differ from what PostgreSQL reports. */
async function problemsOf(q: Declared): Promise<string[]> {
  const problems: string[] = [];
  let described: { types: number[]; columns: Array<{ name: string; type: number; table: number; number: number }> };
  try {
    described = await sql.unsafe(q.text, [], { prepare: true }).describe();
  } catch (err) {
    return [`${q.name}: does not prepare: ${(err as Error).message}`];
  }
  const declaredParams = Object.entries(q.params);
  if (described.types.length !== declaredParams.length) {
    problems.push(`${q.name}: declares ${declaredParams.length} parameters, SQL has ${described.types.length}`);
  }
  described.types.forEach((oid, i) => {
    const declared = declaredParams[i]?.[1]?.replace(/\?$/, '');
    const actual = typeNames.get(oid);
    if (declared !== actual) problems.push(`${q.name}: $${i + 1} (${declaredParams[i]?.[0]}) declared ${declared}, is ${actual}`);
  });
  const declaredCols = q.columns;
  const actualNames = described.columns.map((c) => c.name);
  const missing = Object.keys(declaredCols).filter((n) => !actualNames.includes(n));
  const extra = actualNames.filter((n) => !(n in declaredCols));
  if (missing.length) problems.push(`${q.name}: declared columns not returned: ${missing.join(', ')}`);
  if (extra.length) problems.push(`${q.name}: returns undeclared columns: ${extra.join(', ')}`);
  for (const c of described.columns) {
    const decl = declaredCols[c.name];
    if (!decl) continue;
    const declaredType = decl.replace(/\?$/, '');
    const actual = typeNames.get(c.type);
    if (declaredType !== actual) problems.push(`${q.name}: column ${c.name} declared ${declaredType}, is ${actual}`);
    // A column read straight from a nullable table column must be declared nullable.
    if (c.table && notNull.get(`${c.table}:${c.number}`) === false && !decl.endsWith('?')) {
      problems.push(`${q.name}: column ${c.name} is nullable in its table but declared ${decl}`);
    }
  }
  return problems;
}

describe('declared SQL types match the migrated schema', () => {
  it('finds the queries of every feature module', () => {
    const features = new Set(queries.map((q) => q.name.split('.')[0]));
    for (const f of ['orders', 'users', 'masters', 'tokens', 'audit', 'reports', 'schema']) expect(features).toContain(f);
    expect(queries.length).toBeGreaterThan(30);
  });

  it('every query prepares, with the declared parameter and column types', async () => {
    const problems: string[] = [];
    for (const q of queries) problems.push(...(await problemsOf(q)));
    expect(problems).toEqual([]);
  });

  it('enum mirrors in src/db/enums.ts match pg_enum', async () => {
    const rows = await sql<{ type: string; labels: string[] }[]>`
      SELECT t.typname AS type, array_agg(e.enumlabel ORDER BY e.enumsortorder) AS labels
      FROM pg_enum e JOIN pg_type t ON t.oid = e.enumtypid GROUP BY t.typname`;
    const actual = Object.fromEntries(rows.map((r) => [r.type, r.labels]));
    expect(actual).toEqual(Object.fromEntries(Object.entries(DB_ENUMS).map(([k, v]) => [k, [...v]])));
  });

  describe('the check fails on a wrong declaration', () => {
    // Setup: declarations that lie about queries on the real orders table, one lie each.
    const ORDER_BY_ID = 'SELECT id, notes, client_address FROM orders WHERE id = $1::int8';
    const right: Declared = { name: 'wrong.none', text: ORDER_BY_ID, params: { id: 'int8' }, columns: { id: 'int8', notes: 'text?', client_address: 'text' } };

    it('passes the right declaration', async () => {
      expect(await problemsOf(right)).toEqual([]);
    });

    it.each<[string, Partial<Declared>, string]>([
      ['a parameter of the wrong type', { params: { id: 'int4' } }, 'wrong.case: $1 (id) declared int4, is int8'],
      ['a parameter too many', { params: { id: 'int8', limit: 'int4' } }, 'wrong.case: declares 2 parameters, SQL has 1'],
      ['a column of the wrong type', { columns: { id: 'text', notes: 'text?', client_address: 'text' } }, 'wrong.case: column id declared text, is int8'],
      [
        'a nullable column declared not null',
        { columns: { id: 'int8', notes: 'text', client_address: 'text' } },
        'wrong.case: column notes is nullable in its table but declared text',
      ],
      [
        'a column the query does not return',
        { columns: { id: 'int8', notes: 'text?', client_address: 'text', status: 'order_status' } },
        'wrong.case: declared columns not returned: status',
      ],
      ['a returned column left out', { columns: { id: 'int8', notes: 'text?' } }, 'wrong.case: returns undeclared columns: client_address'],
      [
        'SQL the schema no longer fits',
        { text: 'SELECT no_such_column FROM orders WHERE id = $1::int8' },
        'wrong.case: does not prepare: column "no_such_column" does not exist',
      ],
    ])('reports %s', async (_lie, change, problem) => {
      // Action
      const problems = await problemsOf({ ...right, name: 'wrong.case', ...change });
      // Assertions
      expect(problems).toContain(problem);
    });
  });
});
