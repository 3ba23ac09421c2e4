import { ADMIN_ENCODERS, ADMIN_PARSERS, type AdminCallback } from './callback-admin.ts';
import type { Encoders, Parsers } from './callback-codec.ts';
import { DIALOG_ENCODERS, DIALOG_PARSERS, type DialogCallback } from './callback-dialog.ts';
import { MONEY_ENCODERS, MONEY_PARSERS, type MoneyCallback } from './callback-money.ts';
import { ORDER_ENCODERS, ORDER_PARSERS, type OrderCallback } from './callback-orders.ts';

export type { MenuItem } from './callback-dialog.ts';
export { filterStatuses, packCursor, STATUS_FILTERS, unpackCursor, type ListFilterCode, type OrderAction } from './callback-orders.ts';

/**
 * Inline button payloads: short `code:arg:arg` strings (Telegram allows 64
 * bytes). Anything a client sends back is parsed strictly; a forged, stale
 * or malformed payload parses to null and is answered politely upstream.
 * Each feature's buttons are declared in their own file: dialogue steps
 * (callback-dialog.ts), orders (callback-orders.ts), admin screens
 * (callback-admin.ts), reports and money (callback-money.ts); a new feature's
 * buttons join the union and the two tables here.
 */
export type CallbackData = DialogCallback | OrderCallback | AdminCallback | MoneyCallback;

// The compiler asks for an encoder for every button type.
const ENCODERS: Encoders<CallbackData> = { ...DIALOG_ENCODERS, ...ORDER_ENCODERS, ...ADMIN_ENCODERS, ...MONEY_ENCODERS };

const PARSER_ENTRIES = [DIALOG_PARSERS, ORDER_PARSERS, ADMIN_PARSERS, MONEY_PARSERS].flatMap((t: Parsers<CallbackData>) => Object.entries(t));
const PARSERS: Parsers<CallbackData> = Object.fromEntries(PARSER_ENTRIES);
// Two features claiming one code would silently read each other's buttons: refuse to start.
if (Object.keys(PARSERS).length !== PARSER_ENTRIES.length) {
  throw new Error('two button codes are the same in the callback-*.ts tables');
}

export function encode(d: CallbackData): string {
  // The table is keyed by type, so the entry found takes this very variant.
  return (ENCODERS[d.type] as (d: CallbackData) => string)(d);
}

/** Parses button data; null for anything this bot did not draw. */
export function parseCallbackData(raw: string | undefined): CallbackData | null {
  if (typeof raw !== 'string' || raw.length > 64) return null;
  const [code, ...args] = raw.split(':');
  const p = code !== undefined && Object.hasOwn(PARSERS, code) ? PARSERS[code]! : null;
  if (!p) return null;
  const [min, max] = typeof p.args === 'number' ? [p.args, p.args] : p.args;
  if (args.length < min || args.length > max) return null;
  return p.parse(args);
}
