import type { UserRole } from '../db/enums.ts';
import { listImportedIds, listPlaceholderMasters, listUsersByTelegramId } from './import-lookups.sql.ts';
import { grantRoles, insertMasters, insertPlaceholderMasters, insertUsers, type MasterRow, type UserRow } from './import-people.sql.ts';
import { auditAdjustments, BATCH, type ImportState } from './import-state.ts';
import { asInteger, type LegacyRow } from './legacy-file.ts';
import { mapLegacyMaster, mapLegacyUser, telegramIdOf, userForMaster } from './map-people.ts';

type PendingUser = UserRow & { roles: UserRole[]; reasons: string[]; legacy: LegacyRow | null };

/**
 * Legacy users, plus a user for each master whose Telegram id has none.
 * Returns the Telegram ids the legacy users table has.
 */
async function importUsers(state: ImportState, masters: LegacyRow[]): Promise<Set<number>> {
  const { report } = state;
  const legacyUsers = [...state.legacy.rows('users')];
  report.read('users', legacyUsers.length);
  const done = await listImportedIds(
    state.db,
    'user',
    legacyUsers.map((u) => asInteger(u.id)).filter((id) => id !== null),
  );
  const pending: PendingUser[] = [];
  const seen = new Set<number>();
  for (const raw of legacyUsers) {
    const legacyId = asInteger(raw.id);
    if (legacyId !== null && done.has(legacyId)) {
      report.already('users');
      seen.add(telegramIdOf(raw.telegram_id) ?? 0);
      continue;
    }
    const mapped = mapLegacyUser(raw, state.importTime);
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
    const saved = new Map((await insertUsers(state.db, batch)).map((r) => [r.telegram_id, r]));
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
      report.imported('users', u.legacyId, u.reasons);
      adjusted.push({ entityId: row.user_id, legacyId: u.legacyId, reasons: u.reasons, legacy: u.legacy });
    }
    await grantRoles(state.db, grants);
    await auditAdjustments(state, 'user', adjusted);
  }
  return new Set(legacyUsers.map((u) => telegramIdOf(u.telegram_id)).filter((id) => id !== null));
}

async function importMasters(state: ImportState, masters: LegacyRow[], legacyUserTelegramIds: Set<number>): Promise<void> {
  const { report } = state;
  report.read('masters', masters.length);
  const done = await listImportedIds(
    state.db,
    'master',
    masters.map((m) => asInteger(m.id)).filter((id) => id !== null),
  );
  const pending: Array<{ row: MasterRow; reasons: string[]; legacy: LegacyRow }> = [];
  const seenUsers = new Set<number>();
  for (const raw of masters) {
    const legacyId = asInteger(raw.id);
    if (legacyId !== null && done.has(legacyId)) {
      report.already('masters');
      continue;
    }
    const telegramId = telegramIdOf(raw.telegram_id);
    const userId = telegramId === null ? undefined : state.userIdByTelegram.get(telegramId);
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
  for (let i = 0; i < pending.length; i += BATCH) {
    const batch = pending.slice(i, i + BATCH);
    const saved = new Map(
      (
        await insertMasters(
          state.db,
          batch.map((m) => m.row),
        )
      ).map((r) => [r.legacy_id, r]),
    );
    for (const m of batch) {
      const row = saved.get(m.row.legacyId)!;
      if (!row.inserted) m.reasons.push('user already a master: linked to that master');
      report.imported('masters', m.row.legacyId, m.reasons);
    }
    await grantRoles(
      state.db,
      batch.map((m) => ({ userId: m.row.userId, role: 'MASTER' as const })),
    );
    await auditAdjustments(
      state,
      'master',
      batch.map((m) => ({ entityId: saved.get(m.row.legacyId)!.master_id, legacyId: m.row.legacyId, reasons: m.reasons, legacy: m.legacy })),
    );
  }
}

/** Masters closed orders still point at though the legacy file deleted them. */
async function importPlaceholderMasters(state: ImportState): Promise<void> {
  for (const [legacyId, masterId] of await listPlaceholderMasters(state.db)) {
    state.placeholderMasters.add(legacyId);
    state.masterIdByLegacy.set(legacyId, masterId);
  }
  const referenced = state.legacy
    .closedOrderMasterIds()
    .map(asInteger)
    .filter((id): id is number => id !== null && id > 0);
  const known = await listImportedIds(state.db, 'master', referenced);
  for (const [legacyId, masterId] of known) state.masterIdByLegacy.set(legacyId, masterId);
  const missing = referenced.filter((id) => !known.has(id));
  const created = await insertPlaceholderMasters(
    state.db,
    missing.map((legacyId) => ({ legacyId, name: `Мастер №${legacyId} (удалён в старой системе)` })),
  );
  for (const row of created) {
    state.masterIdByLegacy.set(row.legacy_id, row.master_id);
    state.placeholderMasters.add(row.legacy_id);
  }
  state.report.summary.created.placeholder_masters += created.length;
}

/** Users, roles and masters; afterwards every Telegram id and master id the orders mention resolves. */
export async function importPeople(state: ImportState): Promise<void> {
  const masters = [...state.legacy.rows('masters')];
  const legacyUserTelegramIds = await importUsers(state, masters);
  const referenced = [...state.legacy.referencedTelegramIds(), ...masters.map((m) => m.telegram_id)].map(telegramIdOf).filter((id) => id !== null);
  for (const [telegramId, userId] of await listUsersByTelegramId(state.db, referenced)) state.userIdByTelegram.set(telegramId, userId);
  await importMasters(state, masters, legacyUserTelegramIds);
  const masterIds = masters.map((m) => asInteger(m.id)).filter((id) => id !== null);
  for (const [legacyId, masterId] of await listImportedIds(state.db, 'master', masterIds)) state.masterIdByLegacy.set(legacyId, masterId);
  await importPlaceholderMasters(state);
}
