import pg from 'pg';
import type { Queryable } from './database.ts';
import { DB_ENUMS } from './enums.ts';
import { defineQuery } from './query.ts';

const enumArrayTypesQuery = defineQuery({
  name: 'schema.list_enum_array_types',
  params: { names: 'text[]' },
  columns: { typname: 'text', typarray: 'int8' },
  text: `SELECT typname::text AS typname, typarray::int8 AS typarray FROM pg_type WHERE typname = ANY ($1::text[]) AND typtype = 'e'`,
});

/**
 * node-postgres parses arrays of built-in types only; arrays of our enums
 * (user_role[], order_status[]) would arrive as '{A,B}' text. Their OIDs are
 * assigned at migration time, so look them up and parse them like text[].
 */
export async function registerEnumArrayTypes(db: Queryable): Promise<void> {
  const textArray = pg.types.getTypeParser(1009 as never /* text[]: not in the TypeId union */) as (value: string) => string[];
  for (const row of await db.many(enumArrayTypesQuery, { names: Object.keys(DB_ENUMS) })) {
    pg.types.setTypeParser(row.typarray, textArray);
  }
}
