import type { Transformer } from 'grammy';

/**
 * API transformer: an inline keyboard never goes out with an empty row
 * (what `.row()` after a last button leaves; Telegram draws it as a gap or
 * refuses it). One place for every message, whoever built the keyboard.
 */
export function dropEmptyKeyboardRows(): Transformer {
  return (prev, method, payload, signal) => {
    const markup = (payload as { reply_markup?: { inline_keyboard?: unknown[][] } }).reply_markup;
    if (markup?.inline_keyboard?.some((row) => row.length === 0)) {
      const cleaned = { ...markup, inline_keyboard: markup.inline_keyboard.filter((row) => row.length > 0) };
      return prev(method, { ...payload, reply_markup: cleaned } as typeof payload, signal);
    }
    return prev(method, payload, signal);
  };
}
