import type { Queryable } from '../db/database.ts';
import type { OrderStatus } from '../db/enums.ts';
import { defineQuery } from '../db/query.ts';
import { STATUS_SETS, statusListSql, type StatusesWhere } from '../orders/order-statuses.ts';
import { ORDER_VIEW_COLUMNS, ORDER_VIEW_JOINS, ORDER_VIEW_SELECT, type OrderView } from '../orders/order-view.ts';

/**
 * The console's reads: the day's board, masters' load and masters' day.
 *
 * An order is due at its visit time, or at its creation when it has none
 * (COALESCE(scheduled_at, created_at)). Day bounds are local midnights in
 * the business time zone, computed by PostgreSQL (DST included). Status
 * sets come from STATUS_SETS as parameters, except the open set: the
 * predicate of the partial index orders_board_idx must appear as a literal
 * for the planner to prove that index applies to a generic plan
 * (test/db/partial-indexes.test.ts fails when the two differ).
 */
const DUE = `COALESCE(o.scheduled_at, o.created_at)`;
const OPEN = `o.status IN ${statusListSql(STATUS_SETS.open)}`;
/** $1 date, $2 time zone, $3 carry over (no lower bound). */
const DAY_BOUNDS = `
bounds AS (
  SELECT CASE WHEN $3::bool THEN '-infinity'::timestamptz ELSE ($1::date)::timestamp AT TIME ZONE $2::text END AS lo,
         ($1::date + 1)::timestamp AT TIME ZONE $2::text AS hi
)`;

const listBoardOrdersQuery = defineQuery({
  name: 'console.list_board_orders',
  params: { date: 'date', timeZone: 'text', carryOver: 'bool', statuses: 'order_status[]', masterId: 'int8?', equipmentType: 'text?', limit: 'int4' },
  columns: ORDER_VIEW_COLUMNS,
  text: `
WITH ${DAY_BOUNDS}
SELECT ${ORDER_VIEW_SELECT}
FROM (
  SELECT page.* FROM bounds b CROSS JOIN unnest($4::order_status[]) AS s(status)
  CROSS JOIN LATERAL (
    SELECT * FROM orders o
    WHERE o.status = s.status AND ${OPEN} AND o.deleted_at IS NULL
      AND ${DUE} >= b.lo AND ${DUE} < b.hi
      AND ($5::int8 IS NULL OR o.master_id = $5::int8)
      AND ($6::text IS NULL OR o.equipment_type = $6::text)
    ORDER BY ${DUE}, o.id
    LIMIT $7::int4
  ) page
) o ${ORDER_VIEW_JOINS}
ORDER BY ${DUE}, o.id`,
});

export interface BoardQuery {
  date: string;
  timeZone: string;
  carryOver: boolean;
  masterId: number | null;
  equipmentType: string | null;
}

/** Up to `limit` orders per status, earliest due first. */
export function listBoardOrders(db: Queryable, q: BoardQuery, statuses: readonly OrderStatus[], limit: number): Promise<OrderView[]> {
  return db.many(listBoardOrdersQuery, { ...q, statuses: [...statuses], limit });
}

const countBoardOrdersQuery = defineQuery({
  name: 'console.count_board_orders',
  params: { date: 'date', timeZone: 'text', carryOver: 'bool', masterId: 'int8?', equipmentType: 'text?' },
  columns: { status: 'order_status', orders: 'int8' },
  text: `
WITH ${DAY_BOUNDS}
SELECT o.status, count(*) AS orders
FROM bounds b JOIN orders o ON ${DUE} >= b.lo AND ${DUE} < b.hi
WHERE ${OPEN} AND o.deleted_at IS NULL
  AND ($4::int8 IS NULL OR o.master_id = $4::int8)
  AND ($5::text IS NULL OR o.equipment_type = $5::text)
GROUP BY o.status`,
});

/** How many orders each column holds in all (a column shows at most its page). */
export function countBoardOrders(db: Queryable, q: BoardQuery): Promise<Array<{ status: OrderStatus; orders: number }>> {
  return db.many(countBoardOrdersQuery, q);
}

/** A master's load by status: one count per status of STATUS_SETS.masterLoad, named after it (assigned, accepted, ...). */
type LoadColumn = Lowercase<StatusesWhere<'masterLoad'>>;
const LOAD_STATUSES = STATUS_SETS.masterLoad;
const LOAD_COLUMNS = Object.fromEntries(LOAD_STATUSES.map((s) => [s.toLowerCase(), 'int8'])) as Record<LoadColumn, 'int8'>;
// Enum labels ([A-Z_]) make constant SQL here, built once at module load.
const LOAD_COUNTS = LOAD_STATUSES.map((s) => `count(*) FILTER (WHERE o.status = '${s}') AS ${s.toLowerCase()},`).join('\n         ');
const LOAD_SELECT = LOAD_STATUSES.map((s) => `l.${s.toLowerCase()}, `).join('');

