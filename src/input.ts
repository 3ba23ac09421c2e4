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

/**
 * Characters that must never reach a person's screen inside free text:
 * C0 controls but newline and tab, DEL, C1 controls, and the bidi embedding,
 * override and isolate controls (U+202A-U+202E, U+2066-U+2069) that can make
 * an address or a name read differently from what is stored.
 */
const HIDDEN_CONTROLS = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F\u202A-\u202E\u2066-\u2069]/;

/**
 * Why a string is not clean text, or null. U+FFFD is what a decoder leaves
 * for bytes that were not UTF-8 (the JSON body parser replaces them), so it
 * is refused with lone surrogates: both mean the text arrived broken.
 */
function textFault(s: string): string | null {
  if (!s.isWellFormed() || s.includes('\uFFFD')) return 'must be valid UTF-8 text (no lone surrogates or undecodable bytes)';
  if (HIDDEN_CONTROLS.test(s)) return 'must not contain control characters or bidirectional overrides';
  return null;
}

/** A zod refinement: the text's fault (textFault) as an issue on its field. */
export function refuseUncleanText(s: string, ctx: z.RefinementCtx): void {
  const fault = textFault(s);
  if (fault) ctx.addIssue({ code: 'custom', message: fault });
}

/** Free text a person reads: trimmed, 1..max characters, clean (see textFault). */
export const text = (max: number) => z.string().trim().min(1, 'must not be empty').max(max, `must be at most ${max} characters`).superRefine(refuseUncleanText);

export const phoneSchema = z
  .string()
  .max(40, 'must be at most 40 characters')
  .refine((s) => /^[\d\s()+.-]+$/.test(s.trim()), 'may contain only digits, spaces, +, -, ., ( and )')
  .transform(normalizePhone)
  .refine((s) => /^\+?[0-9]{5,20}$/.test(s), 'must have 5 to 20 digits');

// PostgreSQL would refuse year 0 and answer years before 1 AD or after 9999
// in a form that is not RFC 3339; no visit or repair date lies outside these.
const EARLIEST_MS = Date.UTC(1900, 0, 1);
const LATEST_MS = Date.UTC(10000, 0, 1);

const RFC3339 = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(?:\.(\d+))?(Z|([+-])(\d{2}):(\d{2}))$/;
/** Beyond nanoseconds a fraction carries nothing a clock measures; PostgreSQL keeps microseconds. */
const MAX_FRACTION_DIGITS = 9;
/** Real UTC offsets run from -12:00 to +14:00; PostgreSQL refuses some larger ones with an error, not a 400. */
const MAX_OFFSET_MINUTES = 14 * 60;

function isCalendarDay(year: number, month: number, day: number): boolean {
  const d = new Date(Date.UTC(year, month - 1, day));
  return d.getUTCFullYear() === year && d.getUTCMonth() === month - 1 && d.getUTCDate() === day;
}

/**
 * An RFC 3339 timestamp as PostgreSQL will store it: microseconds since the
 * epoch after its rounding, or why it is refused. The range is checked after
 * rounding, so 9999-12-31T23:59:59.9999995Z (year 10000 once rounded) is out.
 */
export function parseTimestamp(s: string): { micros: bigint } | { error: string } {
  const m = RFC3339.exec(s);
  if (!m) return { error: 'must be an RFC 3339 timestamp with a time zone' };
  const [, y, mo, d, h, mi, sec, frac = '', zone, sign, oh, om] = m;
  if (frac.length > MAX_FRACTION_DIGITS) return { error: `must have at most ${MAX_FRACTION_DIGITS} digits of fractional seconds` };
  if (!isCalendarDay(Number(y), Number(mo), Number(d)) || Number(h) > 23 || Number(mi) > 59 || Number(sec) > 59) {
    return { error: 'must be a real date and time of day' };
  }
  const offsetMinutes = zone === 'Z' ? 0 : (sign === '-' ? -1 : 1) * (Number(oh) * 60 + Number(om));
  if (Number(om) > 59 || Math.abs(offsetMinutes) > MAX_OFFSET_MINUTES) return { error: 'must have a UTC offset between -14:00 and +14:00' };
  const wallMs = Date.UTC(Number(y), Number(mo) - 1, Number(d), Number(h), Number(mi), Number(sec));
  // Rounded half up to microseconds, as PostgreSQL rounds; a tie never lets a value slip past the limit.
  const fracMicros = frac === '' ? 0n : (BigInt(frac.padEnd(MAX_FRACTION_DIGITS, '0')) + 500n) / 1000n;
  const micros = BigInt(wallMs - offsetMinutes * 60_000) * 1000n + fracMicros;
  if (micros < BigInt(EARLIEST_MS) * 1000n || micros >= BigInt(LATEST_MS) * 1000n) return { error: 'must lie between 1900 and 9999 (UTC)' };
  return { micros };
}

export const timestampSchema = z
  .string()
  .meta({ format: 'date-time', description: 'RFC 3339 timestamp with a time zone, 1900..9999 UTC' })
  .superRefine((s, ctx) => {
    const parsed = parseTimestamp(s);
    if ('error' in parsed) ctx.addIssue({ code: 'custom', message: parsed.error });
  });

export const dateSchema = z.iso
  .date({ message: 'must be a date YYYY-MM-DD' })
  .refine((s) => !('error' in parseTimestamp(`${s}T00:00:00Z`)), 'must lie between 1900 and 9999');
