import type { Queryable } from '../db/database.ts';
import { defineQuery } from '../db/query.ts';

const insertIdempotencyKeyQuery = defineQuery({
  name: 'orders.insert_idempotency_key',
  params: { userId: 'int8', key: 'text', requestHash: 'bytea', orderId: 'int8' },
  columns: {},
  text: `
INSERT INTO idempotency_keys (user_id, key, request_hash, order_id)
VALUES ($1::int8, $2::text, $3::bytea, $4::int8)`,
});

/** Records which order a key created; a concurrent duplicate fails on the primary key. */
export function insertIdempotencyKey(db: Queryable, userId: number, key: string, requestHash: Buffer, orderId: number): Promise<number> {
  return db.run(insertIdempotencyKeyQuery, { userId, key, requestHash, orderId });
}

const findIdempotencyKeyQuery = defineQuery({
  name: 'orders.find_idempotency_key',
  params: { userId: 'int8', key: 'text' },
  columns: { request_hash: 'bytea', order_id: 'int8' },
  text: `
SELECT request_hash, order_id FROM idempotency_keys
WHERE user_id = $1::int8 AND key = $2::text`,
});

export function findIdempotencyKey(db: Queryable, userId: number, key: string): Promise<{ request_hash: Buffer; order_id: number } | null> {
  return db.maybeOne(findIdempotencyKeyQuery, { userId, key });
}

const deleteExpiredIdempotencyKeysQuery = defineQuery({
  name: 'orders.delete_expired_idempotency_keys',
  params: { olderThan: 'timestamptz' },
  columns: {},
  text: `DELETE FROM idempotency_keys WHERE created_at < $1::timestamptz`,
});

/** Keys only need to outlive client retries; the scheduler prunes old ones. */
export function deleteExpiredIdempotencyKeys(db: Queryable, olderThan: string): Promise<number> {
  return db.run(deleteExpiredIdempotencyKeysQuery, { olderThan });
}
