import type { Queryable } from '../db/database.ts';
import { defineQuery } from '../db/query.ts';

const insertAuditEntryQuery = defineQuery({
  name: 'audit.insert_audit_entry',
  params: { actorId: 'int8?', action: 'text', entityType: 'text', entityId: 'int8?', details: 'jsonb' },
  columns: { id: 'int8' },
  text: `
INSERT INTO audit_log (actor_id, action, entity_type, entity_id, details)
VALUES ($1::int8, $2::text, $3::text, $4::int8, $5::jsonb)
RETURNING id`,
});

/**
 * For changes that have no statement of their own to ride on (CLI actions,
 * bootstrap). Order, master, role and token changes audit inside their
 * own statements.
 */
export async function insertAuditEntry(
  db: Queryable,
  entry: { actorId: number | null; action: string; entityType: string; entityId: number | null; details: Record<string, unknown> },
): Promise<number> {
  return (await db.one(insertAuditEntryQuery, { ...entry, details: JSON.stringify(entry.details) })).id;
}
