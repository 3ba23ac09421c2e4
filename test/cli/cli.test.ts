import { spawn } from 'node:child_process';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { UsersService } from '../../src/users/users-service.ts';
import { useTestDatabase } from '../support/db.ts';

const ROOT = path.resolve(import.meta.dirname, '../..');
const t = useTestDatabase();

/** Runs the real CLI in a child process against this file's database. */
function cli(args: string[], env: Record<string, string> = {}): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(path.join(ROOT, 'bin/repair-bot.js'), args, { cwd: ROOT, env: { ...process.env, DATABASE_URL: t.url, ...env } });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.on('close', (code) => resolve({ code: code ?? -1, stdout, stderr }));
  });
}

describe('repair-bot CLI', () => {
  it('migrate reports an up-to-date database', async () => {
    const r = await cli(['migrate']);
    expect(r).toMatchObject({ code: 0, stdout: 'database is up to date\n' });
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
  });

  it('reports a bad DATABASE_URL clearly', async () => {
    const r = await cli(['migrate'], { DATABASE_URL: 'mysql://nope' });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/DATABASE_URL: must be a postgres/);
  });
});
