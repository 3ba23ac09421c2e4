import { loadConfig, type Config } from '../config.ts';
import { prepareDatabase } from '../db/connect.ts';
import type { Database } from '../db/database.ts';
import { registerEnumArrayTypes } from '../db/enum-arrays.ts';
import { createDatabase } from '../db/pool.ts';
import type { Services } from '../services.ts';
import { createLogger, type Logger } from '../telemetry/logger.ts';

/** What a CLI command gets: config, a logger on stderr, the services, and the migrated database (bulk jobs: seed, import). */
export interface CliContext {
  config: Config;
  logger: Logger;
  services: Services;
  db: Database;
  databaseUrl: string;
}

/** Thrown for bad arguments: printed as one line with usage, exit code 2. */
export class UsageError extends Error {}

/** What a bulk job that needs only the database gets: the context without the services. */
export type CliDatabase = Omit<CliContext, 'services'>;

/** Opens the database the service would use (DATABASE_URL or embedded), runs `fn`, closes everything. */
export async function withCliContext<T>(fn: (ctx: CliContext) => Promise<T>, opts: { migrate?: boolean } = {}): Promise<T> {
  return withCliDatabase(async (ctx) => {
    // Loaded only once a command gets this far: a usage error stays a fast exit.
    const { createServices } = await import('../services.ts');
    return fn({ ...ctx, services: createServices(ctx.db, ctx.config, ctx.logger) });
  }, opts);
}

/**
 * withCliContext without the services, whose modules (the bot, the HTTP
 * layer, reports) a bulk job never calls: measured, they are about 130 MB of
 * the import's resident memory.
 */
export async function withCliDatabase<T>(fn: (ctx: CliDatabase) => Promise<T>, opts: { migrate?: boolean } = {}): Promise<T> {
  // Someone is watching a command: only warnings unless LOG_LEVEL says otherwise.
  const config = loadConfig(undefined, { logLevel: 'warn' });
  const logger = createLogger(config.logLevel, process.stderr);
  // A command waits less than the service: someone is watching it.
  const target = await prepareDatabase({ ...config, startupTimeoutMs: config.startupTimeoutMs ?? 30_000 }, logger, { migrate: opts.migrate });
  const db = createDatabase(target.url, { ...config.pool, min: 0 }, logger);
  try {
    if (opts.migrate !== false) await registerEnumArrayTypes(db);
    return await fn({ config, logger, db, databaseUrl: target.url });
  } finally {
    await db.close();
    await target.embedded?.stop();
  }
}
