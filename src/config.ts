import { readEnvironment, type Env } from './config-variables.ts';

/**
 * What the program is configured with, read once at start from the
 * environment (config-variables.ts declares and checks each variable);
 * nothing else reads process.env.
 */
export { CONFIG_VARIABLES, ConfigError } from './config-variables.ts';

export interface Config {
  databaseUrl: string | undefined;
  http: {
    port: number;
    host: string;
    /** Per minute: requests per token (or IP), failed authentications per IP; 0 = off. */
    rateLimit: { perMinute: number; authFailuresPerMinute: number };
    /** How long a token's principal is cached (revocation takes effect within it). */
    authCacheTtlMs: number;
    /** express's 'trust proxy': which proxies' X-Forwarded-For gives the client address. */
    trustProxy: boolean | number | string;
    /** A request's headers, and the whole request with its body, must arrive within these (else 408). */
    headersTimeoutMs: number;
    requestTimeoutMs: number;
    /** The API's hot requests sent through the app before it listens (0 = none): V8 compiles the request path then, not under the first traffic. */
    warmUpRequests: number;
  };
  pool: {
    min: number;
    max: number;
    statementTimeoutMs: number;
    idleTimeoutMs: number;
    /** How long a caller waits for a connection before a 503. */
    waitMs: number;
    /** Callers allowed to wait at once; past it a request fails at once with 503. */
    queueMax: number;
    /** How long a statement waits for a row or table lock (0 = forever). */
    lockTimeoutMs: number;
    /** 'pgbouncer': DATABASE_URL is a transaction pooler (no named statements, settings per transaction). */
    pooler: 'direct' | 'pgbouncer';
  };
  /** SIGTERM to exit, at most: in-flight work gets three quarters of it, then running statements are cancelled. */
  shutdownTimeoutMs: number;
  /** How long to keep retrying an unreachable database at start; undefined = until it answers, 0 = fail at once. */
  startupTimeoutMs: number | undefined;
  slowQueryMs: number;
  telegram: {
    token: string | undefined;
    apiRoot: string | undefined;
    webhookUrl: string | undefined;
    webhookSecret: string | undefined;
  };
  logLevel: NonNullable<Env['LOG_LEVEL']>;
  metricsEnabled: boolean;
  embeddedPg: { dir: string; port: number };
  commission: {
    /** Net amount (decimal string) from which the high rate applies. */
    threshold: string;
    rateLow: number;
    rateHigh: number;
    reviewBonus: number;
    outOfCityBonus: number;
  };
  supportContact: string;
  /** Periodic reports: the business's time zone and the local hour they are sent. */
  reports: { timeZone: string; hour: number };
  reminders: ReminderConfig;
  backup: BackupConfig;
  /** Where pg_dump and pg_restore are, when set; otherwise they are looked for. */
  pgBinDir: string | undefined;
  /** Report and export reads go to this streaming replica while it is up and at most `maxLagSeconds` behind; else to the primary. */
  reportsReplica: { url: string | undefined; maxLagSeconds: number };
  /** LISTEN needs a session of its own: a direct URL where DATABASE_URL points at a transaction pooler. */
  databaseListenUrl: string | undefined;
  console: ConsoleSettings;
}

/** A repeating reminder: first after `afterMinutes` (0 = off), then every `everyMinutes`. */
interface RepeatConfig {
  afterMinutes: number;
  everyMinutes: number;
}

export interface ReminderConfig {
  unassigned: RepeatConfig;
  accept: RepeatConfig;
  /** How long before the visit the master is reminded (0 = off). */
  visitBeforeMinutes: number;
  /** Local minutes after midnight (REPORT_TIMEZONE); equal start and end = no quiet hours. */
  quietHours: { startMinute: number; endMinute: number };
}

export interface BackupConfig {
  /** BACKUP_DIR: setting it turns the daily backup on; `repair-bot backup` works either way. */
  enabled: boolean;
  /** Where backups go (without BACKUP_DIR, `repair-bot backup` writes to ./.data/backups). */
  dir: string;
  /** Local hour (REPORT_TIMEZONE) from which the day's backup is due. */
  hour: number;
  retentionDays: number;
}

/** The dispatcher console (src/console): its public address, session and login-link lifetimes. */
export interface ConsoleSettings {
  /** Origin people open the service at: login links and the Mini App button. Default: TELEGRAM_WEBHOOK_URL's origin. */
  publicUrl: string | undefined;
  sessionTtlSeconds: number;
  loginLinkTtlSeconds: number;
  initDataMaxAgeSeconds: number;
  heartbeatSeconds: number;
  /** Prebuilt front end (the Docker image); built in memory at start when absent. */
  assetsDir: string | undefined;
}

/** TRUST_PROXY as express takes it: a boolean, a number of hops, or a list of addresses and subnets. */
function parseTrustProxy(value: string): boolean | number | string {
  if (value === 'false') return false;
  if (value === 'true') return true;
  return /^\d+$/.test(value) ? Number(value) : value;
}

