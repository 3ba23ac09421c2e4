import { spawn } from 'node:child_process';
import pg from 'pg';
import { startEmbeddedPostgres, type EmbeddedServer } from '../../src/db/embedded.ts';
import { freePort } from './processes.ts';

/**
 * The load test's PostgreSQL: an embedded server (with pg_stat_statements)
 * on a data directory the harness owns. A seeded database is kept there as
 * a template (`seed_<N>`) and cloned for each run, so the expensive seed
 * happens once per data directory and every run starts from the same state.
 */
const RUN_DATABASE = 'loadtest';
const SEEDED = 'seeded by npm run loadtest';

/**
 * PostgreSQL 18's own defaults for what src/db/embedded.ts tunes: `stock`
 * starts the server as an untuned install would run (how the seed's
 * figures on a stock server are measured).
 */
const STOCK: Record<string, string> = {
  shared_buffers: '128MB',
  wal_buffers: '-1',
  max_wal_size: '1GB',
  maintenance_work_mem: '64MB',
  max_connections: '100',
};

export async function startDatabase(dir: string, opts: { stock?: boolean } = {}): Promise<EmbeddedServer> {
  const port = await freePort();
  return startEmbeddedPostgres({
    dir,
    port,
    settings: {
      shared_preload_libraries: 'pg_stat_statements',
      'pg_stat_statements.track': 'top',
      // Planning is counted too: a statement that is planned at every execution
      // (a custom plan kept) costs more in planning than in running.
      'pg_stat_statements.track_planning': 'on',
      track_io_timing: 'on',
      ...(opts.stock ? STOCK : {}),
    },
  });
}

