import { ValidationError } from '../errors.ts';
import { parseTimestamp } from '../input.ts';
import type { PageKey } from './list-orders.sql.ts';

const TIMESTAMP = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,6})?Z$/;

/** Opaque keyset cursor: base64url of [created_at, id] of the last row. */
export function encodeCursor(key: PageKey): string {
  return Buffer.from(JSON.stringify([key.createdAt, key.id])).toString('base64url');
}

export function decodeCursor(cursor: string, field = 'cursor'): PageKey {
  const bad = () => new ValidationError('is not a cursor this API returned', { field });
  if (cursor.length > 200 || !/^[A-Za-z0-9_-]+$/.test(cursor)) throw bad();
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    throw bad();
  }
  if (!Array.isArray(parsed) || parsed.length !== 2) throw bad();
  const [createdAt, id] = parsed as unknown[];
  // Checked fully here (a real calendar day, in range) so a tampered cursor never reaches a query.
  if (typeof createdAt !== 'string' || !TIMESTAMP.test(createdAt) || 'error' in parseTimestamp(createdAt)) throw bad();
  if (typeof id !== 'number' || !Number.isSafeInteger(id) || id < 1) throw bad();
  return { createdAt, id };
}
