import type { Queryable } from '../db/database.ts';
import { defineQuery } from '../db/query.ts';

const findServerVersionQuery = defineQuery({
  name: 'backup.find_server_version',
  params: {},
  columns: { version_num: 'int4', database: 'text' },
  text: `SELECT current_setting('server_version_num')::int4 AS version_num, current_database()::text AS database`,
});

/** The server's major version (18 for 18.1) and the database's name. */
export async function findServerVersion(db: Queryable): Promise<{ major: number; database: string }> {
  const row = await db.one(findServerVersionQuery, {});
  return { major: Math.floor(row.version_num / 10_000), database: row.database };
}

const countUserRelationsQuery = defineQuery({
  name: 'backup.count_user_relations',
  params: {},
  columns: { count: 'int8' },
  text: `
SELECT count(*) AS count FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
WHERE c.relkind IN ('r', 'p', 'v', 'm', 'S', 'f')
  AND n.nspname NOT IN ('pg_catalog', 'information_schema') AND n.nspname NOT LIKE 'pg\\_toast%'`,
});

/** Tables, views and sequences outside the system schemas: 0 means an empty database. */
export async function countUserRelations(db: Queryable): Promise<number> {
  return (await db.one(countUserRelationsQuery, {})).count;
}