export async function withClient<T>(url: string, fn: (c: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

async function isSeeded(server: EmbeddedServer, name: string): Promise<boolean> {
  return withClient(server.url('postgres'), async (c) => {
    const { rows } = await c.query<{ comment: string | null }>('SELECT shobj_description(oid, $2::text) AS comment FROM pg_database WHERE datname = $1::text', [
      name,
      'pg_database',
    ]);
    return rows[0]?.comment === SEEDED;
  });
}

/**
 * Runs `repair-bot seed --orders N` into seed_<N> unless a finished one is
 * there (`fresh`: seeds it again in any case). Returns the database's name.
 */
export async function ensureSeeded(server: EmbeddedServer, orders: number, log: (m: string) => void, opts: { fresh?: boolean } = {}): Promise<string> {
  const name = `seed_${orders}`;
  if (!opts.fresh && (await isSeeded(server, name))) {
    log(`reusing the seeded template ${name}`);
    return name;
  }
  await withClient(server.url('postgres'), async (c) => {
    // Names are ours (digits only), never user text: identifiers cannot be parameters.
    await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    await c.query(`CREATE DATABASE ${name}`);
  });
  log(`seeding ${orders} orders into ${name} (once per data directory)...`);
  const started = Date.now();
  const code = await new Promise<number | null>((resolve, reject) => {
    const child = spawn(process.execPath, ['src/cli/main.ts', 'seed', '--orders', String(orders)], {
      stdio: 'inherit',
      env: { ...process.env, DATABASE_URL: server.url(name) },
    });
    child.once('error', reject);
    child.once('exit', resolve);
  });
  if (code !== 0) throw new Error(`repair-bot seed --orders ${orders} failed (exit ${code})`);
  // The seed command ends with VACUUM ANALYZE itself: the template is ready to clone.
  log(`seeded in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  await withClient(server.url('postgres'), (c) => c.query(`COMMENT ON DATABASE ${name} IS '${SEEDED}'`));
  return name;
}

/**
 * LOADTEST_IN_PLACE=1: run in the seeded database itself instead of a copy.
 * A copy of 10,000,000 orders is about 35 GB more disk, and FILE_COPY takes
 * minutes; in place, the run's writes (the orders it creates, its accounts)
 * stay in the template, a few thousand rows beside millions.
 */
const IN_PLACE = process.env.LOADTEST_IN_PLACE === '1';

/** A fresh `loadtest` database: a copy of the seeded template, or empty. Returns its URL. */
export async function prepareRunDatabase(server: EmbeddedServer, seed: number | undefined, log: (m: string) => void): Promise<string> {
  const template = seed ? await ensureSeeded(server, seed, log) : undefined;
  if (template && IN_PLACE) {
    log(`LOADTEST_IN_PLACE: running in ${template} itself (its writes stay there)`);
    await withClient(server.url(template), (c) => c.query('CREATE EXTENSION IF NOT EXISTS pg_stat_statements'));
    return server.url(template);
  }
  await withClient(server.url('postgres'), async (c) => {
    await c.query(`DROP DATABASE IF EXISTS ${RUN_DATABASE} WITH (FORCE)`);
    await c.query(template ? `CREATE DATABASE ${RUN_DATABASE} TEMPLATE ${template} STRATEGY FILE_COPY` : `CREATE DATABASE ${RUN_DATABASE}`);
  });
  const url = server.url(RUN_DATABASE);
  await withClient(url, (c) => c.query('CREATE EXTENSION IF NOT EXISTS pg_stat_statements'));
  return url;
}

/** The statements that took the most time during the run (pg_stat_statements), as text. */
export async function topStatements(url: string): Promise<string> {
  return withClient(url, async (c) => {
    // plans and plan_ms stay 0 unless the server runs with pg_stat_statements.track_planning = on.
    const { rows } = await c.query<{ calls: string; total_ms: string; mean_ms: string; rows: string; plans: string; plan_ms: string; query: string }>(
      `SELECT calls::text, round(total_exec_time::numeric, 1)::text AS total_ms, round(mean_exec_time::numeric, 3)::text AS mean_ms,
              rows::text, plans::text, round(total_plan_time::numeric, 1)::text AS plan_ms, regexp_replace(query, '\\s+', ' ', 'g') AS query
       FROM pg_stat_statements WHERE dbid = (SELECT oid FROM pg_database WHERE datname = current_database())
       ORDER BY total_exec_time + total_plan_time DESC LIMIT $1::int4`,
      [25],
    );
    return (
      rows
        .map(
          (r) =>
            `${r.calls.padStart(9)} calls ${r.total_ms.padStart(10)} ms total ${r.mean_ms.padStart(8)} ms mean ${r.rows.padStart(9)} rows ` +
            `${r.plans.padStart(7)} plans ${r.plan_ms.padStart(8)} ms planning  ${r.query.slice(0, 220)}`,
        )
        .join('\n') + '\n'
    );
  });
}

/**
 * `--prewarm`: reads the orders table and every index of it once into the
 * OS page cache (pg_prewarm's read mode), as hours of service would leave
 * them. A copied template arrives cached (the copy just wrote it); a
 * database seeded long before, or one used in place, does not, and its
 * first minutes measure the disk. Returns what it read.
 */
export async function prewarmOrders(url: string): Promise<{ relations: number; bytes: number; ms: number }> {
  return withClient(url, async (c) => {
    const started = performance.now();
    await c.query('CREATE EXTENSION IF NOT EXISTS pg_prewarm');
    const { rows } = await c.query<{ relations: number; bytes: string }>(
      `SELECT count(*)::int4 AS relations, sum(pg_relation_size(r.oid))::text AS bytes
       FROM (SELECT $1::regclass AS oid UNION ALL SELECT indexrelid FROM pg_index WHERE indrelid = $1::regclass) r,
            LATERAL (SELECT pg_prewarm(r.oid, 'read')) warmed`,
      ['orders'],
    );
    return { relations: rows[0]!.relations, bytes: Number(rows[0]!.bytes), ms: performance.now() - started };
  });
}

export async function resetStatements(url: string): Promise<void> {
  await withClient(url, (c) => c.query('SELECT pg_stat_statements_reset()'));
}
