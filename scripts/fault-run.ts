/**
 * A short fault run from a clean clone (npm run fault-run; .ci/run runs it):
 * PostgreSQL stopped immediately and restarted under a create load, a
 * request's backend terminated while it waits, and two instances racing
 * through Debian's PgBouncer; then the lifecycle throughput through
 * PgBouncer with two instances against one instance direct, in the same
 * run. Prints the figures and exits 1 when an acknowledged write was lost,
 * a create was duplicated, the process died, or a race had two winners.
 */
import pg from 'pg';
import { startPgBouncer } from '../test/stack/support/pgbouncer.ts';
import { eventually } from '../test/support/eventually.ts';
import { startPrivatePostgres } from '../test/support/private-postgres.ts';
import { startServiceProcess, type ServiceProcess } from '../test/support/service-process.ts';
import { createLoad, lifecycleThroughput } from './fault-run/load.ts';

const OUTAGE_MS = 3000;
const WORKERS = 8;
const THROUGHPUT_SECONDS = 10;
const log = (m: string) => console.log(`[fault-run] ${m}`);
const figures: Array<[string, string]> = [];
const problems: string[] = [];
const wait = (ms: number) => new Promise((r) => setTimeout(r, ms));
const up = (p: ServiceProcess) => p.child.exitCode === null && p.child.signalCode === null;

