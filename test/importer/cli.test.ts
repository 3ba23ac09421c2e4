import { describe, expect, it } from 'vitest';
import type { ImportSummary } from '../../src/importer/report.ts';
import { runCli } from '../support/cli.ts';
import { useTestDatabase } from '../support/db.ts';
import { tempPath, writeLegacyFile } from './legacy-fixture.ts';
import { QUIRKS } from './quirks-data.ts';
import { snapshot } from './support.ts';

const t = useTestDatabase();

/** The real CLI, in a child process, against this file's database. */
const cli = (args: string[]) => runCli(args, { DATABASE_URL: t.url, LOG_LEVEL: 'warn' });

describe('repair-bot import-sqlite (end to end)', () => {
  it('dry-runs, imports, then finds everything imported; bad input exits non-zero with a clear message', { timeout: 120_000 }, async () => {
    // Setup
    const file = writeLegacyFile(QUIRKS);
    const empty = await snapshot(t.db);
    // Action: a dry run, the import, and the same import again.
    const dry = await cli(['import-sqlite', file, '--dry-run']);
    const afterDry = await snapshot(t.db);
    const real = await cli(['import-sqlite', file, '--json']);
    const again = await cli(['import-sqlite', file]);
    // Assertions
    expect(dry).toMatchObject({ code: 0, stderr: '' });
    expect(dry.stdout).toMatch(/^Legacy import of .*bot\.db as source bot \(DRY RUN: everything was rolled back\)/);
    expect(dry.stdout).toMatch(/\norders\s+18\s+18\s+0\s+0\s+0\s+0\s+0\s+13\n/);
    expect(dry.stdout).toContain('adjusted orders: 2 x shares off by a kopeck: company share corrected (legacy ids 12, 26)');
    expect(afterDry).toEqual(empty);

    expect(real.code).toBe(0);
    const summary = JSON.parse(real.stdout) as ImportSummary;
    expect(summary).toMatchObject({ dry_run: false, committed: true });
    expect(summary.tables.orders).toMatchObject({ read: 18, imported: 18, skipped: 0, adjusted: 13 });
    expect(summary.tables.users).toMatchObject({ read: 7, imported: 6, skipped: 1 });

    expect(again.code).toBe(0);
    expect(again.stdout).toMatch(/\norders\s+18\s+0\s+0\s+18\s+0\s+0\s+0\s+0\n/);

    const garbage = tempPath('garbage.db');
    await import('node:fs/promises').then((fs) => fs.writeFile(garbage, 'not sqlite at all'.repeat(300)));
    const before = await snapshot(t.db);
    const bad = await cli(['import-sqlite', garbage]);
    const missing = await cli(['import-sqlite', '/nonexistent/bot.db']);
    const noFile = await cli(['import-sqlite']);
    const badSource = await cli(['import-sqlite', file, '--source', 'Москва']);
    expect(badSource.code).toBe(2);
    expect(badSource.stderr).toMatch(/^repair-bot import-sqlite: --source "Москва": use 1 to 32 lowercase Latin letters, digits, '_' or '-' \(e\.g\. msk\)\n/);
    expect(bad).toMatchObject({ code: 1, stdout: '' });
    expect(bad.stderr).toBe(`repair-bot import-sqlite failed: ${garbage}: not a readable SQLite database (file is not a database)\n`);
    expect(missing).toMatchObject({ code: 1, stderr: 'repair-bot import-sqlite failed: /nonexistent/bot.db: no such file\n' });
    expect(noFile.code).toBe(2);
    expect(noFile.stderr).toMatch(/^repair-bot import-sqlite: FILE is required\nusage: repair-bot import-sqlite FILE/);
    expect(await snapshot(t.db)).toEqual(before);
  });

  it('--bulk and --no-bulk force the bulk path on and off; the report says which', { timeout: 120_000 }, async () => {
    // Setup
    const forcedOn = writeLegacyFile(QUIRKS, tempPath('on.db'));
    const forcedOff = writeLegacyFile(QUIRKS, tempPath('off.db'));
    // Action
    const on = await cli(['import-sqlite', forcedOn, '--bulk', '--json']);
    const off = await cli(['import-sqlite', forcedOff, '--no-bulk']);
    // Assertions
    expect(on.code).toBe(0);
    const summary = JSON.parse(on.stdout) as ImportSummary;
    expect(summary).toMatchObject({ source: 'on', bulk_load: true, committed: true });
    expect(summary.notes.some((n) => n.startsWith('bulk load: '))).toBe(true);
    expect(off).toMatchObject({ code: 0, stderr: '' });
    expect(off.stdout).toMatch(/^Legacy import of .*off\.db as source off \(committed\)/);
    expect(off.stdout).not.toContain('bulk load');
  });
});
