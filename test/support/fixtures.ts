import { randomInt } from 'node:crypto';
import type { Database } from '../../src/db/database.ts';
import type { UserRole } from '../../src/db/enums.ts';
import { insertMaster, setMasterFlags } from '../../src/masters/masters.sql.ts';
import type { CreateOrderInput } from '../../src/orders/order-fields.ts';
import type { Principal } from '../../src/users/principal.ts';
import { toPrincipal } from '../../src/users/users-service.ts';
import { findUser, replaceUserRoles, upsertUser } from '../../src/users/users.sql.ts';

/** A Telegram id no other fixture in this run will pick. */
export function telegramId(): number {
  return randomInt(1_000_000, 2 ** 47);
}

/** Creates a user with exactly these roles and returns them as a Principal. */
export async function makeUser(db: Database, roles: UserRole[], name = 'Test user'): Promise<Principal> {
  const user = await upsertUser(db, { telegramId: telegramId(), name, username: null, language: 'ru' }, true);
  await replaceUserRoles(db, user.id, roles, null);
  return toPrincipal((await findUser(db, user.id))!);
}

/** A master (approved and active unless told otherwise) and their Principal. */
export async function makeMaster(db: Database, opts: { approved?: boolean; active?: boolean; name?: string } = {}): Promise<Principal & { masterId: number }> {
  const p = await makeUser(db, ['MASTER'], opts.name ?? 'Master');
  const m = await insertMaster(db, { userId: p.userId, phone: '+79990001122', specialization: 'washing machines', workChatId: null }, null);
  if (opts.approved !== false || opts.active === false) {
    await setMasterFlags(db, m.id, { approve: opts.approved !== false, active: opts.active !== false }, null, 'master.approve');
  }
  return { ...p, masterId: m.id };
}

export function orderInput(overrides: Partial<CreateOrderInput> = {}): CreateOrderInput {
  return {
    equipment_type: 'washing_machine',
    description: 'Does not drain',
    client_name: 'Ivan Petrov',
    client_address: 'Moscow, Tverskaya 1, apt 5',
    client_phone: '+79161234567',
    notes: null,
    scheduled_at: null,
    scheduled_until: null,
    scheduled_note: null,
    ...overrides,
  };
}