/** Parses the environment; throws ConfigError with one line per bad variable. `defaults` differ per program (the CLI logs less). */
export function loadConfig(env: NodeJS.ProcessEnv = process.env, defaults: { logLevel?: Config['logLevel'] } = {}): Config {
  const e = readEnvironment(env);
  return {
    databaseUrl: e.DATABASE_URL,
    http: {
      port: e.PORT,
      host: e.HOST,
      rateLimit: { perMinute: e.RATE_LIMIT_PER_MINUTE, authFailuresPerMinute: e.RATE_LIMIT_AUTH_FAILURES_PER_MINUTE },
      authCacheTtlMs: e.AUTH_CACHE_TTL_MS,
      trustProxy: parseTrustProxy(e.TRUST_PROXY),
      headersTimeoutMs: e.HTTP_HEADERS_TIMEOUT_MS,
      requestTimeoutMs: e.HTTP_REQUEST_TIMEOUT_MS,
      warmUpRequests: e.WARM_UP_REQUESTS,
    },
    pool: {
      min: e.PG_POOL_MIN,
      max: e.PG_POOL_MAX,
      statementTimeoutMs: e.PG_STATEMENT_TIMEOUT_MS,
      idleTimeoutMs: e.PG_IDLE_TIMEOUT_MS,
      waitMs: e.PG_POOL_WAIT_MS,
      queueMax: e.PG_POOL_QUEUE_MAX,
      lockTimeoutMs: e.PG_LOCK_TIMEOUT_MS,
      pooler: e.PG_POOLER,
    },
    shutdownTimeoutMs: e.SHUTDOWN_TIMEOUT_MS,
    startupTimeoutMs: e.PG_STARTUP_TIMEOUT_MS,
    slowQueryMs: e.SLOW_QUERY_MS,
    telegram: {
      token: e.TELEGRAM_BOT_TOKEN,
      apiRoot: e.TELEGRAM_API_ROOT,
      webhookUrl: e.TELEGRAM_WEBHOOK_URL,
      webhookSecret: e.TELEGRAM_WEBHOOK_SECRET,
    },
    logLevel: e.LOG_LEVEL ?? defaults.logLevel ?? 'info',
    metricsEnabled: e.METRICS_ENABLED,
    embeddedPg: { dir: e.EMBEDDED_PG_DIR, port: e.EMBEDDED_PG_PORT },
    commission: {
      threshold: e.COMMISSION_THRESHOLD,
      rateLow: e.COMMISSION_RATE_LOW,
      rateHigh: e.COMMISSION_RATE_HIGH,
      reviewBonus: e.COMMISSION_REVIEW_BONUS,
      outOfCityBonus: e.COMMISSION_OUT_OF_CITY_BONUS,
    },
    supportContact: e.SUPPORT_CONTACT ?? 'Repair service: write to the dispatcher of your city.',
    reports: { timeZone: e.REPORT_TIMEZONE, hour: e.REPORT_HOUR },
    reminders: {
      unassigned: { afterMinutes: e.REMINDER_UNASSIGNED_AFTER_MIN, everyMinutes: e.REMINDER_UNASSIGNED_EVERY_MIN },
      accept: { afterMinutes: e.REMINDER_ACCEPT_AFTER_MIN, everyMinutes: e.REMINDER_ACCEPT_EVERY_MIN },
      visitBeforeMinutes: e.REMINDER_VISIT_BEFORE_MIN,
      quietHours: { startMinute: e.QUIET_HOURS_START, endMinute: e.QUIET_HOURS_END },
    },
    backup: { enabled: e.BACKUP_DIR !== undefined, dir: e.BACKUP_DIR ?? './.data/backups', hour: e.BACKUP_HOUR, retentionDays: e.BACKUP_RETENTION_DAYS },
    pgBinDir: e.PG_BIN_DIR,
    databaseListenUrl: e.DATABASE_LISTEN_URL,
    reportsReplica: { url: e.REPORTS_DATABASE_URL, maxLagSeconds: e.REPORTS_REPLICA_MAX_LAG_SECONDS },
    console: {
      publicUrl: (e.CONSOLE_PUBLIC_URL ?? (e.TELEGRAM_WEBHOOK_URL ? new URL(e.TELEGRAM_WEBHOOK_URL).origin : undefined))?.replace(/\/+$/, ''),
      sessionTtlSeconds: e.CONSOLE_SESSION_TTL_HOURS * 3600,
      loginLinkTtlSeconds: e.CONSOLE_LOGIN_LINK_TTL_SECONDS,
      initDataMaxAgeSeconds: e.CONSOLE_INIT_DATA_MAX_AGE_SECONDS,
      heartbeatSeconds: e.CONSOLE_HEARTBEAT_SECONDS,
      assetsDir: e.CONSOLE_ASSETS_DIR,
    },
  };
}
