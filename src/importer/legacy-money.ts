import { asText } from './clean-text.ts';

/**
 * Legacy money was REAL (binary float): 1234.5600000000002 and the like.
 * An amount is read from its shortest decimal form (what the person typed,
 * as far as a double can tell) and rounded half up to kopecks, so no float
 * arithmetic ever touches it; from there on it is bigint kopecks.
 */
const MAX_KOPECKS = 999_999_999_999n; // NUMERIC(12,2)

export type Amount = { kopecks: bigint } | { invalid: string } | null;

/** '1.2345e-7' and '12.5' alike to digits and a decimal exponent. */
function decimalParts(text: string): { digits: string; scale: number } | null {
  const m = /^(\d+)(?:\.(\d*))?(?:e([+-]?\d+))?$/i.exec(text);
  if (!m) return null;
  const fraction = m[2] ?? '';
  return { digits: `${m[1]}${fraction}`, scale: fraction.length - Number(m[3] ?? 0) };
}

/** Digits x 10^-scale, rounded half up to two decimals, as kopecks. */
function toRoundedKopecks(digits: string, scale: number): bigint {
  const value = BigInt(digits);
  const shift = scale - 2;
  if (shift <= 0) return value * 10n ** BigInt(-shift);
  const divisor = 10n ** BigInt(shift);
  return (value + divisor / 2n) / divisor;
}

export function parseAmount(raw: unknown): Amount {
  if (raw === null || raw === undefined) return null;
  if (typeof raw === 'bigint') return inRange(raw * 100n, String(raw));
  let text: string;
  if (typeof raw === 'number') {
    if (!Number.isFinite(raw)) return { invalid: String(raw) };
    text = String(raw);
  } else {
    const s = asText(raw)!;
    // Typed text: spaces as thousand separators, a decimal comma, a currency sign.
    text = s
      .replace(/[\s\u00A0\u202F]/g, '')
      .replace(/(?:₽|руб\.?|р\.?)$/i, '')
      .replace(',', '.');
    if (text === '') return null;
  }
  const negative = text.startsWith('-');
  const parts = decimalParts(negative ? text.slice(1) : text);
  // eslint-disable-next-line @typescript-eslint/no-base-to-string -- a SQLite cell: number, bigint or text, never an object
  if (!parts) return { invalid: String(raw) };
  const kopecks = toRoundedKopecks(parts.digits, parts.scale);
  // eslint-disable-next-line @typescript-eslint/no-base-to-string -- as above
  return inRange(negative && kopecks !== 0n ? -kopecks : kopecks, String(raw));
}

function inRange(kopecks: bigint, original: string): Amount {
  if (kopecks < 0n) return { invalid: `${original} (negative)` };
  if (kopecks > MAX_KOPECKS) return { invalid: `${original} (too large)` };
  return { kopecks };
}
