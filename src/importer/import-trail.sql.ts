import type { Queryable } from '../db/database.ts';
import type { OrderStatus } from '../db/enums.ts';
import { defineQuery } from '../db/query.ts';
import { nullable } from './arrays.ts';

/**
 * Status history and audit rows, legacy and the import's own. Legacy rows
 * are remembered by legacy id; the import's own rows (legacy id NULL) are
 * written only with the rows they describe, so they never repeat.
 */

const insertHistoryQuery = defineQuery({
  name: 'importer.insert_status_history',
  params: {
    legacyIds: 'int8[]',
    orderIds: 'int8[]',
    oldStatuses: 'order_status[]',
    newStatuses: 'order_status[]',
    actorIds: 'int8[]',
    changedAt: 'timestamptz[]',
    notes: 'text[]',
    source: 'text',
  },
  columns: { count: 'int8' },
  // A row without a usable time takes its order's creation time.
  text: `
WITH src AS MATERIALIZED (
  SELECT s.*, o.created_at AS order_created_at, nextval((SELECT pg_get_serial_sequence('order_status_history', 'id'))::regclass) AS history_id
  FROM unnest($1::int8[], $2::int8[], $3::order_status[], $4::order_status[], $5::int8[], $6::timestamptz[], $7::text[])
    AS s(legacy_id, order_id, old_status, new_status, actor_id, changed_at, note)
  JOIN orders o ON o.id = s.order_id
),
inserted AS (
  INSERT INTO order_status_history (id, order_id, old_status, new_status, actor_id, changed_at, note) OVERRIDING SYSTEM VALUE
  SELECT history_id, order_id, old_status, new_status, actor_id, COALESCE(changed_at, order_created_at), note FROM src
),
mapped AS (
  INSERT INTO legacy_order_status_history (source, legacy_id, history_id)
  SELECT $8::text, legacy_id, history_id FROM src WHERE legacy_id IS NOT NULL
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

/** `source` names the legacy file the rows with a legacy id came from (the import's own rows have none). */
export async function insertHistory(db: Queryable, source: string, rows: HistoryRow[]): Promise<number> {
  if (rows.length === 0) return 0;
  const col = <K extends keyof HistoryRow>(k: K) => rows.map((r) => r[k]);
  const { count } = await db.one(insertHistoryQuery, {
    legacyIds: nullable(col('legacyId')),
    orderIds: col('orderId'),
    oldStatuses: nullable(col('oldStatus')),
    newStatuses: col('newStatus'),
    actorIds: nullable(col('actorId')),
    changedAt: nullable(col('changedAt')),
    notes: nullable(col('note')),
    source,
  });
  return count;
}

const insertAuditQuery = defineQuery({
  name: 'importer.insert_audit_entries',
  params: {
    legacyIds: 'int8[]',
    actorIds: 'int8[]',
    actions: 'text[]',
    entityTypes: 'text[]',
    entityIds: 'int8[]',
    details: 'jsonb[]',
    createdAt: 'timestamptz[]',
    source: 'text',
  },
  columns: { count: 'int8' },
  // A row without a usable time takes the import's time.
  text: `
WITH src AS MATERIALIZED (
  SELECT s.*, nextval((SELECT pg_get_serial_sequence('audit_log', 'id'))::regclass) AS audit_id
  FROM unnest($1::int8[], $2::int8[], $3::text[], $4::text[], $5::int8[], $6::jsonb[], $7::timestamptz[])
    AS s(legacy_id, actor_id, action, entity_type, entity_id, details, created_at)
),
inserted AS (
  INSERT INTO audit_log (id, actor_id, action, entity_type, entity_id, details, created_at) OVERRIDING SYSTEM VALUE
  SELECT audit_id, actor_id, action, entity_type, entity_id, details, COALESCE(created_at, now()) FROM src
),
mapped AS (
  INSERT INTO legacy_audit_log (source, legacy_id, audit_id)
  SELECT $8::text, legacy_id, audit_id FROM src WHERE legacy_id IS NOT NULL
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

export async function insertAuditEntries(db: Queryable, source: string, rows: AuditRow[]): Promise<number> {
  if (rows.length === 0) return 0;
  const col = <K extends keyof AuditRow>(k: K) => rows.map((r) => r[k]);
  const { count } = await db.one(insertAuditQuery, {
    legacyIds: nullable(col('legacyId')),
    actorIds: nullable(col('actorId')),
    actions: col('action'),
    entityTypes: col('entityType'),
    entityIds: nullable(col('entityId')),
    details: rows.map((r) => JSON.stringify(r.details)),
    createdAt: nullable(col('createdAt')),
    source,
  });
  return count;
}
