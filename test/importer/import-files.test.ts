import { spawn } from 'node:child_process';
import { chmodSync, copyFileSync, existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { describe, expect, it } from 'vitest';
import type { ImportSummary } from '../../src/importer/report.ts';
import { useTestDatabase } from '../support/db.ts';
import { order, writeLegacyFile } from './legacy-fixture.ts';
import { importData, rows, snapshot } from './support.ts';

/** Files as operators find them: WAL mode with recent rows only in the -wal sidecar, in a directory not theirs. */
const t = useTestDatabase();
const ROOT = path.resolve(import.meta.dirname, '../..');
// The Docker image runs as a non-root user; root would open anything, so the CLI runs as nobody here.
const NOBODY = process.getuid?.() === 0 ? { uid: 65534, gid: 65534 } : {};

function cliAsNobody(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(path.join(ROOT, 'node_modules/.bin/node'), ['src/cli/main.ts', ...args], {
      cwd: ROOT,
      env: { ...process.env, DATABASE_URL: t.url, LOG_LEVEL: 'warn', HOME: tmpdir() },
      ...NOBODY,
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.on('close', (code) => resolve({ code: code ?? -1, stdout, stderr }));
  });
}

/** A WAL-mode legacy file whose last two orders live only in the -wal sidecar, copied into a read-only directory. */
function walFileInReadOnlyDir(): string {
  const original = writeLegacyFile({ orders: [order(1), order(2)] });
  const db = new DatabaseSync(original, { enableForeignKeyConstraints: false });
  db.exec('PRAGMA journal_mode = WAL; PRAGMA wal_autocheckpoint = 0;');
  const insert = db.prepare(
    `INSERT INTO orders (id, equipment_type, description, client_name, client_address, client_phone, status, created_at, updated_at)
     VALUES (?, 'Стиральные машины', 'Только в WAL', 'Клиент', 'Адрес', '+79160000000', 'NEW', '2025-01-01 09:00:00', '2025-01-01 09:00:00')`,
  );
  insert.run(3);
  insert.run(4);
  const dir = mkdtempSync(path.join(tmpdir(), 'legacy-wal-'));
  // Copied while the bot still has it open: nothing was checkpointed into the main file.
  copyFileSync(original, path.join(dir, 'msk.db'));
  copyFileSync(`${original}-wal`, path.join(dir, 'msk.db-wal'));
  db.close();
  chmodSync(path.join(dir, 'msk.db'), 0o444);
  chmodSync(path.join(dir, 'msk.db-wal'), 0o444);
  chmodSync(dir, 0o555);
  return path.join(dir, 'msk.db');
}

describe('import-sqlite: files as found', () => {
  it('reads a WAL-mode file with its -wal sidecar from a read-only directory, as a non-root user, and leaves it alone', { timeout: 120_000 }, async () => {
    // Setup
    const file = walFileInReadOnlyDir();
    // Action
    const result = await cliAsNobody(['import-sqlite', file, '--json']);
    // Assertions
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    const summary = JSON.parse(result.stdout) as ImportSummary;
    expect(summary).toMatchObject({ source: 'msk', committed: true });
    expect(summary.tables.orders).toMatchObject({ read: 4, imported: 4 });
    const imported = await rows<{ legacy_id: number }>(t.db, `SELECT legacy_id FROM legacy_orders WHERE source = 'msk' ORDER BY legacy_id`);
    expect(imported.map((r) => r.legacy_id)).toEqual([1, 2, 3, 4]);
    expect(existsSync(`${file}-shm`)).toBe(false);
  });

  it('a dry run changes nothing at all, sequences included', async () => {
    // Setup
    const sequences = () =>
      rows(
        t.db,
        `SELECT sequencename, last_value FROM pg_sequences WHERE sequencename IN ('users_id_seq', 'masters_id_seq', 'orders_id_seq', 'order_status_history_id_seq', 'audit_log_id_seq') ORDER BY 1`,
      );
    const before = await snapshot(t.db);
    const seqBefore = await sequences();
    // Action
    const dry = await importData(
      t.db,
      {
        users: [{ id: 1, telegram_id: 8001, first_name: 'Сухой', role: 'ADMIN', created_at: '2025-01-01 09:00:00' }],
        orders: [order(1, { status: 'CLOSED', total_amount: 100 }), order(2)],
        order_status_history: [{ id: 1, order_id: 2, old_status: null, new_status: 'NEW', changed_at: '2025-01-01 09:00:00' }],
        audit_log: [{ id: 1, user_id: 8001, action: 'x', details: 'y', timestamp: '2025-01-01 09:00:00' }],
      },
      { dryRun: true, source: 'dry' },
    );
    // Assertions
    expect(dry.tables.orders.imported).toBe(2);
    expect(await snapshot(t.db)).toEqual(before);
    expect(await sequences()).toEqual(seqBefore);
  });
});

describe('import-sqlite: a large import on a live database', () => {
  const schemaOf = () =>
    rows(
      t.db,
      `SELECT indexdef AS def FROM pg_indexes WHERE schemaname = 'public'
       UNION ALL SELECT conrelid::regclass::text || ' ' || conname || ' ' || pg_get_constraintdef(oid) || ' ' || convalidated FROM pg_constraint
       UNION ALL SELECT 'rollup ' || day || ' ' || status || ' ' || equipment_type || ' ' || sum(orders) FROM report_created_daily GROUP BY day, status, equipment_type
       ORDER BY 1`,
    );

  it('leaves every index and key in place and keeps the report rollups current while it loads', async () => {
    // Setup: the schema as the migrations define it, and an earlier import's rollup.
    await importData(t.db, { orders: [order(1, { created_at: '2025-02-01 09:00:00' })] }, { source: 'small' });
    const before = (await schemaOf()).filter((r) => !String(r.def).startsWith('rollup'));
    // Action: a larger import (the database is live: nothing is dropped or deferred).
    const summary = await importData(
      t.db,
      { orders: Array.from({ length: 30 }, (_, i) => order(i + 1, { created_at: '2025-02-01 10:00:00' })) },
      { source: 'large' },
    );
    // Assertions
    expect(summary.tables.orders.imported).toBe(30);
    const after = await schemaOf();
    expect(after.filter((r) => !String(r.def).startsWith('rollup'))).toEqual(before);
    expect(after.filter((r) => String(r.def).startsWith('rollup'))).toContainEqual({ def: 'rollup 2025-02-01 NEW washing_machine 31' });
  });
});
