import pg from 'pg';
import { ConnectionError, toDbError } from './errors.ts';
import { startEmbeddedPostgres, ensureServiceDatabase, EMBEDDED_DATABASE, type EmbeddedServer } from './embedded.ts';
import { migrate, type MigrateLogger } from './migrate.ts';

export interface DatabaseTarget {
  url: string;
  /** The embedded server we started, if any; stop it on shutdown. */
  embedded: EmbeddedServer | undefined;
}

/** How long a start's rewrite of the report rollups waits for writers of orders to finish. */
const ROLLUP_LOCK_TIMEOUT_MS = 10_000;

/**
 * Resolves where the database is: DATABASE_URL when given, else an embedded
 * PostgreSQL under the configured data directory. Then applies migrations
 * and keeps the report rollups in the report time zone.
 */
export async function prepareDatabase(
  cfg: {
    databaseUrl: string | undefined;
    embeddedPg: { dir: string; port: number };
    startupTimeoutMs?: number | undefined;
    /** A direct session URL when DATABASE_URL is a transaction pooler: migrations hold a session advisory lock. */
    databaseListenUrl?: string | undefined;
    pool?: { pooler: 'direct' | 'pgbouncer' };
    /** REPORT_TIMEZONE: the report rollups are kept in it (migrate). */
    reports?: { timeZone: string };
  },
  logger: StartupLogger,
  opts: { migrate?: boolean } = {},
): Promise<DatabaseTarget> {
  let url = cfg.databaseUrl;
  let embedded: EmbeddedServer | undefined;
  if (url) {
    await waitForDatabase(url, cfg.startupTimeoutMs, logger);
  } else {
    embedded = await startEmbeddedPostgres({ dir: cfg.embeddedPg.dir, port: cfg.embeddedPg.port });
    await ensureServiceDatabase(embedded);
    url = embedded.url(EMBEDDED_DATABASE);
    const where = { dir: cfg.embeddedPg.dir, port: cfg.embeddedPg.port };
    if (embedded.startedHere) logger.info(where, 'embedded PostgreSQL started (no DATABASE_URL set)');
    else logger.info(where, 'embedded PostgreSQL already running (started by another process): using it, and leaving it running on exit');
  }
  if (opts.migrate !== false) {
    try {
      await migrate(cfg.pool?.pooler === 'pgbouncer' && cfg.databaseListenUrl ? cfg.databaseListenUrl : url, logger, {
        rollupZone: cfg.reports?.timeZone,
        // A start does not hold every writer of orders behind a long import; `repair-bot migrate` waits.
        rollupLockTimeoutMs: ROLLUP_LOCK_TIMEOUT_MS,
      });
    } catch (err) {
      await embedded?.stop();
      throw err;
    }
  }
  return { url, embedded };
}

export type StartupLogger = MigrateLogger & { warn(obj: object, msg: string): void };

const FIRST_RETRY_MS = 250;
const MAX_RETRY_MS = 10_000;

/**
 * Waits for the database to answer, retrying with exponential backoff and a
 * log line per failed try: a service started before its database (a host
 * reboot, a compose stack) comes up on its own. `timeoutMs` bounds the wait
 * (0: one try); errors other than an unreachable server (bad password, no
 * such database) fail at once, as retrying cannot mend them.
 */
async function waitForDatabase(url: string, timeoutMs: number | undefined, logger: StartupLogger): Promise<void> {
  const started = Date.now();
  for (let attempt = 1, delay = FIRST_RETRY_MS; ; attempt++, delay = Math.min(delay * 2, MAX_RETRY_MS)) {
    const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 5_000, application_name: 'repair-bot-startup' });
    client.on('error', () => {}); // a failing connect also rejects connect() below
    try {
      await client.connect();
      await client.query('SELECT 1');
      if (attempt > 1) logger.info({ attempt }, 'database reachable');
      return;
    } catch (err) {
      const typed = toDbError(err);
      const elapsed = Date.now() - started;
      if (!(typed instanceof ConnectionError) || (timeoutMs !== undefined && elapsed + delay > timeoutMs)) throw typed;
      logger.warn({ attempt, retry_in_ms: delay, err: { message: typed.message, code: typed.code } }, 'database not reachable yet; retrying');
      await new Promise((r) => setTimeout(r, delay));
    } finally {
      await client.end().catch(() => undefined);
    }
  }
}
