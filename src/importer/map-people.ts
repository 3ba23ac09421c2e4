import { USER_ROLES, type UserRole } from '../db/enums.ts';
import { asText, normalizeLegacyPhone, optionalText, requiredText, type NoteReason } from './clean-text.ts';
import type { MasterRow, UserRow } from './import-people.sql.ts';
import { asBoolean, asInteger, type LegacyRow } from './legacy-file.ts';
import { parseLegacyTimestamp } from './legacy-time.ts';
import { deletedAtOf, fingerprintOf, legacyJson } from './legacy-row.ts';

/** Legacy users and masters as rows our schema accepts, with what had to change. */

export type Mapped<T> = { row: T; reasons: string[] } | { skip: string };

/** A legacy timestamp, or the fallback (noted, by its name) when it is missing or unreadable. */
function timestampOr(raw: unknown, field: string, fallback: { text: string; name: string }, note: NoteReason): string {
  const parsed = parseLegacyTimestamp(raw);
  if (parsed) return parsed.text;
  note(`${field}: ${asText(raw)?.trim() ? 'unreadable' : 'missing'}, ${fallback.name} used`);
  return fallback.text;
}

/** A Telegram id (users.telegram_id, masters.telegram_id): a positive integer. */
export function telegramIdOf(raw: unknown): number | null {
  const id = asInteger(raw);
  return id !== null && id > 0 ? id : null;
}

/** The role list as the legacy row spelled it ('admin,Dispatcher' -> ADMIN, DISPATCHER); UNKNOWN means none. */
function legacyRoleTokens(raw: unknown): string[] {
  const tokens = (asText(raw) ?? '')
    .toUpperCase()
    .split(/[,;\s]+/)
    .filter((t) => t && t !== 'UNKNOWN');
  return [...new Set(tokens)].sort();
}

/**
 * The product's roles for legacy role tokens. SENIOR_MASTER, where the
 * product has no such role yet (it arrives with the money issue), is imported
 * as MASTER and noted; the legacy spelling stays in legacy_users.legacy_roles.
 */
function productRoles(tokens: readonly string[], note: NoteReason): UserRole[] {
  const roles = new Set<UserRole>();
  for (const token of tokens) {
    if ((USER_ROLES as readonly string[]).includes(token)) roles.add(token as UserRole);
    else if (token === 'SENIOR_MASTER') {
      roles.add('MASTER');
      note(SENIOR_MASTER_NOTE);
    } else note('role: unknown role ignored');
  }
  return [...roles];
}

const SENIOR_MASTER_NOTE = 'role: SENIOR_MASTER imported as MASTER (the senior master role and its minimum share arrive with the money issue)';

export function mapLegacyUser(raw: LegacyRow, importTime: string): Mapped<UserRow & { roles: UserRole[] }> {
  const mapped = mapUserFields(raw, importTime);
  if ('skip' in mapped) return mapped;
  // A user the legacy bot had deleted keeps no role: a deleted admin must not administer the new system.
  if (mapped.row.deletedAt !== null) {
    if (mapped.row.roles.length) mapped.reasons.push('deleted in the legacy data: imported as deleted, roles not granted');
    mapped.row.roles = [];
  }
  return mapped;
}

function mapUserFields(raw: LegacyRow, importTime: string): Mapped<UserRow & { roles: UserRole[] }> {
  const telegramId = telegramIdOf(raw.telegram_id);
  if (telegramId === null) return { skip: 'telegram_id is not a positive integer' };
  const reasons: string[] = [];
  const note = (r: string) => reasons.push(r);
  const json = legacyJson(raw);
  const tokens = legacyRoleTokens(raw.role);
  const first = optionalText(raw.first_name, 'first_name', 200, note);
  const last = optionalText(raw.last_name, 'last_name', 200, note);
  let username = optionalText(raw.username, 'username', Number.MAX_SAFE_INTEGER, note)?.replace(/^@+/, '') || null;
  if (username !== null && username.length > 64) {
    note('username: longer than 64 characters, dropped');
    username = null;
  }
  let name = [first, last].filter(Boolean).join(' ');
  if (!name) {
    name = username ?? `Telegram ${telegramId}`;
    note(username ? 'name: empty, username used' : 'name: empty, Telegram id used');
  }
  return {
    row: {
      legacyId: asInteger(raw.id),
      telegramId,
      name: requiredText(name, 'name', 200, name, note),
      username,
      createdAt: timestampOr(raw.created_at, 'created_at', { text: importTime, name: 'import time' }, note),
      deletedAt: deletedAtOf(raw, importTime),
      legacyRow: json,
      fingerprint: fingerprintOf(json),
      legacyRoles: tokens,
      roles: productRoles(tokens, note),
    },
    reasons,
  };
}

/** A user for a master whose Telegram id has no users row in the legacy file. */
export function userForMaster(telegramId: number, importTime: string): UserRow {
  return {
    legacyId: null,
    telegramId,
    name: `Мастер ${telegramId}`,
    username: null,
    createdAt: importTime,
    deletedAt: null,
    legacyRow: null,
    fingerprint: null,
    legacyRoles: [],
  };
}

export function mapLegacyMaster(raw: LegacyRow, userId: number, importTime: string): Mapped<MasterRow> {
  const legacyId = asInteger(raw.id);
  if (legacyId === null) return { skip: 'id is not an integer' };
  const reasons: string[] = [];
  const note = (r: string) => reasons.push(r);
  const json = legacyJson(raw);
  const { phone } = normalizeLegacyPhone(raw.phone, 'phone', note);
  let workChatId = asInteger(raw.work_chat_id);
  if (workChatId === null && asText(raw.work_chat_id)?.trim()) {
    note('work_chat_id: not an integer, dropped');
    workChatId = null;
  }
  const flag = (value: unknown, field: string, fallback: boolean) => {
    const b = asBoolean(value);
    if (b === undefined) note(`${field}: not a boolean, default used`);
    return b ?? fallback;
  };
  return {
    row: {
      legacyId,
      userId,
      phone,
      specialization: requiredText(raw.specialization, 'specialization', 200, 'не указана', note),
      workChatId,
      active: flag(raw.is_active, 'is_active', true),
      approved: flag(raw.is_approved, 'is_approved', false),
      createdAt: timestampOr(raw.created_at, 'created_at', { text: importTime, name: 'import time' }, note),
      deletedAt: deletedAtOf(raw, importTime),
      legacyRow: json,
      fingerprint: fingerprintOf(json),
    },
    reasons,
  };
}
