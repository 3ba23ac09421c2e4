import { backupJobs } from './backup/backup-job.ts';
import { prepareBot, type BotRuntime } from './bot/runtime.ts';
import type { Config } from './config.ts';
import { consoleAssets } from './console/assets.ts';
import { startLive } from './console/live/start-live.ts';
import { prepareDatabase } from './db/connect.ts';
import type { Database } from './db/database.ts';
import { registerEnumArrayTypes } from './db/enum-arrays.ts';
import { migrationFiles } from './db/migrate.ts';
import { createDatabase } from './db/pool.ts';
import { createReadinessProbe } from './db/readiness.ts';
import { replicaReads } from './db/replica-reads.ts';
import { createHttpApp } from './http/app.ts';
import { listen, type RunningServer } from './http/server.ts';
import { maintenanceJobs } from './scheduler/jobs.ts';
import { Scheduler, type Job } from './scheduler/scheduler.ts';
import { createServices, type Services } from './services.ts';
import type { Logger } from './telemetry/logger.ts';
import { replicaMetrics } from './telemetry/replica-metrics.ts';
import { createTelemetry, type Telemetry } from './telemetry/telemetry.ts';
import { bootstrapAdmin } from './users/bootstrap.ts';
import { warmRequests } from './warm-up-requests.ts';
import { warmUp } from './warm-up.ts';

/** The longest the request warm-up may hold up the start on a slow machine; it stops there, warm or not. */
const REQUEST_WARM_UP_BUDGET_MS = 10_000;

export interface RunningService {
  services: Services;
  db: Database;
  http: RunningServer;
  telemetry: Telemetry;
  /** The Telegram bot, when TELEGRAM_BOT_TOKEN is set. */
  bot: BotRuntime | undefined;
  /** The one-time admin token when this start bootstrapped an empty database. */
  bootstrapToken: string | null;
  stop(): Promise<void>;
}

/**
 * Starts everything the process runs: database (embedded when no
 * DATABASE_URL), migrations, pool, services, HTTP. Used by main.ts and by
 * tests that need the whole service.
 */
export async function startService(config: Config, logger: Logger): Promise<RunningService> {
  const target = await prepareDatabase(config, logger);
  const telemetry = createTelemetry(config, logger, { databaseUrl: target.url });
  const db = createDatabase(target.url, config.pool, logger, telemetry.observer);
  const cleanup: Array<() => Promise<void>> = [];
  // Told at once when a shutdown begins, before the cleanup steps wait on anything.
  const stopping: Array<() => void> = [];
  // In-flight work gets three quarters of SHUTDOWN_TIMEOUT_MS; then what still runs is cancelled
  // (a statement blocked on a lock would otherwise hold the pool open), leaving the rest to close;
  // main.ts exits at the bound whatever is left.
  const graceMs = Math.floor((config.shutdownTimeoutMs * 3) / 4);
  const stopAll = async () => {
    for (const tell of stopping) tell();
    const cut = setTimeout(() => {
      const cancelled = db.cancelAll();
      logger.warn({ grace_ms: graceMs, cancelled }, 'shutdown grace over: cancelling running statements');
    }, graceMs);
    cut.unref();
    for (const step of cleanup.reverse()) {
      await step().catch((err: unknown) => logger.error({ err }, 'shutdown step failed'));
    }
    clearTimeout(cut);
  };
  cleanup.push(async () => target.embedded?.stop());
  cleanup.push(() => db.close());
  const readiness = createReadinessProbe(db, target.url, config.pool, await migrationFiles(), logger, telemetry.observer);
  cleanup.push(() => readiness.close());
  await readiness.warm();
  try {
    await registerEnumArrayTypes(db);
    const bootstrapToken = await bootstrapAdmin(db);
    const reportReads = startReportReplica(config, db, logger, telemetry);
    if (reportReads) cleanup.push(reportReads.close);
    const services = createServices(db, config, logger, reportReads?.reads);
    telemetry.attach(db, services.changes);
    cleanup.push(() => telemetry.stop());
    // Stopped after the HTTP server (cleanup runs in reverse), so webhook requests in flight finish first.
    const bot = config.telegram.token ? prepareBot(config, services, db, logger, telemetry.wrapJob) : undefined;
    if (bot) cleanup.push(() => bot.stop());
    // Stopped before the bot, so a backup finishing during shutdown can still tell the admins.
    const scheduler = new Scheduler(
      db,
      // pg_dump sets session parameters (search_path among them) that would leak into a pooler's shared sessions.
      [...maintenanceJobs(db), ...scheduledBackups(config, db, sessionUrl(config, target.url), logger, telemetry, bot)],
      logger,
      telemetry.wrapJob,
    );
    scheduler.start();
    stopping.push(() => scheduler.beginStop());
    cleanup.push(() => scheduler.stop());
    const live = await startLive(config.databaseListenUrl ?? target.url, db, services.console.board, logger, config.console.heartbeatSeconds * 1000);
    const assets = () => consoleAssets(config.console.assetsDir);
    assets().then(
      (a) => logger.info({ first_load_bytes: a.firstLoad }, 'console front end ready at /console/'),
      (err: unknown) =>
        logger.warn(
          { err },
          'console front end unavailable: set CONSOLE_ASSETS_DIR to a prebuilt one (npm run build:console), or install with optional packages (esbuild)',
        ),
    );
    const app = createHttpApp({
      services,
      expectedMigrations: await migrationFiles(),
      readiness: () => readiness.check(),
      before: telemetry.before,
      routers: telemetry.routers,
      logger,
      rateLimit: config.http.rateLimit,
      authCacheTtlMs: config.http.authCacheTtlMs,
      trustProxy: config.http.trustProxy,
      telegramWebhook: bot?.webhook,
      console: { live: live.hub, assets, loginLinkTtlSeconds: config.console.loginLinkTtlSeconds },
    });
    // Before listening: the first second of traffic must not pay for new sessions and first plans.
    // Every connection the pool may open, not only its minimum: the first burst of traffic grew the
    // pool to its maximum, and a dozen new sessions planning every statement at once kept PostgreSQL
    // busy for seconds (BENCHMARKS.md); those left idle close after PG_IDLE_TIMEOUT_MS.
    // PG_POOL_MIN=0: none, as the operator asked.
    const warmStarted = performance.now();
    await warmUp(db, config.pool.min > 0 ? config.pool.max : 0).then(
      () => logger.info({ duration_ms: Math.round(performance.now() - warmStarted) }, 'database connections warmed'),
      (err: unknown) => logger.warn({ err }, 'warming the database connections failed'),
    );
    // As many in flight as the pool has connections: each connection then runs each statement of the
    // request path a few times (its plans settled), not only the few a lower concurrency would use.
    const warmRequestsOpts = { count: config.http.warmUpRequests, budgetMs: REQUEST_WARM_UP_BUDGET_MS, concurrency: Math.min(config.pool.max, 50) };
    await warmRequests(app, db, warmRequestsOpts).then(
      (w) => w && logger.info({ requests: w.requests, duration_ms: w.durationMs, statuses: w.statuses }, 'request path warmed'),
      (err: unknown) => logger.warn({ err }, 'warming the request path failed'),
    );
    const http = await listen(app, config.http.port, config.http.host, config.http);
    // Connections are cut a little after the cancel, so a client still there hears 503 and Retry-After.
    cleanup.push(() => http.close(Math.floor((graceMs + config.shutdownTimeoutMs) / 2)));
    // Runs before the server closes (cleanup runs in reverse): open event streams would hold it.
    cleanup.push(() => live.stop());
    if (bot) await bot.start();
    else logger.info('Telegram bot is off: TELEGRAM_BOT_TOKEN is not set');
    return { services, db, http, telemetry, bot, bootstrapToken, stop: stopAll };
  } catch (err) {
    await stopAll();
    throw err;
  }
}

