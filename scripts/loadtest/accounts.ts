import type { Database } from '../../src/db/database.ts';
import { registerEnumArrayTypes } from '../../src/db/enum-arrays.ts';
import type { UserRole } from '../../src/db/enums.ts';
import { createDatabase } from '../../src/db/pool.ts';
import { encodeCursor } from '../../src/orders/cursor.ts';
import { createLogger } from '../../src/telemetry/logger.ts';
import { issueToken } from '../../src/users/tokens.ts';
import { findUserByTelegramId, replaceUserRoles, upsertUser } from '../../src/users/users.sql.ts';
import { withClient } from './database.ts';

/**
 * The people a load test acts as: one admin and dispatchers (created like
 * `repair-bot user add`, tokens like `token create`), masters registered
 * and approved through the API by the admin, each with a token of their own.
 * Telegram ids sit above the seed's range so the two never collide.
 */
interface Account {
  token: string;
  telegramId: number;
}
export interface Fixture {
  admin: Account;
  dispatchers: Account[];
  masters: Array<Account & { id: number }>;
  deepCursor?: string;
  telegram?: { secret: string; stubUrl: string };
}

const ADMIN_TG = 9_000_000_001;
const DISPATCHER_TG = 9_000_000_100;
const MASTER_TG = 9_000_001_000;

async function person(db: Database, telegramId: number, name: string, roles: UserRole[]): Promise<Account> {
  const user = await db.transaction(async (tx) => {
    const saved = await upsertUser(tx, { telegramId, name, username: null, language: 'ru' }, true);
    await replaceUserRoles(tx, saved.id, roles, null);
    return saved;
  });
  return { telegramId, token: (await issueToken(db, user.id, 'loadtest', null)).token };
}

interface MasterRow {
  id: number;
  telegram_id: number;
  approved_at?: string | null;
}

async function api<T>(baseUrl: string, token: string, method: string, path: string, body?: unknown): Promise<{ status: number; body: T }> {
  const res = await fetch(`${baseUrl}/api/v1${path}`, {
    method,
    headers: { Authorization: `Bearer ${token}`, ...(body === undefined ? {} : { 'Content-Type': 'application/json' }) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return { status: res.status, body: (await res.json().catch(() => null)) as T };
}

async function findMaster(baseUrl: string, token: string, telegramId: number): Promise<MasterRow | undefined> {
  let cursor = '';
  for (;;) {
    const page = await api<{ items: MasterRow[]; next_cursor: string | null }>(baseUrl, token, 'GET', `/masters?limit=100${cursor}`);
    const hit = page.body.items.find((m) => m.telegram_id === telegramId);
    if (hit || !page.body.next_cursor) return hit;
    cursor = `&cursor=${page.body.next_cursor}`;
  }
}

async function master(db: Database, baseUrl: string, admin: string, i: number): Promise<Account & { id: number }> {
  const telegramId = MASTER_TG + i;
  const created = await api<MasterRow>(baseUrl, admin, 'POST', '/masters', {
    telegram_id: telegramId,
    phone: `+7999${String(1_000_000 + i).slice(-7)}`,
    specialization: 'стиральные машины, водонагреватели',
    name: `Мастер Нагрузочный ${i}`,
  });
  const row = created.status === 201 ? created.body : await findMaster(baseUrl, admin, telegramId);
  if (!row) throw new Error(`could not register master ${telegramId}: ${created.status} ${JSON.stringify(created.body)}`);
  const approved = await api(baseUrl, admin, 'POST', `/masters/${row.id}/approve`);
  if (approved.status !== 200 && approved.status !== 409) throw new Error(`approving master ${row.id}: ${approved.status} ${JSON.stringify(approved.body)}`);
  const user = await findUserByTelegramId(db, telegramId);
  if (!user) throw new Error(`master ${telegramId} has no user`);
  return { id: row.id, telegramId, token: (await issueToken(db, user.id, 'loadtest', null)).token };
}

/** A cursor `fraction` of the way down the CLOSED list (newest first), as the API would hand it out. */
async function deepCursor(url: string, fraction: number): Promise<string | undefined> {
  return withClient(url, async (c) => {
    const count = await c.query<{ n: string }>(`SELECT count(*)::text AS n FROM orders WHERE status = 'CLOSED' AND deleted_at IS NULL`);
    const offset = Math.floor(Number(count.rows[0]?.n ?? 0) * fraction);
    const { rows } = await c.query<{ created_at: string; id: string }>(
      `SELECT to_char(created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') AS created_at, id::text
       FROM orders WHERE status = 'CLOSED' AND deleted_at IS NULL ORDER BY created_at DESC, id DESC OFFSET $1::int8 LIMIT 1`,
      [offset],
    );
    const row = rows[0];
    return row ? encodeCursor({ createdAt: row.created_at, id: Number(row.id) }) : undefined;
  });
}

export async function prepareAccounts(databaseUrl: string, baseUrl: string, counts: { dispatchers: number; masters: number }): Promise<Fixture> {
  const db = createDatabase(databaseUrl, { min: 0, max: 4, statementTimeoutMs: 0, idleTimeoutMs: 1000 }, createLogger('warn', process.stderr));
  try {
    await registerEnumArrayTypes(db);
    const admin = await person(db, ADMIN_TG, 'Нагрузочный Администратор', ['ADMIN']);
    const dispatchers: Account[] = [];
    for (let i = 1; i <= counts.dispatchers; i++) dispatchers.push(await person(db, DISPATCHER_TG + i, `Диспетчер Нагрузочный ${i}`, ['DISPATCHER']));
    const masters = [];
    for (let i = 1; i <= counts.masters; i++) masters.push(await master(db, baseUrl, admin.token, i));
    return { admin, dispatchers, masters, deepCursor: await deepCursor(databaseUrl, 0.5) };
  } finally {
    await db.close();
  }
}
