import { createHash, randomBytes } from 'node:crypto';
import type { Queryable } from '../db/database.ts';
import { insertToken } from './tokens.sql.ts';

const PREFIX = 'rb_';
const TOKEN = /^rb_[A-Za-z0-9_-]{43}$/;

/** SHA-256 of the token: what the database keeps. */
export function hashToken(token: string): Buffer {
  return createHash('sha256').update(token).digest();
}

export function looksLikeToken(token: string): boolean {
  return TOKEN.test(token);
}

/** Creates a token for a user; the plain token is returned once and never stored. */
export async function issueToken(db: Queryable, userId: number, label: string, actorId: number | null): Promise<{ id: number; token: string }> {
  const token = PREFIX + randomBytes(32).toString('base64url');
  const { id } = await insertToken(db, userId, hashToken(token), label, actorId);
  return { id, token };
}
