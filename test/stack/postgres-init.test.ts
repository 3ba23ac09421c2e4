import { chmod, mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEmbeddedPostgres, type EmbeddedServer } from '../../src/db/embedded.ts';
import { migrate } from '../../src/db/migrate.ts';
import { postgresSettings, repoPath, run } from './support/files.ts';
import { startPostgresExporter } from './support/postgres-exporter.ts';
import { freePort } from './support/prometheus-server.ts';

/**
 * The stack's PostgreSQL as docker-compose.yml configures it, on the same
 * PostgreSQL 18 the tests use: the server starts with the compose file's
 * `-c` settings, postgres/init runs the way the image's entrypoint runs it
 * (psql, ON_ERROR_STOP), then the service migrates; the roles it creates
 * can do what the stack needs and nothing more.
 */
const PASSWORDS = { POSTGRES_EXPORTER_PASSWORD: 'exporter-pw-1', GRAFANA_DB_PASSWORD: 'grafana-pw-2', POSTGRES_REPLICATION_PASSWORD: 'replication-pw-3' };
let dir: string;
let server: EmbeddedServer;
let port: number;

const asRole = async <T>(user: string, password: string, fn: (c: pg.Client) => Promise<T>): Promise<T> => {
  const c = new pg.Client({ host: '127.0.0.1', port, database: 'repair_bot', user, password });
  await c.connect();
  try {
    return await fn(c);
  } finally {
    await c.end();
  }
};

beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'repair-bot-stack-pg-'));
  await chmod(dir, 0o777); // the server runs as a dedicated user when we are root
  port = await freePort();
  server = await startEmbeddedPostgres({ dir: path.join(dir, 'data'), port, settings: { ...postgresSettings(), fsync: 'off' } });
  const admin = new pg.Client({ connectionString: server.url('postgres') });
  await admin.connect();
  await admin.query('CREATE DATABASE repair_bot');
  await admin.end();
  // docker-entrypoint-initdb.d: *.sh executed, *.sql fed to psql, in name order.
  const url = new URL(server.url('repair_bot'));
  const env = {
    ...process.env,
    PGHOST: '127.0.0.1',
    PGPORT: String(port),
    PGPASSWORD: decodeURIComponent(url.password),
    POSTGRES_USER: url.username,
    POSTGRES_DB: 'repair_bot',
    PGDATA: path.join(dir, 'data'),
    ...PASSWORDS,
  };
  for (const file of (await readdir(repoPath('postgres/init'))).sort()) {
    const full = repoPath('postgres/init', file);
    const result = file.endsWith('.sh')
      ? await run('sh', [full], { env })
      : await run('psql', ['-v', 'ON_ERROR_STOP=1', '--no-psqlrc', '--username', url.username, '--dbname', 'repair_bot', '-f', full], { env });
    if (result.code !== 0) throw new Error(`${file} failed: ${result.stderr}`);
  }
  await migrate(server.url('repair_bot'));
}, 120_000);

afterAll(async () => {
  await server?.stop();
  if (dir) await rm(dir, { recursive: true, force: true });
});

describe("the stack's PostgreSQL configuration and init scripts", () => {
  it('loads pg_stat_statements and auto_explain with the 100 ms threshold', async () => {
    // Action
    const settings = await asRole('postgres_exporter', PASSWORDS.POSTGRES_EXPORTER_PASSWORD, async (c) => {
      const rows = await c.query<{ name: string; setting: string; unit: string | null }>(
        `SELECT name, setting, unit FROM pg_settings WHERE name IN ('shared_preload_libraries', 'auto_explain.log_min_duration', 'track_io_timing')`,
      );
      return Object.fromEntries(rows.rows.map((r) => [r.name, `${r.setting}${r.unit ?? ''}`]));
    });

    // Assertions
    expect(settings).toEqual({ shared_preload_libraries: 'pg_stat_statements,auto_explain', 'auto_explain.log_min_duration': '100ms', track_io_timing: 'on' });
  });

  it('lets postgres_exporter read pg_stat_statements but not the data', async () => {
    await asRole('postgres_exporter', PASSWORDS.POSTGRES_EXPORTER_PASSWORD, async (c) => {
      // Action / Assertions
      const stats = await c.query<{ n: number }>('SELECT count(*)::int AS n FROM pg_stat_statements');
      expect(stats.rows[0]?.n).toBeGreaterThan(0);
      await expect(c.query('SELECT client_phone FROM orders LIMIT 1')).rejects.toMatchObject({ code: '42501' });
    });
  });

  it('lets grafana_reader call the reporting functions and read nothing else', async () => {
    await asRole('grafana_reader', PASSWORDS.GRAFANA_DB_PASSWORD, async (c) => {
      // Action
      const revenue = await c.query(`SELECT * FROM reporting.revenue_by_day(now() - interval '30 days', now())`);

      // Assertions
      expect(revenue.fields.map((f) => f.name)).toEqual(['day', 'orders_closed', 'revenue', 'company_share']);
      for (const table of ['orders', 'users', 'masters', 'audit_log']) {
        await expect(c.query(`SELECT 1 FROM ${table} LIMIT 1`), table).rejects.toMatchObject({ code: '42501' });
      }
    });
  });

  it('serves postgres-exporter logged in as postgres_exporter', async () => {
    // Setup
    const exporter = await startPostgresExporter(`postgres://postgres_exporter:${PASSWORDS.POSTGRES_EXPORTER_PASSWORD}@127.0.0.1:${port}/repair_bot`);
    try {
      // Action
      const text = await (await fetch(`http://${exporter.address}/metrics`)).text();

      // Assertions
      expect(text).toMatch(/^pg_up 1$/m);
      expect(text).toMatch(/^pg_stat_database_blks_hit\{.*datname="repair_bot".*\} \d/m);
    } finally {
      await exporter.stop();
    }
  });
});
