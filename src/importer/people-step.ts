import type { UserRole } from '../db/enums.ts';
import { listImportedIds, listPlaceholderMasters, listUsersByTelegramId } from './import-lookups.sql.ts';
import { grantRoles, insertMasters, insertPlaceholderMasters, insertUsers, type MasterRow, type UserRow } from './import-people.sql.ts';
import { auditAdjustments, BATCH, type ImportState } from './import-state.ts';
import { asInteger, type LegacyRow } from './legacy-file.ts';
import { changedColumns } from './legacy-row.ts';
import { NO_MASTER_LEGACY_ID } from './placeholders.ts';
import { mapLegacyMaster, mapLegacyUser, telegramIdOf, userForMaster } from './map-people.ts';
import { listImportedMasters, listImportedUsers, updateMasters, updateUser, type MasterUpdate } from './sync-people.sql.ts';

type PendingUser = UserRow & { roles: UserRole[]; reasons: string[]; legacy: LegacyRow | null };

/**
 * Legacy users, plus a user for each master whose Telegram id has none.
 * A user an earlier import of this source brought is compared with its
 * legacy row then: unchanged, updated, or (changed here too) a conflict.
 * Returns the Telegram ids the legacy users table has.
 */
async function importUsers(state: ImportState, masters: LegacyRow[]): Promise<Set<number>> {
  const { report, source } = state;
  const legacyUsers = [...state.legacy.rows('users')];
  report.read('users', legacyUsers.length);
  const done = await listImportedUsers(
    state.db,
    source,
    legacyUsers.map((u) => asInteger(u.id)).filter((id) => id !== null),
  );
  const pending: PendingUser[] = [];
  const seen = new Set<number>();
  for (const raw of legacyUsers) {
    const legacyId = asInteger(raw.id);
    const mapped = mapLegacyUser(raw, state.importTime);
    const before = legacyId === null ? undefined : done.get(legacyId);
    if (before) {
      seen.add(telegramIdOf(raw.telegram_id) ?? 0);
      if ('skip' in mapped || before.fingerprint === mapped.row.fingerprint) report.already('users');
      else if (!before.unchanged_since) report.conflict('users', legacyId!);
      else {
        const wanted = new Set(mapped.row.roles);
        const previous = new Set(rolesOf(before.legacy_roles, raw, state.importTime));
        await updateUser(state.db, source, {
          legacyId: legacyId!,
          userId: before.user_id,
          name: mapped.row.name,
          username: mapped.row.username,
          deletedAt: mapped.row.deletedAt,
          legacyRow: mapped.row.legacyRow,
          fingerprint: mapped.row.fingerprint!,
          legacyRoles: mapped.row.legacyRoles,
          grant: [...wanted].filter((r) => !previous.has(r)),
          // A user deleted in the legacy file loses every role the legacy side gave.
          revoke: [...previous].filter((r) => !wanted.has(r)),
        });
        report.updated(
          'users',
          legacyId!,
          changedColumns(before.legacy_row as Record<string, unknown> | null, mapped.row.legacyRow as Record<string, unknown>),
          mapped.reasons,
        );
      }
      continue;
    }
    if ('skip' in mapped) report.skip('users', legacyId, mapped.skip);
    else if (seen.has(mapped.row.telegramId)) report.skip('users', legacyId, 'telegram_id repeats an earlier user');
    else {
      seen.add(mapped.row.telegramId);
      pending.push({ ...mapped.row, reasons: mapped.reasons, legacy: raw });
    }
  }
  for (const raw of masters) {
    const telegramId = telegramIdOf(raw.telegram_id);
    if (telegramId === null || seen.has(telegramId)) continue;
    seen.add(telegramId);
    pending.push({ ...userForMaster(telegramId, state.importTime), roles: [], reasons: [], legacy: null });
  }
  for (let i = 0; i < pending.length; i += BATCH) {
    const batch = pending.slice(i, i + BATCH);
    const saved = new Map((await insertUsers(state.db, source, batch)).map((r) => [r.telegram_id, r]));
    const grants: Array<{ userId: number; role: UserRole }> = [];
    const adjusted: Parameters<typeof auditAdjustments>[2] = [];
    for (const u of batch) {
      const row = saved.get(u.telegramId)!;
      state.userIdByTelegram.set(u.telegramId, row.user_id);
      if (u.legacy === null) {
        if (row.inserted) state.report.summary.created.users_for_masters++;
        continue;
      }
      if (!row.inserted) u.reasons.push('telegram_id already in the database: linked to that user, legacy roles added');
      grants.push(...u.roles.map((role) => ({ userId: row.user_id, role })));
      report.imported('users', u.legacyId, u.reasons, u.deletedAt !== null && row.inserted);
      adjusted.push({ entityId: row.user_id, legacyId: u.legacyId, reasons: u.reasons, legacy: u.legacy });
    }
    await grantRoles(state.db, grants);
    await auditAdjustments(state, 'user', adjusted);
  }
  return new Set(legacyUsers.map((u) => telegramIdOf(u.telegram_id)).filter((id) => id !== null));
}

/** The product roles an earlier snapshot's role list gave (a deleted user's none). */
function rolesOf(legacyRoles: string[], raw: LegacyRow, importTime: string): UserRole[] {
  const mapped = mapLegacyUser({ ...raw, role: legacyRoles.join(','), deleted_at: null }, importTime);
  return 'skip' in mapped ? [] : mapped.row.roles;
}

