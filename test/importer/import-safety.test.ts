import { readFileSync, writeFileSync } from 'node:fs';
import { DatabaseSync } from 'node:sqlite';
import { afterEach, describe, expect, it } from 'vitest';
import { LegacyFile, LegacyFileError } from '../../src/importer/legacy-file.ts';
import { useTestDatabase } from '../support/db.ts';
import { order, tempPath, writeLegacyFile } from './legacy-fixture.ts';
import { QUIRKS } from './quirks-data.ts';
import { importData, refuseAuditRow, snapshot } from './support.ts';

/** All or nothing: a dry run, a bad file and a failure halfway leave the database as it was. */
const t = useTestDatabase();

afterEach(async () => {
  await t.db.pool.query('DROP TRIGGER IF EXISTS fail_import ON audit_log');
});

describe('import-sqlite: dry run and failures', () => {
  it('a dry run reports what it would do and leaves the database unchanged', async () => {
    // Setup
    const before = await snapshot(t.db);
    // Action
    const summary = await importData(t.db, QUIRKS, { dryRun: true });
    // Assertions
    expect(summary).toMatchObject({ dry_run: true, committed: false });
    expect(summary.tables.orders).toMatchObject({ read: 18, imported: 18, adjusted: 13 });
    expect(summary.created.placeholder_masters).toBe(1);
    expect(await snapshot(t.db)).toEqual(before);
  });

  it('refuses a missing file, a directory, a text file and a SQLite file without the legacy tables', () => {
    const text = tempPath('notes.db');
    writeFileSync(text, 'this is not a database\n'.repeat(100));
    const other = tempPath('other.db');
    const db = new DatabaseSync(other);
    db.exec('CREATE TABLE users (id INTEGER PRIMARY KEY, name TEXT); CREATE TABLE orders (id INTEGER PRIMARY KEY)');
    db.close();
    const cases: Array<[string, RegExp]> = [
      ['/nonexistent/bot.db', /\/nonexistent\/bot\.db: no such file/],
      [tempPath('x').replace(/x$/, ''), /: not a file/],
      [text, /notes\.db: not a readable SQLite database \(file is not a database\)/],
      [
        other,
        /other\.db: not the legacy bot's database: users lacks telegram_id, username, first_name, last_name, role, created_at; table masters is missing; orders lacks equipment_type/,
      ],
    ];
    for (const [file, message] of cases) {
      expect(() => LegacyFile.open(file), file).toThrow(LegacyFileError);
      expect(() => LegacyFile.open(file), file).toThrow(message);
    }
  });

  it('refuses a damaged or truncated SQLite file before reading any row', () => {
    // Setup: a real legacy file with pages in the middle overwritten, and one cut in half.
    const damaged = writeLegacyFile({ orders: Array.from({ length: 2000 }, (_, i) => order(i + 1, { description: 'x'.repeat(200) })) });
    const bytes = readFileSync(damaged);
    const truncated = tempPath('truncated.db');
    writeFileSync(truncated, bytes.subarray(0, bytes.length / 2));
    bytes.fill(0xa5, 8192, 8192 + 4096 * 4);
    writeFileSync(damaged, bytes);
    // Action / Assertions
    for (const file of [damaged, truncated]) {
      expect(() => LegacyFile.open(file)).toThrow(/: not a readable SQLite database \(database disk image is malformed\)$/);
    }
  });

  it('a failure halfway rolls back everything already written', async () => {
    // Setup: the database refuses the last audit row, after users, masters, orders and history went in.
    await refuseAuditRow(t.db);
    const before = await snapshot(t.db);
    // Action
    const attempt = importData(t.db, QUIRKS);
    // Assertions
    await expect(attempt).rejects.toThrow(/refused by test/);
    expect(await snapshot(t.db)).toEqual(before);
  });

  it('refuses to run while another import holds the lock, and writes nothing', async () => {
    // Setup: another session holds the import lock.
    const other = await t.db.pool.connect();
    try {
      await other.query('BEGIN');
      await other.query(`SELECT pg_advisory_xact_lock(hashtextextended('repair-bot.import-sqlite', 0))`);
      const before = await snapshot(t.db);
      // Action
      const attempt = importData(t.db, { orders: [order(1000)] });
      // Assertions
      await expect(attempt).rejects.toThrow('another import-sqlite is running on this database; run this one again when it has finished');
      expect(await snapshot(t.db)).toEqual(before);
    } finally {
      await other.query('ROLLBACK');
      other.release();
    }
    expect((await importData(t.db, { orders: [order(1000)] })).tables.orders.imported).toBe(1);
  });
});
