import { spawn } from 'node:child_process';
import { freePort } from './prometheus-server.ts';

export interface Exporter {
  address: string;
  stop(): Promise<void>;
}

/**
 * Starts Debian's prometheus-postgres-exporter on a free port against
 * `databaseUrl`. It is older than the stack's image (0.11 vs 0.17) and has
 * no stat_statements collector; the metrics the dashboards read from its
 * default collectors (pg_up, pg_stat_database_*, pg_stat_activity_count,
 * pg_locks_count, pg_settings_*) are the same in both.
 */
export async function startPostgresExporter(databaseUrl: string): Promise<Exporter> {
  const port = await freePort();
  const dsn = new URL(databaseUrl);
  dsn.searchParams.set('sslmode', 'disable');
  const log: string[] = [];
  const child = spawn('prometheus-postgres-exporter', [`--web.listen-address=127.0.0.1:${port}`, '--log.level=warn'], {
    env: { ...process.env, DATA_SOURCE_NAME: dsn.toString() },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stderr.on('data', (c: Buffer) => log.push(c.toString()));
  const failed = new Promise<never>((_, reject) => {
    child.once('error', (err) => reject(new Error(`prometheus-postgres-exporter could not start (.ci/run installs it): ${err.message}`)));
    child.once('exit', (code) => reject(new Error(`prometheus-postgres-exporter exited (${code}): ${log.join('')}`)));
  });
  failed.catch(() => undefined);
  const stop = async () => {
    if (child.exitCode !== null) return;
    const exited = new Promise((r) => child.once('exit', r));
    child.kill('SIGTERM');
    await exited;
  };
  const deadline = Date.now() + 15_000;
  for (;;) {
    const ok = await Promise.race([
      fetch(`http://127.0.0.1:${port}/metrics`).then(
        (r) => r.ok,
        () => false,
      ),
      failed,
    ]);
    if (ok) break;
    if (Date.now() > deadline) {
      await stop();
      throw new Error(`prometheus-postgres-exporter not answering: ${log.join('')}`);
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  return { address: `127.0.0.1:${port}`, stop };
}
