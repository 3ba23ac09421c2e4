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

describe('declared SQL types match the migrated schema', () => {
  it('finds the queries of every feature module', () => {
    const features = new Set(queries.map((q) => q.name.split('.')[0]));
    for (const f of ['orders', 'users', 'masters', 'tokens', 'audit', 'reports', 'schema']) expect(features).toContain(f);
    expect(queries.length).toBeGreaterThan(30);
  });

  it('every query prepares, with the declared parameter and column types', async () => {
    const problems: string[] = [];
    for (const q of queries) {
      let described: { types: number[]; columns: Array<{ name: string; type: number; table: number; number: number }> };
      try {
        described = await sql.unsafe(q.text, [], { prepare: true }).describe();
      } catch (err) {
        problems.push(`${q.name}: does not prepare: ${(err as Error).message}`);
        continue;
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
      const declaredCols = q.columns as Record<string, string>;
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
    }
    expect(problems).toEqual([]);
  });

  it('enum mirrors in src/db/enums.ts match pg_enum', async () => {
    const rows = await sql<{ type: string; labels: string[] }[]>`
      SELECT t.typname AS type, array_agg(e.enumlabel ORDER BY e.enumsortorder) AS labels
      FROM pg_enum e JOIN pg_type t ON t.oid = e.enumtypid GROUP BY t.typname`;
    const actual = Object.fromEntries(rows.map((r) => [r.type, r.labels]));
    expect(actual).toEqual(Object.fromEntries(Object.entries(DB_ENUMS).map(([k, v]) => [k, [...v]])));
  });

  it('a query that no longer fits the schema is reported (the check can fail)', async () => {
    // Setup: a column the schema does not have.
    const broken = { text: 'SELECT no_such_column FROM orders WHERE id = $1::int8' };
    // Action / Assertions
    await expect(sql.unsafe(broken.text, [], { prepare: true }).describe()).rejects.toThrow(/no_such_column/);
    const described = (await sql.unsafe('SELECT id, status FROM orders WHERE id = $1::int4', [], { prepare: true }).describe()) as never as { types: number[] };
    expect(typeNames.get(described.types[0]!)).toBe('int4');
  });
});
