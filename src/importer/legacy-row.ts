import { hash } from 'node:crypto';
import { asText, jsonSafe } from './clean-text.ts';
import type { LegacyRow } from './legacy-file.ts';
import { parseLegacyTimestamp } from './legacy-time.ts';

/**
 * A legacy row kept whole (legacy_users/masters/orders.legacy_row): every
 * column, those this importer does not read included, and its fingerprint,
 * by which a later snapshot's changes are found.
 */

/** A legacy row as JSON: every column, integers past 2^53 as text, text cleaned for jsonb. */
export function legacyJson(raw: LegacyRow): Record<string, unknown> {
  return jsonSafe(raw) as Record<string, unknown>;
}

/** The fingerprint of a legacy row as read: equal rows, equal fingerprints. */
export function fingerprintOf(json: Record<string, unknown>): string {
  return fingerprintOfText(JSON.stringify(json));
}

/** The same from the row's JSON text (legacyText), stringified once for both. */
export function fingerprintOfText(text: string): string {
  // The one-shot form: createHash's object per row cost more than the digest itself.
  return hash('md5', text, 'hex');
}

/** A legacy row as JSON text (legacyJson's). */
export function legacyText(raw: LegacyRow): string {
  return JSON.stringify(legacyJson(raw));
}

/** Legacy columns whose values differ between two reads of a row. */
export function changedColumns(before: Record<string, unknown> | null, after: Record<string, unknown>): string[] {
  if (!before) return Object.keys(after);
  const keys = new Set([...Object.keys(before), ...Object.keys(after)]);
  return [...keys].filter((k) => JSON.stringify(before[k] ?? null) !== JSON.stringify(after[k] ?? null)).sort();
}

/** A legacy soft delete (the deleted_at column of later versions) as an instant; an unreadable one is the import's time. */
export function deletedAtOf(raw: LegacyRow, importTime: string): string | null {
  if (!asText(raw.deleted_at)?.trim()) return null;
  return parseLegacyTimestamp(raw.deleted_at)?.text ?? importTime;
}
