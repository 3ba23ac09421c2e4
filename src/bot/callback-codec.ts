/**
 * What the button data of every feature (callback-*.ts) is written and read
 * with: each feature declares, per button type, how it is encoded, and per
 * code, how many arguments it takes and how they are parsed strictly
 * (anything off is null). callback-data.ts gathers them.
 */
export type Encoders<D extends { type: string }> = { [K in D['type']]: (d: Extract<D, { type: K }>) => string };

export type Parsers<D> = Record<string, { args: number | [number, number]; parse: (a: string[]) => D | null }>;

/** A positive safe integer written plainly, or null. */
export function id(s: string | undefined, min = 1): number | null {
  if (s === undefined || !/^\d{1,16}$/.test(s)) return null;
  const n = Number(s);
  return Number.isSafeInteger(n) && n >= min ? n : null;
}

export function fromMap<V>(map: Record<string, V>, key: string | undefined): V | null {
  return key !== undefined && Object.hasOwn(map, key) ? map[key]! : null;
}

export const keyOf = <V extends string>(map: Record<string, V>, value: V): string => Object.entries(map).find(([, v]) => v === value)![0];

export function yesNo(s: string | undefined): boolean | null {
  return s === 'y' ? true : s === 'n' ? false : null;
}

export const all = (...xs: unknown[]): boolean => xs.every((x) => x !== null && x !== undefined);

/** An instant in whole seconds, base 36 (a report's bounds fit a button). */
export const instant = (iso: string): string => Math.floor(Date.parse(iso) / 1000).toString(36);

export function seconds36(s: string | undefined): string | null {
  if (s === undefined || !/^[0-9a-z]{1,8}$/.test(s)) return null;
  const ms = parseInt(s, 36) * 1000;
  return Number.isSafeInteger(ms) ? new Date(ms).toISOString() : null;
}

/** An equipment type's code (the catalog's key). */
export function isTypeCode(code: string | undefined): boolean {
  return code !== undefined && /^[a-z][a-z0-9_]{1,39}$/.test(code);
}
