import postgres from 'postgres';

/** Every index and constraint of the public schema, as the catalog defines them. */
export interface SchemaSnapshot {
  indexes: { table: string; name: string; def: string }[];
  constraints: { table: string; name: string; type: string; def: string; validated: boolean }[];
}

export async function schemaSnapshot(url: string): Promise<SchemaSnapshot> {
  const sql = postgres(url, { max: 1, onnotice: () => {} });
  try {
    const indexes = await sql<SchemaSnapshot['indexes']>`
      SELECT tablename AS "table", indexname AS name, indexdef AS def
      FROM pg_indexes WHERE schemaname = 'public' ORDER BY tablename, indexname`;
    const constraints = await sql<SchemaSnapshot['constraints']>`
      SELECT conrelid::regclass::text AS "table", conname AS name, contype::text AS type,
             pg_get_constraintdef(oid) AS def, convalidated AS validated
      FROM pg_constraint WHERE connamespace = 'public'::regnamespace ORDER BY 1, 2`;
    return { indexes: [...indexes], constraints: [...constraints] };
  } finally {
    await sql.end();
  }
}
