/** Keeps the first 4 and last 2 digits so support can still match a call. */
export function maskPhone(value: unknown): unknown {
  if (typeof value !== 'string') return value;
  const digits = value.replace(/\D/g, '');
  if (digits.length < 7) return '***';
  return `${digits.slice(0, 4)}***${digits.slice(-2)}`;
}

/**
 * 10 to 15 digits, optionally with +, spaces, dashes and parentheses
 * between them, standing alone: not inside a word, a hex trace id, a
 * decimal, a date-time or a path.
 */
const PHONE_IN_TEXT = /(?<![\w.:/-])\+?\d(?:[\s()-]{0,2}\d){9,14}(?![\w.:/-])/g;

/** Masks anything phone-like inside free text (messages, error strings). */
function maskPhonesInText(text: string): string {
  return text.replace(PHONE_IN_TEXT, (m) => String(maskPhone(m)));
}

const BOT_TOKEN_IN_PATH = /\/bot\d+:[A-Za-z0-9_-]+/g;

/** Bot API URLs carry the token in the path: it must never reach a log or a span. */
export function redactBotToken(text: string): string {
  return text.includes('/bot') ? text.replace(BOT_TOKEN_IN_PATH, '/bot<redacted>') : text;
}

/** What may leave the process in free text: phones masked, Bot API tokens removed. */
export function scrubText(text: string): string {
  return maskPhonesInText(redactBotToken(text));
}
