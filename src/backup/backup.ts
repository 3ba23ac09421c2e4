import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { open, mkdir, rename, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Queryable } from '../db/database.ts';
import { countUserRelations, findServerVersion } from './backup.sql.ts';
import { findPgTool, type PgTool } from './pg-tools.ts';

/** A backup or restore that could not be done; the message says why, for people. */
class BackupError extends Error {}

export interface BackupResult {
  file: string;
  sizeBytes: number;
  tool: PgTool;
}

/**
 * Runs a PostgreSQL client tool against `url`. The password goes through a
 * private passfile, never the command line (where `ps` shows it) or the
 * environment; stderr's tail becomes the error.
 */
async function runTool(tool: PgTool, url: string, args: string[]): Promise<void> {
  const u = new URL(url);
  const passfile = path.join(tmpdir(), `repair-bot-pgpass-${randomBytes(8).toString('hex')}`);
  const escape = (s: string) => s.replace(/[\\:]/g, (c) => `\\${c}`);
  await writeFile(passfile, `*:*:*:${escape(decodeURIComponent(u.username))}:${escape(decodeURIComponent(u.password))}\n`, { mode: 0o600 });
  u.password = '';
  u.searchParams.set('passfile', passfile);
  try {
    await new Promise<void>((resolve, reject) => {
      const child = spawn(tool.path, [...args, `--dbname=${u.toString()}`], { stdio: ['ignore', 'ignore', 'pipe'] });
      let err = '';
      child.stderr.on('data', (d: Buffer) => (err = (err + d.toString()).slice(-4000)));
      child.on('error', reject);
      child.on('close', (code) =>
        code === 0 ? resolve() : reject(new BackupError(`${tool.name} ${tool.version} failed (exit ${code}): ${err.trim() || 'no message'}`)),
      );
    });
  } finally {
    await rm(passfile, { force: true });
  }
}

/**
 * pg_dump in custom format (compressed, restorable table by table) to
 * `file`, written as FILE.partial and renamed when complete, so a file with
 * the final name is always a whole backup.
 */
export async function createBackup(db: Queryable, url: string, file: string, binDir?: string): Promise<BackupResult> {
  const server = await findServerVersion(db);
  const tool = await findPgTool('pg_dump', server.major, binDir);
  await mkdir(path.dirname(path.resolve(file)), { recursive: true });
  const partial = `${file}.partial`;
  try {
    await runTool(tool, url, ['--format=custom', '--no-password', `--file=${partial}`]);
    await rename(partial, file);
  } finally {
    await rm(partial, { force: true });
  }
  return { file, sizeBytes: (await stat(file)).size, tool };
}

/** pg_dump's custom format starts with these bytes. */
const MAGIC = 'PGDMP';

async function assertBackupFile(file: string): Promise<void> {
  let head: Buffer;
  try {
    const handle = await open(file, 'r');
    try {
      head = Buffer.alloc(MAGIC.length);
      await handle.read(head, 0, MAGIC.length, 0);
    } finally {
      await handle.close();
    }
  } catch (err) {
    throw new BackupError(`cannot read ${file}: ${(err as Error).message}`);
  }
  if (head.toString('latin1') !== MAGIC) throw new BackupError(`${file} is not a backup made by repair-bot backup (pg_dump custom format)`);
}

/**
 * Restores a backup in one transaction (all of it or nothing). Only into an
 * empty database unless `force`: then the backup's objects replace their
 * namesakes (anything the backup does not hold stays).
 */
export async function restoreBackup(db: Queryable, url: string, file: string, opts: { force?: boolean; binDir?: string } = {}): Promise<{ tool: PgTool }> {
  await assertBackupFile(file);
  const server = await findServerVersion(db);
  const relations = await countUserRelations(db);
  if (relations > 0 && !opts.force) {
    throw new BackupError(
      `database "${server.database}" is not empty (${relations} tables, views and sequences); restore into an empty database, or add --force to replace what the backup holds`,
    );
  }
  const tool = await findPgTool('pg_restore', server.major, opts.binDir);
  await runTool(tool, url, ['--clean', '--if-exists', '--no-owner', '--single-transaction', '--exit-on-error', '--no-password', file]);
  return { tool };
}
