import type { Database } from '../db/database.ts';
import { issueToken } from './tokens.ts';
import { countUsers, grantUserRole, insertServiceUser, lockBootstrap } from './users.sql.ts';

/**
 * On the first start of an empty database, creates an API-only admin and
 * returns its token (to be printed once); afterwards returns null.
 */
export async function bootstrapAdmin(db: Database): Promise<string | null> {
  return db.transaction(async (tx) => {
    await lockBootstrap(tx);
    if ((await countUsers(tx)) > 0) return null;
    const admin = await insertServiceUser(tx, 'Bootstrap admin');
    await grantUserRole(tx, admin.id, 'ADMIN', null);
    const { token } = await issueToken(tx, admin.id, 'bootstrap', null);
    return token;
  });
}
