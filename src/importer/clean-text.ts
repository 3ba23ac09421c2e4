/**
 * Text from the legacy file: any Unicode (emoji, quotes) stays as it is;
 * control characters other than newline and tab go, because nobody typed
 * them on purpose and PostgreSQL refuses NUL outright.
 */

// C0 controls except \t (09) and \n (0A), DEL, and the C1 block.
const CONTROL = /[\u0000-\u0008\u000B-\u001F\u007F-\u009F]/g;
const decoder = new TextDecoder('utf-8');

/** SQLite is dynamically typed: a TEXT column may hold a number or a blob. */
export function asText(raw: unknown): string | null {
  if (raw === null || raw === undefined) return null;
  // Lone surrogates cannot be stored (PostgreSQL refuses them in text and jsonb).
  if (typeof raw === 'string') return raw.toWellFormed();
  if (raw instanceof Uint8Array) return decoder.decode(raw);
  // eslint-disable-next-line @typescript-eslint/no-base-to-string -- a SQLite cell: number, bigint or text, never an object
  return String(raw);
}

export interface CleanedText {
  text: string;
  /** Control characters were removed. */
  stripped: boolean;
}

// The same characters, \r among them, found without the global flag's state: most text has none.
const NEEDS_CLEANING = /[\u0000-\u0008\u000B-\u001F\u007F-\u009F]/;

/** Control characters out (line endings unified), nothing else touched. */
function stripControl(text: string): string {
  if (!NEEDS_CLEANING.test(text)) return text;
  return text.replace(/\r\n?/g, '\n').replace(CONTROL, '');
}

// A file has a few dozen column names, met once per row: each is cleaned once.
const cleanKeys = new Map<string, string>();
function cleanKey(key: string): string {
  let cleaned = cleanKeys.get(key);
  if (cleaned === undefined) {
    cleaned = stripControl(key);
    if (cleanKeys.size < 1000) cleanKeys.set(key, cleaned);
  }
  return cleaned;
}

/**
 * A legacy value as JSON for audit details: text cleaned as above (jsonb
 * refuses NUL), integers past 2^53 as strings, blobs as text. Called for
 * every cell of every row kept whole: a loop, not entries and fromEntries
 * (measured, a tenth of the import's CPU went to the copies).
 */
export function jsonSafe(raw: unknown): unknown {
  if (raw === null || raw === undefined) return null;
  if (typeof raw === 'string') return stripControl(raw.isWellFormed() ? raw : raw.toWellFormed());
  if (typeof raw === 'bigint') return Number.isSafeInteger(Number(raw)) ? Number(raw) : raw.toString();
  if (typeof raw === 'number') return Number.isFinite(raw) ? raw : String(raw);
  if (typeof raw === 'boolean') return raw;
  if (Array.isArray(raw)) return raw.map(jsonSafe);
  if (typeof raw === 'object' && !(raw instanceof Uint8Array)) {
    const out: Record<string, unknown> = {};
    const source = raw as Record<string, unknown>;
    for (const key of Object.keys(source)) {
      const name = cleanKey(key);
      // A JSON text may name a key __proto__: kept as a key, as fromEntries would, not set as the prototype.
      if (name === '__proto__') Object.defineProperty(out, name, { value: jsonSafe(source[key]), enumerable: true, writable: true, configurable: true });
      else out[name] = jsonSafe(source[key]);
    }
    return out;
  }
  return stripControl(asText(raw)!);
}

/** Line endings to \n, control characters out, ends trimmed. */
export function cleanText(raw: unknown): CleanedText | null {
  const text = asText(raw);
  if (text === null) return null;
  const unified = text.replace(/\r\n?/g, '\n');
  const cleaned = unified.replace(CONTROL, '');
  return { text: cleaned.trim(), stripped: cleaned.length !== unified.length };
}

/** Cuts to `max` characters as PostgreSQL counts them (code points), never inside a surrogate pair. */
export function limitLength(text: string, max: number): { text: string; truncated: boolean } {
  if (text.length <= max) return { text, truncated: false };
  const points = Array.from(text);
  if (points.length <= max) return { text, truncated: false };
  return { text: points.slice(0, max).join('').trimEnd(), truncated: true };
}

/** Where a cleaned field notes what it had to change, by field name. */
export type NoteReason = (reason: string) => void;

/**
 * A cleaned text field: NULL when absent or empty, else cut to `max`.
 * Every change beyond trimming is reported through `note`.
 */
export function optionalText(raw: unknown, field: string, max: number, note: NoteReason): string | null {
  const cleaned = cleanText(raw);
  if (!cleaned) return null;
  if (cleaned.stripped) note(`${field}: control characters stripped`);
  if (cleaned.text === '') return null;
  const limited = limitLength(cleaned.text, max);
  if (limited.truncated) note(`${field}: cut to ${max} characters`);
  return limited.text;
}

/** Like optionalText, for a NOT NULL column: an empty value becomes `placeholder`. */
export function requiredText(raw: unknown, field: string, max: number, placeholder: string, note: NoteReason): string {
  const text = optionalText(raw, field, max, note);
  if (text !== null) return text;
  note(`${field}: empty, placeholder used`);
  return placeholder;
}

const PHONE_PIECES = /[,;/\n]|\s(?:или|or|и)\s/i;

/** The schema's phone form: digits with an optional leading + (as src/orders/order-input.ts normalizes). */
function normalizeOne(piece: string): string | null {
  const trimmed = piece.trim();
  const digits = trimmed.replace(/\D/g, '');
  if (digits.length < 5 || digits.length > 20) return null;
  return (trimmed.startsWith('+') ? '+' : '') + digits;
}

/** Numbers typed one after another with only spaces between them: grouped greedily at 10+ digits each. */
function splitRun(piece: string): string[] {
  if (piece.replace(/\D/g, '').length <= 20) return [piece];
  const groups: string[] = [];
  let current = '';
  for (const token of piece.trim().split(/\s+/)) {
    current = current ? `${current} ${token}` : token;
    if (current.replace(/\D/g, '').length >= 10) {
      groups.push(current);
      current = '';
    }
  }
  if (current) groups.push(current);
  return groups;
}

export interface NormalizedPhone {
  /** What goes into the column: a normalized number, or '00000' when none is usable. */
  phone: string;
  /** The whole original text when the column could not carry it (several numbers, none usable). */
  leftover: string | null;
}

const NO_PHONE = '00000';

/**
 * A phone as people typed it ('8 (916) 123-45-67', '+7 916 1234567 или 8 925 ...')
 * in the schema's normalized form. With several numbers the first usable one
 * is kept and the original text is handed back for the notes.
 */
export function normalizeLegacyPhone(raw: unknown, field: string, note: NoteReason): NormalizedPhone {
  const cleaned = cleanText(raw);
  const text = cleaned?.text ?? '';
  const whole = normalizeOne(text);
  if (whole && /^[\d\s()+.-]*$/.test(text)) return { phone: whole, leftover: null };
  const pieces = text
    .split(PHONE_PIECES)
    .flatMap(splitRun)
    .map(normalizeOne)
    .filter((p): p is string => p !== null);
  if (pieces.length === 0) {
    note(`${field}: no usable phone number, ${NO_PHONE} stored`);
    return { phone: NO_PHONE, leftover: text === '' ? null : text };
  }
  note(`${field}: several numbers or extra text, first number kept`);
  return { phone: pieces[0]!, leftover: text };
}
