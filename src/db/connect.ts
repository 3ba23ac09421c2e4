import { startEmbeddedPostgres, ensureServiceDatabase, EMBEDDED_DATABASE, type EmbeddedServer } from './embedded.ts';
import { migrate, type MigrateLogger } from './migrate.ts';

export interface DatabaseTarget {
  url: string;
  /** The embedded server we started, if any; stop it on shutdown. */
  embedded: EmbeddedServer | undefined;
}

/**
 * Resolves where the database is: DATABASE_URL when given, else an embedded
 * PostgreSQL under the configured data directory. Then applies migrations.
 */
export async function prepareDatabase(
  cfg: { databaseUrl: string | undefined; embeddedPg: { dir: string; port: number } },
  logger: MigrateLogger & { warn?(obj: object, msg: string): void },
  opts: { migrate?: boolean } = {},
): Promise<DatabaseTarget> {
  let url = cfg.databaseUrl;
  let embedded: EmbeddedServer | undefined;
  if (!url) {
    embedded = await startEmbeddedPostgres({ dir: cfg.embeddedPg.dir, port: cfg.embeddedPg.port });
    await ensureServiceDatabase(embedded);
    url = embedded.url(EMBEDDED_DATABASE);
    logger.info({ dir: cfg.embeddedPg.dir, port: cfg.embeddedPg.port }, 'embedded PostgreSQL started (no DATABASE_URL set)');
  }
  if (opts.migrate !== false) {
    try {
      await migrate(url, logger);
    } catch (err) {
      await embedded?.stop();
      throw err;
    }
  }
  return { url, embedded };
}