const listMastersLoadQuery = defineQuery({
  name: 'console.list_masters_load',
  params: { date: 'date', timeZone: 'text', carryOver: 'bool', statuses: 'order_status[]' },
  columns: {
    id: 'int8',
    name: 'text',
    specialization: 'text',
    phone: 'text',
    ...LOAD_COLUMNS,
    total: 'int8',
    next_visit_at: 'timestamptz?',
  },
  text: `
WITH ${DAY_BOUNDS}
SELECT m.id, u.name, m.specialization, m.phone,
       ${LOAD_SELECT}l.total, l.next_visit_at
FROM bounds b
CROSS JOIN masters m
JOIN users u ON u.id = m.user_id
CROSS JOIN LATERAL (
  SELECT ${LOAD_COUNTS}
         count(*) AS total,
         min(o.scheduled_at) FILTER (WHERE o.scheduled_at >= now()) AS next_visit_at
  FROM orders o
  WHERE o.master_id = m.id AND o.deleted_at IS NULL
    AND o.status = ANY ($4::order_status[])
    AND ${DUE} >= b.lo AND ${DUE} < b.hi
) l
WHERE m.deleted_at IS NULL AND m.is_active AND m.is_approved
ORDER BY l.total, u.name, m.id
LIMIT 500`,
});

export type MasterLoad = Awaited<ReturnType<typeof listMastersLoad>>[number];

/** Assignable masters with their open work due that day (carried over too on today's), least loaded first. */
export function listMastersLoad(db: Queryable, date: string, timeZone: string, carryOver: boolean) {
  return db.many(listMastersLoadQuery, { date, timeZone, carryOver, statuses: [...LOAD_STATUSES] });
}

const listTimelineOrdersQuery = defineQuery({
  name: 'console.list_timeline_orders',
  params: { date: 'date', timeZone: 'text', days: 'int4', limit: 'int4' },
  columns: ORDER_VIEW_COLUMNS,
  text: `
WITH bounds AS (
  SELECT ($1::date)::timestamp AT TIME ZONE $2::text AS lo, ($1::date + $3::int4)::timestamp AT TIME ZONE $2::text AS hi
)
SELECT ${ORDER_VIEW_SELECT}
FROM (
  SELECT o.* FROM bounds b JOIN orders o ON o.scheduled_at >= b.lo AND o.scheduled_at < b.hi
  WHERE o.deleted_at IS NULL AND o.scheduled_at IS NOT NULL AND o.master_id IS NOT NULL
  ORDER BY o.scheduled_at, o.id
  LIMIT $4::int4
) o ${ORDER_VIEW_JOINS}
ORDER BY o.scheduled_at, o.id`,
});

/** Visits with a time and a master within [date, date + days). */
export function listTimelineOrders(db: Queryable, date: string, timeZone: string, days: number, limit: number): Promise<OrderView[]> {
  return db.many(listTimelineOrdersQuery, { date, timeZone, days, limit });
}

const listUntimedOrdersQuery = defineQuery({
  name: 'console.list_untimed_orders',
  params: { limit: 'int4', statuses: 'order_status[]' },
  columns: ORDER_VIEW_COLUMNS,
  text: `
SELECT ${ORDER_VIEW_SELECT}
FROM (
  SELECT o.* FROM orders o
  WHERE ${OPEN} AND o.status = ANY ($2::order_status[])
    AND o.deleted_at IS NULL AND o.scheduled_at IS NULL
  ORDER BY ${DUE} DESC, o.id DESC
  LIMIT $1::int4
) o ${ORDER_VIEW_JOINS}
ORDER BY o.master_id, o.created_at, o.id`,
});

/** Masters' orders in their load (STATUS_SETS.masterLoad) with no visit time yet, newest first. */
export function listUntimedOrders(db: Queryable, limit: number): Promise<OrderView[]> {
  return db.many(listUntimedOrdersQuery, { limit, statuses: [...LOAD_STATUSES] });
}

const listOrdersByIdQuery = defineQuery({
  name: 'console.list_orders_by_id',
  params: { ids: 'int8[]' },
  columns: { ...ORDER_VIEW_COLUMNS, deleted: 'bool' },
  text: `
SELECT ${ORDER_VIEW_SELECT}, o.deleted_at IS NOT NULL AS deleted
FROM orders o ${ORDER_VIEW_JOINS}
WHERE o.id = ANY ($1::int8[])
ORDER BY o.id`,
});

/** Orders as they are now, deleted ones included (flagged): what the live stream announces. */
export function listOrdersById(db: Queryable, ids: readonly number[]): Promise<Array<OrderView & { deleted: boolean }>> {
  return db.many(listOrdersByIdQuery, { ids: [...ids] });
}