const pgServer = await startPrivatePostgres();
const processes: ServiceProcess[] = [];
const start = async (env: Record<string, string>) => {
  const p = await startServiceProcess({ PG_POOL_MIN: '0', LOG_LEVEL: 'info', ...env }, { listenTimeoutMs: 120_000 });
  processes.push(p);
  return p;
};
try {
  log('PostgreSQL immediate stop and restart under a create load');
  const direct = await start({ DATABASE_URL: pgServer.url, PG_LOCK_TIMEOUT_MS: '20000' });
  const token = direct.token!;
  const load = createLoad([direct.base], token, WORKERS);
  await wait(3000);
  const stoppedAt = Date.now();
  await pgServer.stopImmediately();
  await wait(OUTAGE_MS);
  await pgServer.restart();
  const backAt = Date.now();
  await eventually(
    () => {
      if (!load.successes.some((t) => t > backAt)) throw new Error('no create acknowledged since the restart');
    },
    { timeout: 60_000, what: 'the first create after the restart' },
  );
  await wait(2000);
  await load.stop();
  const firstSuccessAfter = Math.min(...load.successes.filter((t) => t > backAt));
  const lastSuccessBefore = Math.max(...load.successes.filter((t) => t < stoppedAt + 1000));
  const check = new pg.Client({ connectionString: pgServer.url });
  await check.connect();
  const stored = await check.query<{ id: number; description: string }>(`SELECT id::int AS id, description FROM orders WHERE description LIKE 'fault-run %'`);
  const storedIds = new Set(stored.rows.map((r) => r.id));
  const lost = load.acked.filter((a) => !storedIds.has(a.id)).length;
  const duplicates = stored.rowCount! - new Set(stored.rows.map((r) => r.description)).size;
  figures.push(
    ['outage (PostgreSQL down, stop to accepting again)', `${backAt - stoppedAt} ms`],
    ['service outage seen by clients (last ack before, first ack after)', `${firstSuccessAfter - lastSuccessBefore} ms`],
    ['recovery (PostgreSQL accepting to first acknowledged create)', `${firstSuccessAfter - backAt} ms`],
    ['creates acknowledged', String(load.acked.length)],
    ['requests failed during the outage (then retried with their key)', String(load.failures.length)],
    ['acknowledged writes lost', String(lost)],
    ['duplicates', String(duplicates)],
    ['process still up after the restart', up(direct) ? 'yes' : 'NO'],
  );
  if (lost > 0) problems.push(`${lost} acknowledged creates lost`);
  if (duplicates > 0) problems.push(`${duplicates} duplicate orders`);
  if (!up(direct)) problems.push('the process exited');

  log("a request's backend terminated while it waits on a row lock");
  const { id } = (await (
    await fetch(`${direct.base}/api/v1/orders`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ equipment_type: 'oven', description: 'Lock me', client_name: 'A', client_address: 'B', client_phone: '+79990001122' }),
    })
  ).json()) as { id: number };
  await check.query('BEGIN');
  await check.query('SELECT 1 FROM orders WHERE id = $1 FOR UPDATE', [id]);
  const answer = fetch(`${direct.base}/api/v1/orders/${id}/refuse`, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: JSON.stringify({ reason: 'Cut' }),
  });
  const waiting = await eventually(
    async () => {
      const r = await check.query<{ pid: number }>(`SELECT pid FROM pg_stat_activity WHERE application_name = 'repair-bot' AND wait_event_type = 'Lock'`);
      if (!r.rows[0]) throw new Error('no request waits on the lock yet');
      return r.rows[0].pid;
    },
    { timeout: 10_000, what: 'the request to wait on the row lock' },
  );
  const cutAt = Date.now();
  await check.query('SELECT pg_terminate_backend($1)', [waiting]);
  const cut = await answer;
  await check.query('ROLLBACK');
  const stillRefusable = await fetch(`${direct.base}/api/v1/orders/${id}`, { headers: { authorization: `Bearer ${token}` } });
  figures.push(
    ['terminated mid-request: answer', `${cut.status} (Retry-After ${cut.headers.get('retry-after') ?? 'none'}) in ${Date.now() - cutAt} ms`],
    ['terminated mid-request: process up, next request', `${up(direct) ? 'yes' : 'NO'}, ${stillRefusable.status}`],
  );
  if (cut.status !== 503 || !up(direct)) problems.push(`terminated backend: ${cut.status}, process ${up(direct) ? 'up' : 'down'}`);
  await check.end();

  log(`lifecycle throughput, one instance direct (${WORKERS} clients, ${THROUGHPUT_SECONDS} s)`);
  const one = await lifecycleThroughput([direct.base], token, WORKERS, THROUGHPUT_SECONDS);
  direct.kill();
  await direct.exited;

  log('two instances through PgBouncer (transaction pooling)');
  const bouncer = await startPgBouncer(pgServer.url, 10);
  try {
    const pooledEnv = { DATABASE_URL: bouncer.url, PG_POOLER: 'pgbouncer', DATABASE_LISTEN_URL: pgServer.url };
    const [a, b] = await Promise.all([start(pooledEnv), start(pooledEnv)]);
    const bases = [a.base, b.base];
    const ids: number[] = [];
    for (let i = 0; i < 20; i++) {
      const res = await fetch(`${a.base}/api/v1/orders`, {
        method: 'POST',
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
        body: JSON.stringify({ equipment_type: 'oven', description: `Race ${i}`, client_name: 'A', client_address: 'B', client_phone: '+79990001122' }),
      });
      ids.push(((await res.json()) as { id: number }).id);
    }
    const raced = await Promise.all(
      ids.flatMap((orderId) =>
        [...bases, ...bases].map(async (base) => ({
          orderId,
          status: (
            await fetch(`${base}/api/v1/orders/${orderId}/refuse`, {
              method: 'POST',
              headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
              body: JSON.stringify({ reason: 'Race' }),
            })
          ).status,
        })),
      ),
    );
    const oneWinner = ids.filter((orderId) => raced.filter((r) => r.orderId === orderId && r.status === 200).length === 1).length;
    const others = [...new Set(raced.filter((r) => r.status !== 200).map((r) => r.status))].join(', ');
    figures.push(['two instances through PgBouncer racing: orders with exactly one winner', `${oneWinner} of ${ids.length} (others: ${others})`]);
    if (oneWinner !== ids.length) problems.push(`${ids.length - oneWinner} raced orders without exactly one winner`);
    log(`lifecycle throughput, two instances through PgBouncer (${WORKERS} clients, ${THROUGHPUT_SECONDS} s)`);
    const two = await lifecycleThroughput(bases, token, WORKERS, THROUGHPUT_SECONDS);
    figures.push(
      ['lifecycles/s, one instance direct (create, refuse, reopen, refuse)', `${one.perSecond.toFixed(1)} (${one.failed} failed)`],
      ['lifecycles/s, two instances through PgBouncer', `${two.perSecond.toFixed(1)} (${two.failed} failed)`],
      ['processes up at the end', `${[a, b].filter(up).length} of 2`],
    );
    if (one.failed + two.failed > 0) problems.push(`${one.failed + two.failed} lifecycles failed`);
  } finally {
    for (const p of processes) p.kill();
    await bouncer.stop();
  }
} finally {
  for (const p of processes) p.kill();
  await Promise.all(processes.map((p) => p.exited));
  await pgServer.destroy();
}

const width = Math.max(...figures.map(([k]) => k.length));
console.log('\n== fault run figures');
for (const [k, v] of figures) console.log(`${k.padEnd(width)}  ${v}`);
if (problems.length > 0) {
  console.error(`\nfault run FAILED:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
  process.exit(1);
}
console.log('\nfault run passed');
