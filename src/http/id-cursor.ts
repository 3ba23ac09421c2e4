import { ValidationError } from '../errors.ts';

/**
 * Opaque cursor for lists keyed by id alone (masters, users): base64url of
 * "id:<n>". Clients pass it back untouched; anything else is a 400.
 */
function encodeIdCursor(id: number): string {
  return Buffer.from(`id:${id}`).toString('base64url');
}

export function decodeIdCursor(cursor: string | undefined, field = 'cursor'): number {
  if (cursor === undefined) return 0;
  const m = /^id:([1-9][0-9]{0,15})$/.exec(Buffer.from(cursor, 'base64url').toString('latin1'));
  const id = Number(m?.[1]);
  if (!m || !Number.isSafeInteger(id)) throw new ValidationError('is not a cursor this API returned', { field });
  return id;
}

/** Cuts a list fetched with limit + 1 rows into a page and its next cursor. */
export function idPage<T extends { id: number }>(rows: T[], limit: number): { items: T[]; next_cursor: string | null } {
  const items = rows.slice(0, limit);
  const last = items.at(-1);
  return { items, next_cursor: rows.length > limit && last ? encodeIdCursor(last.id) : null };
}