/**
 * Report and export reads on the streaming replica (REPORTS_DATABASE_URL),
 * over a small pool of its own: a down replica must fail fast (1 s) so the
 * read goes to the primary, and must never take the primary's connections.
 */
function startReportReplica(config: Config, primary: Database, logger: Logger, telemetry: Telemetry) {
  const { url, maxLagSeconds } = config.reportsReplica;
  if (!url) return undefined;
  const replica = createDatabase(
    url,
    { ...config.pool, pooler: 'direct', min: 0, max: Math.min(5, config.pool.max), waitMs: Math.min(1000, config.pool.waitMs) },
    logger,
    telemetry.observer,
    'repair-bot-reports',
  );
  const m = telemetry.metrics ? replicaMetrics(telemetry.metrics.registry) : undefined;
  const router = replicaReads(primary, replica, { maxLagSeconds, logger, onStatus: m?.onStatus, onRead: m?.onRead });
  // The lag metric follows the replica even when nobody reads reports.
  const timer = setInterval(() => void router.check(), 5000);
  timer.unref();
  void router.check().then((s) => logger.info({ lag_seconds: s.lagSeconds, usable: s.usable }, 'report replica checked'));
  return {
    reads: router.reads,
    close: async () => {
      clearInterval(timer);
      await replica.close();
    },
  };
}

/** Where work that needs a session of its own connects: past the transaction pooler when there is one. */
function sessionUrl(config: Config, url: string): string {
  return config.pool.pooler === 'pgbouncer' && config.databaseListenUrl ? config.databaseListenUrl : url;
}

/** The daily backup job when BACKUP_DIR is set; admins hear of it when the bot runs. */
function scheduledBackups(config: Config, db: Database, url: string, logger: Logger, telemetry: Telemetry, bot: BotRuntime | undefined): Job[] {
  if (!config.backup.enabled) return [];
  const m = telemetry.metrics;
  return backupJobs({
    db,
    databaseUrl: url,
    config: config.backup,
    timeZone: config.reports.timeZone,
    pgBinDir: config.pgBinDir,
    logger,
    notifier: bot?.telegram.notifier.backups,
    metrics: m ? { runs: m.backupRuns, lastSuccess: m.backupLastSuccess, lastSize: m.backupLastSize } : undefined,
  });
}
