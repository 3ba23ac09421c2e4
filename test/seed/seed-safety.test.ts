import postgres from 'postgres';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDatabase } from '../../src/db/pool.ts';
import { DEFAULT_COMMISSION } from '../../src/orders/money.ts';
import { dropLoadDdl, listLoadDdl } from '../../src/seed/schema-ops.sql.ts';
import { recordSeedStart } from '../../src/seed/seed-log.sql.ts';
import { repairInterruptedSeed, SEED_DEFAULTS, seedDatabase, SeedRefusedError, type SeedOptions } from '../../src/seed/seed.ts';
import { cloneTemplate } from '../support/db.ts';
import { schemaSnapshot, type SchemaSnapshot } from './snapshot.ts';

/** A fresh migrated database per test, with a pool on it. */
async function fresh() {
  const clone = await cloneTemplate();
  const db = createDatabase(clone.url, { min: 0, max: 6, statementTimeoutMs: 30_000, idleTimeoutMs: 10_000 }, { error: () => {} });
  const sql = postgres(clone.url, { max: 1, onnotice: () => {} });
  return { ...clone, db, sql, close: async () => (await sql.end(), await db.close(), await clone.drop()) };
}

const options = (orders: number, seed = 7): SeedOptions => ({ ...SEED_DEFAULTS, orders, seed, commission: DEFAULT_COMMISSION });
let migrated: SchemaSnapshot;
const opened: Array<{ close(): Promise<void> }> = [];

beforeAll(async () => {
  const f = await fresh();
  opened.push(f);
  migrated = await schemaSnapshot(f.url);
});

afterAll(async () => {
  for (const f of opened) await f.close();
});

describe('seed leaves the schema as the migrations made it', () => {
  it('rebuilds every index and key it dropped, validated, and leaves the tables vacuumed and analyzed', async () => {
    // Setup
    const f = await fresh();
    opened.push(f);
    // Action
    await seedDatabase(f.db, options(3000));
    // Assertions
    expect(await schemaSnapshot(f.url)).toEqual(migrated);
    expect(migrated.indexes.filter((i) => i.table === 'orders').length).toBeGreaterThan(5);
    const stats = await f.sql`
      SELECT relname::text, last_analyze IS NOT NULL AS analyzed, last_vacuum IS NOT NULL AS vacuumed
      FROM pg_stat_user_tables WHERE relname IN ('orders', 'order_status_history', 'audit_log') ORDER BY 1`;
    expect(stats.every((s) => s.analyzed && s.vacuumed)).toBe(true);
  });
});

describe('seed on a database that has orders, or seeded twice', () => {
  it('refuses and changes nothing', async () => {
    // Setup
    const f = await fresh();
    opened.push(f);
    await seedDatabase(f.db, options(1000));
    const before =
      await f.sql`SELECT (SELECT count(*) FROM orders)::int AS o, (SELECT count(*) FROM users)::int AS u, (SELECT count(*) FROM audit_log)::int AS a`;
    // Action
    const again = seedDatabase(f.db, options(1000));
    // Assertions
    await expect(again).rejects.toBeInstanceOf(SeedRefusedError);
    await expect(again).rejects.toThrow(/already has 1000 orders/);
    expect(
      await f.sql`SELECT (SELECT count(*) FROM orders)::int AS o, (SELECT count(*) FROM users)::int AS u, (SELECT count(*) FROM audit_log)::int AS a`,
    ).toEqual(before);
    expect(await schemaSnapshot(f.url)).toEqual(migrated);
  });

  it('keeps users already there and adds its staff beside them', async () => {
    const f = await fresh();
    opened.push(f);
    await f.sql`INSERT INTO users (telegram_id, name) VALUES (9000000000001, 'Existing')`;
    await seedDatabase(f.db, options(500));
    const [u] = await f.sql`SELECT count(*)::int AS n, count(*) FILTER (WHERE name = 'Existing')::int AS kept FROM users`;
    expect(u).toEqual({ n: 1 + SEED_DEFAULTS.admins + SEED_DEFAULTS.dispatchers + SEED_DEFAULTS.masters, kept: 1 });
  });
});

describe('the same --seed gives the same data', () => {
  it('writes the same clients, equipment and money for the same ordinals', async () => {
    const [a, b] = [await fresh(), await fresh()];
    opened.push(a, b);
    await Promise.all([seedDatabase(a.db, options(2000, 11)), seedDatabase(b.db, options(2000, 11))]);
    // Orders older than a week are settled in both runs whatever the clock did between them.
    const rows = (s: postgres.Sql) => s`
      SELECT id - min(id) OVER () AS ordinal, client_name, client_address, client_phone, equipment_type, description, status::text, total_amount::text
      FROM orders WHERE created_at < now() - interval '7 days' ORDER BY id`;
    const [ra, rb] = [await rows(a.sql), await rows(b.sql)];
    expect(ra.length).toBeGreaterThan(1900);
    expect(ra).toEqual(rb);
  });
});

describe('an interrupted seed', () => {
  it('rolls the load back and restores indexes and keys when cancelled', async () => {
    // Setup
    const f = await fresh();
    opened.push(f);
    const abort = new AbortController();
    // Action
    const seeding = seedDatabase(f.db, options(300_000), { signal: abort.signal, onStep: () => {} });
    setTimeout(() => abort.abort(), 400);
    // Assertions
    await expect(seeding).rejects.toThrow();
    expect((await f.sql`SELECT count(*)::int AS n FROM orders`)[0]).toEqual({ n: 0 });
    expect(await schemaSnapshot(f.url)).toEqual(migrated);
    const log = await f.sql`SELECT action, details ? 'failed' AS failed FROM audit_log WHERE entity_type = 'seed' ORDER BY id`;
    expect(log).toEqual([
      { action: 'seed.start', failed: false },
      { action: 'seed.finish', failed: true },
    ]);
  });

  it('rolls back and restores indexes and keys when a loader fails, and reports that failure', async () => {
    const f = await fresh();
    opened.push(f);
    // Action: a time zone PostgreSQL does not know fails both loaders' statements.
    const seeding = seedDatabase(f.db, { ...options(1000), timeZone: 'Mars/Olympus_Mons' });
    // Assertions
    await expect(seeding).rejects.toThrow(/time zone "Mars\/Olympus_Mons" not recognized/);
    expect((await f.sql`SELECT (SELECT count(*) FROM orders)::int AS orders, (SELECT count(*) FROM masters)::int AS masters`)[0]).toEqual({
      orders: 0,
      masters: 0,
    });
    expect(await schemaSnapshot(f.url)).toEqual(migrated);
  });

  it('is repaired from its seed.start record when the process died mid-way', async () => {
    // Setup: what a seed killed after dropping the indexes and keys leaves behind.
    const f = await fresh();
    opened.push(f);
    const restore = await listLoadDdl(f.db);
    await f.db.transaction(async (tx) => {
      await dropLoadDdl(f.db, restore);
      await recordSeedStart(tx, { orders: 10, seed: 1, base_id: 0, restore });
    });
    // Killed between building a primary key's index and attaching it.
    await f.db.withClient((_q, raw) => raw.query(restore.find((d) => d.name === 'audit_log_pkey')!.create));
    expect(await schemaSnapshot(f.url)).not.toEqual(migrated);
    // Action
    const repaired = await repairInterruptedSeed(f.db);
    // Assertions
    expect(repaired?.repaired).toHaveLength(restore.length);
    expect(await schemaSnapshot(f.url)).toEqual(migrated);
    expect(await repairInterruptedSeed(f.db)).toBeNull();
  });
});
