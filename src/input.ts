import { z } from 'zod';

/**
 * Input primitives shared by every feature's schemas (HTTP validation, the
 * OpenAPI document, the bot's step-by-step checks). Field names are the
 * API's snake_case.
 */

/** Strips formatting; keeps a leading + and the digits. */
export function normalizePhone(raw: string): string {
  const trimmed = raw.trim();
  return (trimmed.startsWith('+') ? '+' : '') + trimmed.replace(/\D/g, '');
}

/** Free text a person reads: trimmed, 1..max characters, no control characters but newline and tab. */
export const text = (max: number) =>
  z
    .string()
    .trim()
    .min(1, 'must not be empty')
    .max(max, `must be at most ${max} characters`)
    .refine((s) => !/[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F]/.test(s), 'must not contain control characters');

export const phoneSchema = z
  .string()
  .max(40, 'must be at most 40 characters')
  .refine((s) => /^[\d\s()+.-]+$/.test(s.trim()), 'may contain only digits, spaces, +, -, ., ( and )')
  .transform(normalizePhone)
  .refine((s) => /^\+?[0-9]{5,20}$/.test(s), 'must have 5 to 20 digits');

// PostgreSQL would refuse year 0 and answer years before 1 AD or after 9999
// in a form that is not RFC 3339; no visit or repair date lies outside these.
const EARLIEST = Date.UTC(1900, 0, 1);
const LATEST = Date.UTC(10000, 0, 1);
const inRange = (s: string) => {
  const t = Date.parse(s);
  return t >= EARLIEST && t < LATEST;
};

export const timestampSchema = z.iso
  .datetime({ offset: true, message: 'must be an RFC 3339 timestamp with a time zone' })
  .refine(inRange, 'must lie between 1900 and 9999 (UTC)');
export const dateSchema = z.iso.date({ message: 'must be a date YYYY-MM-DD' }).refine(inRange, 'must lie between 1900 and 9999');
