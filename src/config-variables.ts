import { z } from 'zod';

/**
 * The environment variables the service reads: each one's type, range and
 * default, and the rules across them. A bad environment is reported whole,
 * one line per problem, naming the variable. config.ts turns the result
 * into the Config the program receives.
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
  WARM_UP_REQUESTS: integer(0, 100_000).default(2000),
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

export type Env = z.output<typeof schema>;

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

export class ConfigError extends Error {
  readonly problems: string[];
  constructor(problems: string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
    this.problems = problems;
  }
}

/** The environment's variables, parsed; throws ConfigError listing every problem at once. */
export function readEnvironment(env: NodeJS.ProcessEnv): Env {
  const cleaned = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined && v !== ''));
  const parsed = schema.safeParse(cleaned);
  const problems = [
    ...(parsed.success ? [] : parsed.error.issues.map((i) => `${i.path.join('.') || 'environment'}: ${i.message}`)),
    ...combinationProblems(parsed.success ? parsed.data : validVariables(cleaned)),
  ];
  if (!parsed.success || problems.length > 0) throw new ConfigError(problems);
  return parsed.data;
}
