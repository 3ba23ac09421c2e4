import type pg from 'pg';

/**
 * The bare floor's queries: what an outsider would write for the mix's five
 * requests over the same tables and indexes, with none of the service's
 * audit trail, history rows, access rules or joined names beyond the master's.
 * Named statements (prepared once per connection), as the service's are.
 */
type Queryable = Pick<pg.Pool, 'query'>;
export type Row = Record<string, unknown>;

const PAGE = `ORDER BY o.created_at DESC, o.id DESC`;
const MASTER_NAME = `LEFT JOIN masters m ON m.id = o.master_id LEFT JOIN users mu ON mu.id = m.user_id`;

const LIST_BY_STATUS = `
SELECT o.*, mu.name AS master_name FROM orders o ${MASTER_NAME}
WHERE o.status = $1::order_status AND o.deleted_at IS NULL
${PAGE}
LIMIT $2::int4`;

export async function listOrdersByStatus(db: Queryable, status: string, limit: number): Promise<Row[]> {
  return (await db.query<Row>({ name: 'floor.list', text: LIST_BY_STATUS, values: [status, limit] })).rows;
}

const FIND_ORDER = `SELECT o.*, mu.name AS master_name FROM orders o ${MASTER_NAME} WHERE o.id = $1::int8 AND o.deleted_at IS NULL`;

export async function findOrder(db: Queryable, id: number): Promise<Row | undefined> {
  return (await db.query<Row>({ name: 'floor.find', text: FIND_ORDER, values: [id] })).rows[0];
}

const INSERT_ORDER = `
INSERT INTO orders (equipment_type, description, client_name, client_address, client_phone, notes, scheduled_at)
VALUES ($1::text, $2::text, $3::text, $4::text, $5::text, $6::text, $7::timestamptz)
RETURNING *`;

export interface FloorOrder {
  equipment_type: string;
  description: string;
  client_name: string;
  client_address: string;
  client_phone: string;
  notes: string | null;
  scheduled_at: string | null;
}

export async function insertOrder(db: Queryable, o: FloorOrder): Promise<Row> {
  const values = [o.equipment_type, o.description, o.client_name, o.client_address, o.client_phone, o.notes, o.scheduled_at];
  return (await db.query<Row>({ name: 'floor.insert', text: INSERT_ORDER, values })).rows[0]!;
}

// The same index as the service's (five-digit substrings of the phone, 0120); the fragment checked as a filter, newest 20 kept.
const SEARCH_PHONE_FRAGMENT = `
WITH matches AS MATERIALIZED (
  SELECT o.id, o.created_at FROM orders o
  WHERE o.deleted_at IS NULL AND phone_digit_grams(o.client_phone) @> phone_digit_grams($3::text) AND o.client_phone LIKE $1::text
)
SELECT o.*, mu.name AS master_name
FROM (SELECT id FROM matches ORDER BY created_at DESC, id DESC LIMIT $2::int4) page
JOIN orders o ON o.id = page.id ${MASTER_NAME}
${PAGE}`;

export async function searchPhoneFragment(db: Queryable, digits: string, limit: number): Promise<Row[]> {
  return (await db.query<Row>({ name: 'floor.search', text: SEARCH_PHONE_FRAGMENT, values: [`%${digits}%`, limit, digits] })).rows;
}

// A uniform sample of live order ids, for the mix's reads by id (the harness, not the floor, runs it).
// A full scan once per run (about a second at 1,000,000 orders): the harness, not the measured load, pays it.
const SAMPLE_ORDER_IDS = `SELECT id FROM orders WHERE deleted_at IS NULL ORDER BY random() LIMIT $1::int4`;

export async function sampleOrderIds(db: Queryable, count: number): Promise<number[]> {
  return (await db.query<{ id: string }>(SAMPLE_ORDER_IDS, [count])).rows.map((r) => Number(r.id));
}