async function importMasters(state: ImportState, masters: LegacyRow[], legacyUserTelegramIds: Set<number>): Promise<void> {
  const { report, source } = state;
  report.read('masters', masters.length);
  const done = await listImportedMasters(
    state.db,
    source,
    masters.map((m) => asInteger(m.id)).filter((id) => id !== null),
  );
  const pending: Array<{ row: MasterRow; reasons: string[]; legacy: LegacyRow }> = [];
  const updates: MasterUpdate[] = [];
  const seenUsers = new Set<number>();
  for (const raw of masters) {
    const legacyId = asInteger(raw.id);
    const telegramId = telegramIdOf(raw.telegram_id);
    const userId = telegramId === null ? undefined : state.userIdByTelegram.get(telegramId);
    const before = legacyId === null ? undefined : done.get(legacyId);
    if (before) {
      const mapped = userId === undefined ? null : mapLegacyMaster(raw, userId, state.importTime);
      if (!mapped || 'skip' in mapped || before.fingerprint === mapped.row.fingerprint) report.already('masters');
      else if (!before.unchanged_since) report.conflict('masters', legacyId!);
      else {
        updates.push({ ...mapped.row, masterId: before.master_id });
        report.updated(
          'masters',
          legacyId!,
          changedColumns(before.legacy_row as Record<string, unknown> | null, mapped.row.legacyRow as Record<string, unknown>),
          mapped.reasons,
        );
      }
      continue;
    }
    if (userId === undefined) {
      report.skip('masters', legacyId, 'telegram_id is not a positive integer');
      continue;
    }
    const mapped = mapLegacyMaster(raw, userId, state.importTime);
    if ('skip' in mapped) report.skip('masters', legacyId, mapped.skip);
    else if (seenUsers.has(userId)) report.skip('masters', legacyId, 'telegram_id repeats an earlier master');
    else {
      seenUsers.add(userId);
      const reasons = [...mapped.reasons];
      if (!legacyUserTelegramIds.has(telegramId!)) reasons.push('no users row for this Telegram id: user created');
      pending.push({ row: mapped.row, reasons, legacy: raw });
    }
  }
  await updateMasters(state.db, source, updates);
  for (let i = 0; i < pending.length; i += BATCH) {
    const batch = pending.slice(i, i + BATCH);
    const saved = new Map(
      (
        await insertMasters(
          state.db,
          source,
          batch.map((m) => m.row),
        )
      ).map((r) => [r.legacy_id, r]),
    );
    for (const m of batch) {
      const row = saved.get(m.row.legacyId)!;
      if (!row.inserted) m.reasons.push('user already a master: linked to that master');
      report.imported('masters', m.row.legacyId, m.reasons, m.row.deletedAt !== null && row.inserted);
    }
    // A master the legacy bot had deleted gets no role from this import.
    await grantRoles(
      state.db,
      batch.filter((m) => m.row.deletedAt === null).map((m) => ({ userId: m.row.userId, role: 'MASTER' as const })),
    );
    await auditAdjustments(
      state,
      'master',
      batch.map((m) => ({ entityId: saved.get(m.row.legacyId)!.master_id, legacyId: m.row.legacyId, reasons: m.reasons, legacy: m.legacy })),
    );
  }
}

/**
 * Placeholder masters: for masters closed orders still point at though the
 * legacy file deleted them, and one per source for closed orders that name
 * no master at all, so such an order keeps its money and stays closed.
 */
async function importPlaceholderMasters(state: ImportState): Promise<void> {
  const { source } = state;
  for (const [legacyId, masterId] of await listPlaceholderMasters(state.db, source)) {
    state.placeholderMasters.add(legacyId);
    state.masterIdByLegacy.set(legacyId, masterId);
  }
  const referenced = state.legacy
    .closedOrderMasterIds()
    .map(asInteger)
    .filter((id): id is number => id !== null && id >= 0);
  const known = await listImportedIds(state.db, source, 'master', referenced);
  for (const [legacyId, masterId] of known) state.masterIdByLegacy.set(legacyId, masterId);
  const missing = referenced.filter((id) => !known.has(id));
  const created = await insertPlaceholderMasters(
    state.db,
    source,
    missing.map((legacyId) => ({
      legacyId,
      name: legacyId === NO_MASTER_LEGACY_ID ? `Мастер не указан (старая система, ${source})` : `Мастер №${legacyId} (удалён в старой системе, ${source})`,
    })),
  );
  for (const row of created) {
    state.masterIdByLegacy.set(row.legacy_id, row.master_id);
    state.placeholderMasters.add(row.legacy_id);
  }
  state.report.summary.created.placeholder_masters += created.filter((r) => r.legacy_id !== NO_MASTER_LEGACY_ID).length;
}

/** Users, roles and masters; afterwards every Telegram id and master id the orders mention resolves. */
export async function importPeople(state: ImportState): Promise<void> {
  const masters = [...state.legacy.rows('masters')];
  const legacyUserTelegramIds = await importUsers(state, masters);
  const referenced = [...state.legacy.referencedTelegramIds(), ...masters.map((m) => m.telegram_id)].map(telegramIdOf).filter((id) => id !== null);
  for (const [telegramId, userId] of await listUsersByTelegramId(state.db, referenced)) state.userIdByTelegram.set(telegramId, userId);
  await importMasters(state, masters, legacyUserTelegramIds);
  const masterIds = masters.map((m) => asInteger(m.id)).filter((id) => id !== null);
  for (const [legacyId, masterId] of await listImportedIds(state.db, state.source, 'master', masterIds)) state.masterIdByLegacy.set(legacyId, masterId);
  await importPlaceholderMasters(state);
}
