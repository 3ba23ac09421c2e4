import type { ColumnDecls, ParamDecls, ParamsOf, RowOf } from './types.ts';

/**
 * A named, constant SQL statement with its declared parameter and column
 * types. Parameters are bound positionally in the order of `params` keys
 * ($1 is the first key). test/db/query-types.test.ts prepares every
 * registered query on the migrated schema and compares what PostgreSQL
 * reports with these declarations, so a drifting schema fails CI.
 */
export interface Query<P extends ParamDecls, C extends ColumnDecls> {
  /** Stable, low-cardinality name: span name, metric label, prepared statement name. */
  readonly name: string;
  /** SQL verb for db.operation.name (SELECT, INSERT, UPDATE, DELETE). */
  readonly operation: string;
  readonly text: string;
  readonly params: P;
  readonly columns: C;
  /** Values in $n order. */
  bind(params: ParamsOf<P>): unknown[];
  /** Phantom field carrying the row type. */
  readonly _row?: RowOf<C>;
}

export type AnyQuery = Query<ParamDecls, ColumnDecls>;

const registry = new Map<string, AnyQuery>();

/** Every query defined so far, by name (for the type check and docs). */
export function registeredQueries(): AnyQuery[] {
  return [...registry.values()];
}

const VERBS = ['SELECT', 'INSERT', 'UPDATE', 'DELETE'] as const;

/** The statement's main verb; for a WITH query the verb of its final statement. */
function operationOf(text: string): string {
  const upper = text.toUpperCase();
  const first = /^\s*(\w+)/.exec(upper)?.[1] ?? 'UNKNOWN';
  if (first !== 'WITH') return first;
  // The final statement follows the last CTE's closing parenthesis at depth 0.
  let depth = 0;
  let lastTopLevel = 0;
  for (let i = 0; i < upper.length; i++) {
    const ch = upper[i];
    if (ch === '(') depth++;
    else if (ch === ')' && --depth === 0) lastTopLevel = i;
  }
  const tail = /^\s*(\w+)/.exec(upper.slice(lastTopLevel + 1))?.[1];
  return tail && (VERBS as readonly string[]).includes(tail) ? tail : 'SELECT';
}

export function defineQuery<const P extends ParamDecls, const C extends ColumnDecls>(spec: { name: string; text: string; params: P; columns: C }): Query<P, C> {
  if (!/^[a-z][a-z0-9_]*\.[a-z][a-z0-9_]*$/.test(spec.name)) {
    throw new Error(`query name "${spec.name}" must be feature.verb_object in snake_case`);
  }
  if (registry.has(spec.name)) throw new Error(`query name "${spec.name}" is defined twice`);
  const keys = Object.keys(spec.params);
  const query: Query<P, C> = {
    name: spec.name,
    operation: operationOf(spec.text),
    text: spec.text,
    params: spec.params,
    columns: spec.columns,
    bind: (params) => keys.map((k) => (params as Record<string, unknown>)[k]),
  };
  registry.set(spec.name, query);
  return query;
}
