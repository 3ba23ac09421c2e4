import { spawn } from 'node:child_process';
import { eventually, StopWaiting } from '../../support/eventually.ts';
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
  let failure: Error | undefined;
  child.once('error', (err) => (failure = new StopWaiting(`prometheus-postgres-exporter could not start (.ci/run installs it): ${err.message}`)));
  child.once('exit', (code) => (failure ??= new StopWaiting(`prometheus-postgres-exporter exited (${code}): ${log.join('')}`)));
  const stop = async () => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise((r) => child.once('exit', r));
    child.kill('SIGTERM');
    await exited;
  };
  try {
    await eventually(
      async () => {
        if (failure) throw failure;
        const res = await fetch(`http://127.0.0.1:${port}/metrics`);
        if (!res.ok) throw new Error(`/metrics answered ${res.status}: ${log.join('')}`);
      },
      { timeout: 15_000, interval: 200, what: 'prometheus-postgres-exporter to answer' },
    );
  } catch (err) {
    await stop();
    throw err;
  }
  return { address: `127.0.0.1:${port}`, stop };
}
