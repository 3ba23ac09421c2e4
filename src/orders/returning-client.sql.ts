import type { Queryable } from '../db/database.ts';
import { defineQuery } from '../db/query.ts';
import { STATUS_SETS, statusArraySql } from './order-statuses.ts';

/**
 * What the service knows of a client by phone (canonical form): how many
 * orders, the latest one with the name and address it was given, and the
 * open ones (a new order may be a duplicate). Reads orders_phone_suffix_idx
 * by the number's ending: a Russian number by its last ten digits, so rows
 * stored in another spelling (an import of the legacy bot's 8 916...) count.
 */
const findClientByPhoneQuery = defineQuery({
  name: 'orders.find_client_by_phone',
  params: { digits: 'text', maxLength: 'int4' },
  columns: {
    order_count: 'int4',
    last_id: 'int8?',
    last_status: 'order_status?',
    last_created_at: 'timestamptz?',
    last_equipment_type: 'text?',
    last_client_name: 'text?',
    last_client_address: 'text?',
    open_ids: 'int8[]',
  },
  text: `
WITH mine AS (
  SELECT o.id, o.status, o.created_at, o.equipment_type, o.client_name, o.client_address
  FROM orders o
  WHERE reverse(ltrim(o.client_phone, '+')) LIKE reverse($1::text) || '%'
    AND length(ltrim(o.client_phone, '+')) <= $2::int4
    AND o.deleted_at IS NULL
)
SELECT (SELECT count(*) FROM mine)::int4 AS order_count,
       last.id AS last_id, last.status AS last_status, last.created_at AS last_created_at,
       last.equipment_type AS last_equipment_type, last.client_name AS last_client_name, last.client_address AS last_client_address,
       COALESCE((SELECT array_agg(m.id ORDER BY m.created_at DESC, m.id DESC) FROM mine m
                 WHERE m.status = ANY (${statusArraySql(STATUS_SETS.open)})), '{}'::int8[]) AS open_ids
FROM (SELECT 1) AS one
LEFT JOIN LATERAL (SELECT * FROM mine ORDER BY created_at DESC, id DESC LIMIT 1) AS last ON true`,
});

export type ClientRecord = NonNullable<Awaited<ReturnType<typeof findClientByPhone>>>;

/** `phone` in canonical form (+7XXXXXXXXXX for Russian numbers). */
export function findClientByPhone(db: Queryable, phone: string) {
  const digits = phone.replace(/\D/g, '');
  const russian = /^\+7\d{10}$/.test(phone);
  // Only digits reach the LIKE pattern: no wildcard can come from a person.
  return db.one(findClientByPhoneQuery, russian ? { digits: digits.slice(1), maxLength: 11 } : { digits, maxLength: digits.length });
}
