import { z } from 'zod';

/**
 * Everything the service reads from the environment, parsed once at start.
 * Each bad variable yields one line naming it; nothing else reads process.env.
 */
const integer = (min: number, max: number) => z.coerce.number().int().min(min).max(max);
const optionalText = z.string().trim().min(1).optional();
/** A local time of day, HH:MM, as minutes after midnight. */
const timeOfDay = z
  .string()
  .regex(/^([01]?\d|2[0-3]):[0-5]\d$/, 'must be a time of day like 22:00')
  .transform((v) => Number(v.split(':')[0]) * 60 + Number(v.split(':')[1]));

const schema = z.object({
  DATABASE_URL: z
    .string()
    .regex(/^postgres(ql)?:\/\//, 'must be a postgres:// or postgresql:// URL')
    .optional(),
  PORT: integer(0, 65535).default(3000),
  HOST: z.string().min(1).default('0.0.0.0'),
  RATE_LIMIT_PER_MINUTE: integer(0, 100_000_000).default(120_000),
  RATE_LIMIT_AUTH_FAILURES_PER_MINUTE: integer(0, 100_000_000).default(600),
  AUTH_CACHE_TTL_MS: integer(0, 60_000).default(5000),
  TRUST_PROXY: z
    .string()
    .trim()
    .regex(/^(false|true|\d{1,2}|[0-9A-Za-z.:/,\s]+)$/, 'must be false, true, a hop count, or addresses/subnets (loopback, 10.0.0.0/8, ...)')
    .default('false'),
  HTTP_HEADERS_TIMEOUT_MS: integer(1000, 600_000).default(10_000),
  HTTP_REQUEST_TIMEOUT_MS: integer(1000, 3_600_000).default(30_000),
  PG_POOL_MIN: integer(0, 1000).default(5),
  PG_POOL_MAX: integer(1, 1000).default(20),
  PG_STATEMENT_TIMEOUT_MS: integer(0, 3_600_000).default(30_000),
  PG_IDLE_TIMEOUT_MS: integer(0, 3_600_000).default(30_000),
  PG_STARTUP_TIMEOUT_MS: integer(0, 86_400_000).optional(),
  PG_POOL_WAIT_MS: integer(1, 600_000).default(2000),
  PG_POOL_QUEUE_MAX: integer(0, 100_000).default(200),
  PG_LOCK_TIMEOUT_MS: integer(0, 3_600_000).default(3000),
  PG_POOLER: z.enum(['direct', 'pgbouncer']).default('direct'),
  SHUTDOWN_TIMEOUT_MS: integer(1000, 3_600_000).default(15_000),
  SLOW_QUERY_MS: integer(1, 3_600_000).default(100),
  TELEGRAM_BOT_TOKEN: z
    .string()
    .regex(/^\d+:[A-Za-z0-9_-]{20,}$/, 'must look like 123456:ABC... (from @BotFather)')
    .optional(),
  TELEGRAM_API_ROOT: z.url({ protocol: /^https?$/ }).optional(),
  TELEGRAM_WEBHOOK_URL: z.url({ protocol: /^https$|^http$/ }).optional(),
  TELEGRAM_WEBHOOK_SECRET: z
    .string()
    .regex(/^[A-Za-z0-9_-]{1,256}$/, 'must be 1-256 characters of A-Z, a-z, 0-9, _ and -')
    .optional(),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).optional(),
  METRICS_ENABLED: z.stringbool().default(true),
  EMBEDDED_PG_DIR: z.string().min(1).default('./.data/postgres'),
  EMBEDDED_PG_PORT: integer(1, 65535).default(54329),
  COMMISSION_THRESHOLD: z
    .string()
    .regex(/^\d{1,10}(\.\d{1,2})?$/, 'must be a decimal amount like 7000 or 7000.00')
    .default('7000'),
  COMMISSION_RATE_LOW: integer(0, 100).default(40),
  COMMISSION_RATE_HIGH: integer(0, 100).default(50),
  COMMISSION_REVIEW_BONUS: integer(0, 100).default(10),
  COMMISSION_OUT_OF_CITY_BONUS: integer(0, 100).default(10),
  SUPPORT_CONTACT: optionalText,
  REPORT_TIMEZONE: z
    .string()
    .refine((tz) => {
      try {
        new Intl.DateTimeFormat('en', { timeZone: tz });
        return true;
      } catch {
        return false;
      }
    }, 'must be an IANA time zone like Europe/Moscow')
    .default('Europe/Moscow'),
  REPORT_HOUR: integer(0, 23).default(9),
  REMINDER_UNASSIGNED_AFTER_MIN: integer(0, 1440).default(15),
  REMINDER_UNASSIGNED_EVERY_MIN: integer(1, 1440).default(5),
  REMINDER_ACCEPT_AFTER_MIN: integer(0, 1440).default(15),
  REMINDER_ACCEPT_EVERY_MIN: integer(1, 1440).default(5),
  REMINDER_VISIT_BEFORE_MIN: integer(0, 2880).default(120),
  QUIET_HOURS_START: timeOfDay.default(22 * 60),
  QUIET_HOURS_END: timeOfDay.default(6 * 60),
  BACKUP_DIR: optionalText,
  BACKUP_HOUR: integer(0, 23).default(3),
  BACKUP_RETENTION_DAYS: integer(1, 3650).default(30),
  PG_BIN_DIR: optionalText,
  REPORTS_DATABASE_URL: z
    .string()
    .regex(/^postgres(ql)?:\/\//, 'must be a postgres:// or postgresql:// URL (a streaming replica of DATABASE_URL)')
    .optional(),
  REPORTS_REPLICA_MAX_LAG_SECONDS: integer(0, 86_400).default(30),
  DATABASE_LISTEN_URL: z
    .string()
    .regex(/^postgres(ql)?:\/\//, 'must be a postgres:// or postgresql:// URL (a direct session, not a transaction pooler)')
    .optional(),
  CONSOLE_PUBLIC_URL: z
    .url({ protocol: /^https?$/, message: 'must be the http(s) URL people open the service at, e.g. https://repair.example.com' })
    .optional(),
  CONSOLE_SESSION_TTL_HOURS: integer(1, 720).default(12),
  CONSOLE_LOGIN_LINK_TTL_SECONDS: integer(30, 86_400).default(600),
  CONSOLE_INIT_DATA_MAX_AGE_SECONDS: integer(30, 604_800).default(3600),
  CONSOLE_HEARTBEAT_SECONDS: integer(1, 300).default(15),
  CONSOLE_ASSETS_DIR: z.string().min(1).optional(),
});

type Env = z.output<typeof schema>;

/** Every variable the service reads (the README's configuration table lists each: test/config.test.ts). */
export const CONFIG_VARIABLES: readonly string[] = Object.keys(schema.shape);

/**
 * Rules across variables. They run on whatever variables parsed, even when
 * others did not, so one start reports every problem at once.
 */
function combinationProblems(env: Partial<Env>): string[] {
  const problems: string[] = [];
  if (env.PG_POOL_MIN !== undefined && env.PG_POOL_MAX !== undefined && env.PG_POOL_MIN > env.PG_POOL_MAX) {
    problems.push(`PG_POOL_MIN: must not exceed PG_POOL_MAX (${env.PG_POOL_MAX})`);
  }
  if (env.HTTP_HEADERS_TIMEOUT_MS !== undefined && env.HTTP_REQUEST_TIMEOUT_MS !== undefined && env.HTTP_HEADERS_TIMEOUT_MS > env.HTTP_REQUEST_TIMEOUT_MS) {
    problems.push(`HTTP_HEADERS_TIMEOUT_MS: must not exceed HTTP_REQUEST_TIMEOUT_MS (${env.HTTP_REQUEST_TIMEOUT_MS})`);
  }
  if (env.PG_POOLER === 'pgbouncer' && !env.DATABASE_LISTEN_URL) {
    problems.push('DATABASE_LISTEN_URL: is required when PG_POOLER=pgbouncer: LISTEN and migrations need a session of their own, a direct URL past the pooler');
  }
  if (env.TELEGRAM_WEBHOOK_URL && !env.TELEGRAM_WEBHOOK_SECRET) {
    problems.push('TELEGRAM_WEBHOOK_SECRET: is required when TELEGRAM_WEBHOOK_URL is set');
  }
  const { COMMISSION_RATE_LOW: low, COMMISSION_RATE_HIGH: high, COMMISSION_REVIEW_BONUS: review, COMMISSION_OUT_OF_CITY_BONUS: away } = env;
  if (low !== undefined && high !== undefined && review !== undefined && away !== undefined) {
    const maxRate = Math.max(low, high) + review + away;
    if (maxRate > 100) problems.push(`COMMISSION_RATE_HIGH: rate plus bonuses may reach ${maxRate}%, over 100%`);
  }
  return problems;
}

/** Each variable parsed on its own: those that are valid, for the rules across variables. */
function validVariables(cleaned: Record<string, unknown>): Partial<Env> {
  const valid: Record<string, unknown> = {};
  for (const [name, field] of Object.entries(schema.shape)) {
    const one = (field as z.ZodType).safeParse(cleaned[name]);
    if (one.success) valid[name] = one.data;
  }
  return valid;
}

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

export class ConfigError extends Error {
  readonly problems: string[];
  constructor(problems: string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
    this.problems = problems;
  }
}

/** TRUST_PROXY as express takes it: a boolean, a number of hops, or a list of addresses and subnets. */
function parseTrustProxy(value: string): boolean | number | string {
  if (value === 'false') return false;
  if (value === 'true') return true;
  return /^\d+$/.test(value) ? Number(value) : value;
}

/** Parses the environment; throws ConfigError with one line per bad variable. `defaults` differ per program (the CLI logs less). */
export function loadConfig(env: NodeJS.ProcessEnv = process.env, defaults: { logLevel?: Config['logLevel'] } = {}): Config {
  const cleaned = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined && v !== ''));
  const parsed = schema.safeParse(cleaned);
  const problems = [
    ...(parsed.success ? [] : parsed.error.issues.map((i) => `${i.path.join('.') || 'environment'}: ${i.message}`)),
    ...combinationProblems(parsed.success ? parsed.data : validVariables(cleaned)),
  ];
  if (!parsed.success || problems.length > 0) throw new ConfigError(problems);
  const e = parsed.data;
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
