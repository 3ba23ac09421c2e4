import { insertAuditEntry } from '../audit/audit.sql.ts';
import type { Queryable } from '../db/database.ts';
import { defineQuery } from '../db/query.ts';
import type { LoadDdl } from './schema-ops.sql.ts';

/**
 * A seed leaves two audit rows: `seed.start`, written in the transaction
 * that drops the indexes and keys (with what must be rebuilt), and
 * `seed.finish` pointing back at it once they are rebuilt. A start without
 * a finish is a seed that was interrupted: the next run repairs it from
 * the start row, so a killed seed never leaves the schema short.
 */
export interface SeedStart {
  orders: number;
  seed: number;
  base_id: number;
  restore: LoadDdl[];
}

export async function recordSeedStart(tx: Queryable, start: SeedStart): Promise<number> {
  return insertAuditEntry(tx, { actorId: null, action: 'seed.start', entityType: 'seed', entityId: null, details: { ...start } });
}

export async function recordSeedFinish(db: Queryable, startId: number, details: Record<string, unknown>): Promise<void> {
  await insertAuditEntry(db, { actorId: null, action: 'seed.finish', entityType: 'seed', entityId: startId, details });
}

const findUnfinishedSeedQuery = defineQuery({
  name: 'seed.find_unfinished_seed',
  params: {},
  columns: { id: 'int8', details: 'jsonb' },
  text: `
SELECT s.id, s.details FROM audit_log s
WHERE s.entity_type = 'seed' AND s.action = 'seed.start'
  AND NOT EXISTS (SELECT 1 FROM audit_log f WHERE f.entity_type = 'seed' AND f.action = 'seed.finish' AND f.entity_id = s.id)
ORDER BY s.id DESC
LIMIT 1`,
});

export async function findUnfinishedSeed(db: Queryable): Promise<{ id: number; start: SeedStart } | null> {
  const row = await db.maybeOne(findUnfinishedSeedQuery, {});
  return row ? { id: row.id, start: row.details as SeedStart } : null;
}
