import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { withClient } from './database.ts';
import type { EmbeddedServer } from '../../src/db/embedded.ts';

/**
 * What PostgreSQL alone does on this machine, measured on the same server
 * in the same run as the load test: pgbench's built-in select-only and
 * TPC-B-like scripts at scale 10, 8 clients, 2 threads, 30 s each.
 */
export async function runPgbench(server: EmbeddedServer, outFile: string, log: (m: string) => void): Promise<void> {
  const seconds = process.env.PGBENCH_SECONDS ?? '30';
  await withClient(server.url('postgres'), async (c) => {
    await c.query('DROP DATABASE IF EXISTS pgbench WITH (FORCE)');
    await c.query('CREATE DATABASE pgbench');
  });
  const url = server.url('pgbench');
  const pgbench = (args: string[]) => execFileSync('pgbench', [...args, url], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  const parts: string[] = [];
  try {
    log('pgbench: initialising scale 10...');
    pgbench(['-i', '-s', '10', '-q']);
    for (const [label, extra] of [
      ['select-only (-S)', ['-S']],
      ['tpcb-like', []],
    ] as const) {
      log(`pgbench: ${label}, 8 clients, ${seconds} s...`);
      parts.push(
        `== ${label}: pgbench ${[...extra, '-c', '8', '-j', '2', '-T', seconds].join(' ')}\n${pgbench([...extra, '-c', '8', '-j', '2', '-T', seconds])}`,
      );
    }
  } catch (err) {
    const e = err as NodeJS.ErrnoException & { stderr?: string };
    parts.push(e.code === 'ENOENT' ? 'pgbench is not installed (Debian: apt-get install postgresql-client)' : `pgbench failed: ${e.stderr ?? e.message}`);
  } finally {
    await withClient(server.url('postgres'), (c) => c.query('DROP DATABASE IF EXISTS pgbench WITH (FORCE)'));
  }
  writeFileSync(outFile, parts.join('\n'));
  log(`pgbench: ${outFile}`);
}
