import type { Queryable } from '../db/database.ts';
import { defineQuery } from '../db/query.ts';

const setLocalSettingQuery = defineQuery({
  name: 'seed.set_local_setting',
  params: { name: 'text', value: 'text' },
  columns: { value: 'text' },
  text: `SELECT set_config($1::text, $2::text, true) AS value`,
});

/** Settings for the rest of the current transaction only (the connection goes back to the pool unchanged). */
export async function setLocalSettings(tx: Queryable, settings: Record<string, string>): Promise<void> {
  for (const [name, value] of Object.entries(settings)) await tx.one(setLocalSettingQuery, { name, value });
}
