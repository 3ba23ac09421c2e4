import { spawn } from 'node:child_process';
import { mkdtemp, readdir, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { UsersService } from '../../src/users/users-service.ts';
import { runCli } from '../support/cli.ts';
import { useTestDatabase } from '../support/db.ts';

const t = useTestDatabase();

/** Runs the real CLI in a child process against this file's database. */
function cli(args: string[], env: Record<string, string> = {}) {
  return runCli(args, { DATABASE_URL: t.url, ...env });
}

describe('repair-bot CLI', () => {
  it('migrate reports an up-to-date database, and rewrites the report rollups once when REPORT_TIMEZONE is another zone', async () => {
    // Setup: the clone's rollups are in UTC, as a migrated database's
    // Action
    const first = await cli(['migrate'], { REPORT_TIMEZONE: 'Asia/Vladivostok' });
    const again = await cli(['migrate'], { REPORT_TIMEZONE: 'Asia/Vladivostok' });
    const back = await cli(['migrate'], { REPORT_TIMEZONE: 'UTC' });
    // Assertions
    expect(first).toMatchObject({
      code: 0,
      stdout: expect.stringMatching(/^database is up to date\nreport rollups rewritten from UTC to Asia\/Vladivostok in [\d.]+ s\n$/),
    });
    expect(again).toMatchObject({ code: 0, stdout: 'database is up to date\n' });
    expect(back).toMatchObject({
      code: 0,
      stdout: expect.stringMatching(/^database is up to date\nreport rollups rewritten from Asia\/Vladivostok to UTC in/),
    });
  });

  it('user add then token create gives a working token for that user', async () => {
    // Action
    const add = await cli(['user', 'add', '--telegram-id', '777001', '--name', 'Мария Иванова', '--roles', 'dispatcher,admin']);
    const token = await cli(['token', 'create', '--telegram-id', '777001']);
    // Assertions
    expect(add.code).toBe(0);
    expect(add.stdout).toContain('ADMIN, DISPATCHER');
    expect(token.code).toBe(0);
    const principal = await new UsersService(t.db).authenticate(token.stdout.trim());
    expect(principal).toMatchObject({ telegramId: 777001, name: 'Мария Иванова', roles: ['ADMIN', 'DISPATCHER'] });
  });

  it('user add again replaces the roles', async () => {
    await cli(['user', 'add', '--telegram-id', '777002', '--name', 'A', '--roles', 'master']);
    const r = await cli(['user', 'add', '--telegram-id', '777002', '--name', 'A', '--roles', 'dispatcher']);
    expect(r.stdout).toContain(': DISPATCHER');
  });

  it('user add never takes ADMIN from the last admin, as the API does not', async () => {
    // Setup: 777004 becomes the only admin
    await t.db.pool.query(`DELETE FROM user_roles WHERE role = 'ADMIN'`);
    await cli(['user', 'add', '--telegram-id', '777004', '--name', 'Last', '--roles', 'admin']);
    // Action
    const r = await cli(['user', 'add', '--telegram-id', '777004', '--name', 'Last', '--roles', 'dispatcher']);
    // Assertions
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/last admin/);
    const roles = await t.db.pool.query(`SELECT r.role FROM user_roles r JOIN users u ON u.id = r.user_id WHERE u.telegram_id = 777004`);
    expect(roles.rows.map((row: { role: string }) => row.role)).toEqual(['ADMIN']);
  });

  it('answers bad arguments with exit code 2 and a message naming the option', async () => {
    const cases: Array<[string[], RegExp]> = [
      [['user', 'add', '--telegram-id', 'abc', '--name', 'x'], /--telegram-id must be a positive integer/],
      [['user', 'add', '--telegram-id', '5', '--name', 'x', '--roles', 'boss'], /unknown role "boss"/],
      [['user', 'add', '--telegram-id', '5'], /--name is required/],
      [['user', 'add', '--bogus'], /Unknown option '--bogus'/],
      [['token', 'create', '--telegram-id', '999999'], /no user with Telegram id 999999/],
      [['frobnicate'], /unknown command: frobnicate/],
    ];
    for (const [args, message] of cases) {
      const r = await cli(args);
      expect(r.code, args.join(' ')).toBe(2);
      expect(r.stderr).toMatch(message);
    }
    // Six CLI processes one after another: room for a loaded machine.
  }, 90_000);

  it('--help prints the commands on stdout and exits 0, also as `npx repair-bot` from the project', async () => {
    // Action
    const help = await cli(['--help']);
    const viaNpx = await new Promise<{ code: number | null; stdout: string }>((resolve) => {
      const child = spawn('npx', ['repair-bot', '--help'], { cwd: path.resolve(import.meta.dirname, '../..') });
      let stdout = '';
      child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
      child.on('close', (code) => resolve({ code, stdout }));
    });
    // Assertions
    expect(help.code).toBe(0);
    expect(help.stdout).toMatch(/^usage:\n {2}repair-bot migrate/);
    expect(help.stderr).toBe('');
    expect(viaNpx).toEqual({ code: 0, stdout: help.stdout });
  });

  it('reports a bad DATABASE_URL clearly', async () => {
    const r = await cli(['migrate'], { DATABASE_URL: 'mysql://nope' });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/DATABASE_URL: must be a postgres/);
  });
});

describe('repair-bot backup and restore, without the PostgreSQL client tools', () => {
  it('restore refuses a database that is not empty, and a file that is not a backup', async () => {
    // Setup: this file's database is migrated (not empty); a file with the custom format's magic, and one without
    const dir = await mkdtemp(path.join(tmpdir(), 'repair-bot-restore-'));
    const dump = path.join(dir, 'looks-like.dump');
    await writeFile(dump, 'PGDMP\u0001\u000e\u0000');
    const text = path.join(dir, 'notes.txt');
    await writeFile(text, 'hello');

    // Action
    const notEmpty = await cli(['restore', dump]);
    const notDump = await cli(['restore', text]);
    const missing = await cli(['restore']);

    // Assertions
    expect(notEmpty.code).toBe(1);
    expect(notEmpty.stderr).toMatch(/database "test_\w+" is not empty \(\d+ tables, views and sequences\); restore into an empty database, or add --force/);
    expect(notDump.code).toBe(1);
    expect(notDump.stderr).toContain(`${text} is not a backup made by repair-bot backup`);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/expected 1 argument/);
  });

  it('backup says which pg_dump it needs when there is none to match the server', async () => {
    // Setup: PG_BIN_DIR with nothing in it
    const empty = await mkdtemp(path.join(tmpdir(), 'repair-bot-no-tools-'));
    const out = path.join(empty, 'b.dump');

    // Action
    const r = await cli(['backup', '--out', out], { PG_BIN_DIR: empty });

    // Assertions
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(`no pg_dump of PostgreSQL 18 or newer in PG_BIN_DIR (${empty}); found none`);
    expect(await readdir(empty)).toEqual([]);
  });
});
