import type { Queryable } from '../db/database.ts';
import type { OrderStatus } from '../db/enums.ts';
import { defineQuery } from '../db/query.ts';
import { columnBatch, columnValues } from './column-arrays.ts';

/**
 * Status history and audit rows, legacy and the import's own. Legacy rows
 * are remembered by legacy id; the import's own rows (legacy id NULL) are
 * written only with the rows they describe, so they never repeat.
 */

const HISTORY_BATCH = columnBatch(
  { legacy_id: 'int8', order_id: 'int8', old_status: 'order_status', new_status: 'order_status', actor_id: 'int8', changed_at: 'timestamptz', note: 'text' },
  2,
);

const insertHistoryQuery = defineQuery({
  name: 'importer.insert_status_history',
  params: { source: 'text', ...HISTORY_BATCH.params },
  columns: { count: 'int8' },
  // A batch travels as one array per column (column-arrays.ts), the
  // details as one JSON array of them: parsed once, never escaped as
  // text[] elements are (as the orders' legacy rows, import-orders.sql.ts). A row
  // without a usable time takes its order's creation time, looked up only
  // for such a row.
  text: `
WITH src AS MATERIALIZED (
  SELECT s.*, nextval((SELECT pg_get_serial_sequence('order_status_history', 'id'))::regclass) AS history_id
  FROM unnest(${HISTORY_BATCH.unnestArgs}) AS s(${HISTORY_BATCH.names})
),
inserted AS (
  INSERT INTO order_status_history (id, order_id, old_status, new_status, actor_id, changed_at, note) OVERRIDING SYSTEM VALUE
  SELECT history_id, order_id, old_status, new_status, actor_id,
    COALESCE(changed_at, (SELECT o.created_at FROM orders o WHERE o.id = src.order_id)), note
  FROM src
),
mapped AS (
  INSERT INTO legacy_order_status_history (source, legacy_id, history_id)
  SELECT $1::text, legacy_id, history_id FROM src WHERE legacy_id IS NOT NULL
)
SELECT count(*) AS count FROM src`,
});

export interface HistoryRow {
  legacyId: number | null;
  orderId: number;
  oldStatus: OrderStatus | null;
  newStatus: OrderStatus;
  actorId: number | null;
  /** Null: the order's creation time. */
  changedAt: string | null;
  note: string | null;
}

/** History rows as the statement takes them: built while the batch before is being written. */
export type PreparedHistory = ReturnType<typeof prepareHistory>;

export function prepareHistory(rows: HistoryRow[]) {
  const columns = rows.map((r) => ({
    legacy_id: r.legacyId,
    order_id: r.orderId,
    old_status: r.oldStatus,
    new_status: r.newStatus,
    actor_id: r.actorId,
    changed_at: r.changedAt,
    note: r.note,
  }));
  return columnValues(HISTORY_BATCH, columns);
}

/** `source` names the legacy file the rows with a legacy id came from (the import's own rows have none). */
export async function insertPreparedHistory(db: Queryable, source: string, batch: PreparedHistory): Promise<number> {
  const { count } = await db.one(insertHistoryQuery, { source, ...batch });
  return count;
}

export async function insertHistory(db: Queryable, source: string, rows: HistoryRow[]): Promise<number> {
  return rows.length === 0 ? 0 : insertPreparedHistory(db, source, prepareHistory(rows));
}

const AUDIT_BATCH = columnBatch({ legacy_id: 'int8', actor_id: 'int8', action: 'text', entity_type: 'text', entity_id: 'int8', created_at: 'timestamptz' }, 2);

const insertAuditQuery = defineQuery({
  name: 'importer.insert_audit_entries',
  params: { source: 'text', ...AUDIT_BATCH.params, details: 'text' },
  columns: { count: 'int8' },
  // A batch travels as one array per column (column-arrays.ts), the
  // details as one JSON array of them: parsed once, never escaped as
  // text[] elements are (as the orders' legacy rows, import-orders.sql.ts).
  text: `
WITH src AS MATERIALIZED (
  SELECT s.*, nextval((SELECT pg_get_serial_sequence('audit_log', 'id'))::regclass) AS audit_id
  FROM ROWS FROM (${AUDIT_BATCH.rowsFromArgs}, jsonb_array_elements($${AUDIT_BATCH.nextParam}::text::jsonb)) AS s(${AUDIT_BATCH.names}, details)
),
inserted AS (
  INSERT INTO audit_log (id, actor_id, action, entity_type, entity_id, details, created_at) OVERRIDING SYSTEM VALUE
  SELECT audit_id, actor_id, action, entity_type, entity_id, details, COALESCE(created_at, now()) FROM src
),
mapped AS (
  INSERT INTO legacy_audit_log (source, legacy_id, audit_id)
  SELECT $1::text, legacy_id, audit_id FROM src WHERE legacy_id IS NOT NULL
)
SELECT count(*) AS count FROM src`,
});

export interface AuditRow {
  legacyId: number | null;
  actorId: number | null;
  action: string;
  entityType: string;
  entityId: number | null;
  details: Record<string, unknown>;
  /** Null: the import's time. */
  createdAt: string | null;
}

/** Audit rows as the statement takes them: built while the batch before is being written. */
export type PreparedAudit = ReturnType<typeof prepareAudit>;

export function prepareAudit(rows: AuditRow[]) {
  const columns = rows.map((r) => ({
    legacy_id: r.legacyId,
    actor_id: r.actorId,
    action: r.action,
    entity_type: r.entityType,
    entity_id: r.entityId,
    created_at: r.createdAt,
  }));
  return { ...columnValues(AUDIT_BATCH, columns), details: `[${rows.map((r) => JSON.stringify(r.details)).join(',')}]` };
}

export async function insertPreparedAudit(db: Queryable, source: string, batch: PreparedAudit): Promise<number> {
  const { count } = await db.one(insertAuditQuery, { source, ...batch });
  return count;
}

export async function insertAuditEntries(db: Queryable, source: string, rows: AuditRow[]): Promise<number> {
  return rows.length === 0 ? 0 : insertPreparedAudit(db, source, prepareAudit(rows));
}
