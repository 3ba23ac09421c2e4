import type { Database } from '../../src/db/database.ts';

/**
 * What tests read back from the database to check a write, in one place:
 * an order's state and the audit trail. Reads only; writes go through the
 * services, the API or the bot as a user's would.
 */

export interface OrderState {
  status: string;
  master_id: number | null;
  refuse_reason: string | null;
  version: number;
}

const ORDER_STATE = 'SELECT status::text AS status, master_id::int AS master_id, refuse_reason, version::int AS version FROM orders WHERE id = $1::int8';

/** The order's stored state (status, master, refuse reason, version). */
export async function orderStateOf(db: Database, id: number): Promise<OrderState> {
  const row = (await db.pool.query<OrderState>(ORDER_STATE, [id])).rows[0];
  if (!row) throw new Error(`no order ${id}`);
  return row;
}

/** The order's stored status. */
export async function statusOf(db: Database, id: number): Promise<string> {
  return (await orderStateOf(db, id)).status;
}

export interface AuditEntry {
  action: string;
  actor_id: number | null;
  entity_type: string;
  entity_id: number | null;
  details: Record<string, unknown>;
}

// A null filter matches any value: one constant text for every combination.
const AUDIT = `SELECT action, actor_id::int AS actor_id, entity_type, entity_id::int AS entity_id, details
  FROM audit_log
  WHERE ($1::text IS NULL OR action = $1::text)
    AND ($2::text IS NULL OR entity_type = $2::text)
    AND ($3::int8 IS NULL OR entity_id = $3::int8)
  ORDER BY id`;

/** Audit rows in the order they were written, filtered by action, entity type and entity id (each optional). */
export async function auditOf(db: Database, filter: { action?: string; entityType?: string; entityId?: number } = {}): Promise<AuditEntry[]> {
  return (await db.pool.query<AuditEntry>(AUDIT, [filter.action ?? null, filter.entityType ?? null, filter.entityId ?? null])).rows;
}
