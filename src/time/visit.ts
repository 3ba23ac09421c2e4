import type { ParsedTime } from './parse-time.ts';

/** An order's visit fields for a parsed time; null when it was not read (the caller keeps the text as a note). */
export function visitFields(p: ParsedTime): { scheduled_at: string; scheduled_until: string | null; scheduled_note: null } | null {
  if (p.kind === 'unreadable') return null;
  return p.kind === 'at'
    ? { scheduled_at: p.at, scheduled_until: null, scheduled_note: null }
    : { scheduled_at: p.from, scheduled_until: p.to, scheduled_note: null };
}
