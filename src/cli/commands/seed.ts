import { createDatabase } from '../../db/pool.ts';
import { repairInterruptedSeed, seedDatabase, SEED_DEFAULTS, type SeedReport } from '../../seed/seed.ts';
import { parseOptions, positiveInteger } from '../args.ts';
import { UsageError, withCliContext } from '../context.ts';

export const usage = `seed --orders N [--masters M] [--seed S] [--time-zone TZ]
      bulk-generates N orders over three years with their status history and audit rows, plus
      ${SEED_DEFAULTS.masters} masters (--masters), dispatchers and admins; the same --seed gives the same data.
      Refuses when the database already has orders. Ctrl-C rolls back and restores the indexes.
  repair-bot seed --repair       rebuilds the indexes and keys an interrupted seed left dropped`;

const MAX_ORDERS = 20_000_000;

function timeZone(value: string): string {
  try {
    new Intl.DateTimeFormat('en', { timeZone: value });
  } catch {
    throw new UsageError(`--time-zone must be an IANA time zone such as Europe/Moscow, got "${value}"`);
  }
  return value;
}

function summary(r: SeedReport): string {
  const statuses = Object.entries(r.statuses)
    .sort((a, b) => b[1] - a[1])
    .map(([s, n]) => `${s} ${n}`)
    .join(', ');
  return [
    `seeded ${r.orders} orders with ${r.history} history rows and ${r.audit} audit rows, and ${r.users} staff`,
    `statuses: ${statuses}`,
    `took ${r.seconds.total} s: writing ${r.seconds.load} s, VACUUM ANALYZE, indexes and keys ${r.seconds.rebuild} s`,
  ].join('\n');
}

export async function run(args: string[]): Promise<void> {
  const o = parseOptions(args, {
    orders: { type: 'string' },
    masters: { type: 'string' },
    seed: { type: 'string' },
    'time-zone': { type: 'string' },
    repair: { type: 'boolean' },
  });
  const repairOnly = o.repair === true;
  if (repairOnly && (o.orders || o.masters || o.seed)) throw new UsageError('--repair takes no other options');
  if (!repairOnly && typeof o.orders !== 'string') throw new UsageError('--orders is required');
  const orders = repairOnly ? 0 : positiveInteger(o.orders as string, 'orders');
  if (orders > MAX_ORDERS) throw new UsageError(`--orders must be at most ${MAX_ORDERS}`);
  const masters = typeof o.masters === 'string' ? positiveInteger(o.masters, 'masters') : SEED_DEFAULTS.masters;
  if (masters > 10_000) throw new UsageError('--masters must be at most 10000');
  const seed = typeof o.seed === 'string' ? positiveInteger(o.seed, 'seed') : SEED_DEFAULTS.seed;
  const zone = typeof o['time-zone'] === 'string' ? timeZone(o['time-zone']) : SEED_DEFAULTS.timeZone;

  await withCliContext(async ({ config, logger, databaseUrl }) => {
    // Its own pool: index builds and VACUUM must not hit the service's statement timeout.
    const db = createDatabase(databaseUrl, { ...config.pool, min: 0, max: 5, statementTimeoutMs: 0 }, logger);
    const abort = new AbortController();
    const onSigint = () => {
      if (abort.signal.aborted) process.exit(130);
      process.stderr.write('interrupted: rolling back the load and restoring indexes and keys (Ctrl-C again to quit now)\n');
      abort.abort();
    };
    process.on('SIGINT', onSigint);
    try {
      if (repairOnly) {
        const repaired = await repairInterruptedSeed(db);
        process.stdout.write(repaired ? `repaired an interrupted seed: rebuilt ${repaired.repaired.join(', ') || 'nothing'}\n` : 'nothing to repair\n');
        return;
      }
      const report = await seedDatabase(
        db,
        { ...SEED_DEFAULTS, orders, masters, seed, timeZone: zone, commission: config.commission },
        { signal: abort.signal, onStep: (step, seconds) => process.stderr.write(`  ${step}: ${seconds} s\n`) },
      );
      process.stdout.write(`${summary(report)}\n`);
    } finally {
      process.removeListener('SIGINT', onSigint);
      await db.close();
    }
  });
}
