// `npm run loadtest -- SCENARIO [options]`: prepares what a k6 scenario needs,
// runs it, and leaves report.html + summary.json under loadtest/results/.
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { prepareAccounts, type Fixture } from './loadtest/accounts.ts';
import { prepareRunDatabase, prewarmOrders, resetStatements, startDatabase, topStatements } from './loadtest/database.ts';
import { findK6, K6_MISSING, k6Version, runK6 } from './loadtest/k6.ts';
import { load, machine, postgresVersion } from './loadtest/machine.ts';
import { runMix } from './loadtest/mix.ts';
import { runPgbench } from './loadtest/pgbench.ts';
import { freePort, startService, type ServiceProcess } from './loadtest/processes.ts';
import { slowQueryLines } from './loadtest/service-log.ts';
import { startTelegram, type TelegramSide } from './loadtest/telegram.ts';
import { sampleWaits } from './loadtest/waits.ts';

/** Requests/s of each round from its summary, the mean per mode, and the cost of instrumentation. */
function compareModes(rounds: Array<{ mode: string; dir: string }>): Record<string, unknown> {
  const rates = rounds.map((r) => {
    const summary = JSON.parse(readFileSync(path.join(r.dir, 'summary.json'), 'utf8')) as { metrics: Record<string, { values: Record<string, number> }> };
    return { mode: r.mode, rps: summary.metrics.http_reqs?.values.rate ?? 0, p95: summary.metrics.http_req_duration?.values['p(95)'] ?? 0 };
  });
  const mean = (mode: string) => {
    const of = rates.filter((r) => r.mode === mode);
    return of.reduce((sum, r) => sum + r.rps, 0) / of.length;
  };
  const on = mean('on');
  const off = mean('off');
  const cost = off > 0 ? (1 - on / off) * 100 : 0;
  log(`throughput: instrumentation on ${on.toFixed(1)} req/s, off ${off.toFixed(1)} req/s; on/off = ${(on / off).toFixed(3)} (cost ${cost.toFixed(1)}%)`);
  for (const r of rates) log(`  ${r.mode}: ${r.rps.toFixed(1)} req/s, p95 ${r.p95.toFixed(1)} ms`);
  return { rounds: rates, on_rps: on, off_rps: off, ratio: on / off, cost_percent: cost };
}

const SCENARIOS = ['smoke', 'lifecycle', 'telegram', 'reports', 'stress', 'spike', 'soak', 'pages', 'throughput', 'mix', 'telegram-rate', 'search'];
const USAGE = `usage: npm run loadtest -- SCENARIO [options]
  scenarios: ${SCENARIOS.join(', ')}
  --seed N              clone a database seeded with N orders (seeded once per data dir, then reused)
  --rate R              target requests/s (lifecycle, soak; stress and spike scale from it)
  --rates R1,R2,...     offered rates of the mix, each run against the service and the bare floor (default 300,400,500,600)
  --duration D          k6 duration, e.g. 90s, 5m (lifecycle, reports, pages, throughput, soak)
  --vus N               closed-loop VUs (throughput)
  --instrumentation on|off|both   traces+metrics on (default), off, or both alternately in one run
  --rounds N            with --instrumentation both: on/off pairs (default 2)
  --warmup D            first run the scenario for D unmeasured (its results in warmup/), e.g. 15s; 0s: none
  --prewarm             read orders and its indexes into the OS cache first (steady state on a database larger than a copy keeps cached)
  --pgbench             run pgbench on the same PostgreSQL first, as the reference
  --cpu-prof            profile the service (node --cpu-prof; .cpuprofile in the results); the mix: the floor too
  --data-dir DIR        embedded PostgreSQL data dir (default .data/loadtest with --seed, else a temp dir)
  --dispatchers N --masters N     accounts to act as (default 4 and 20)
  --instances N         service instances started side by side (telegram-rate: updates go round-robin)
  -e KEY=VALUE          passed to the k6 script (e.g. -e P95_MS=10 -e P99_MS=25 -e ABORT=true)
BASE_URL=http://host:port runs against a running service instead; its DATABASE_URL
(or FIXTURE=path of a fixture file) is then needed to create the accounts.`;

const { values: o, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    seed: { type: 'string' },
    rate: { type: 'string' },
    rates: { type: 'string', default: '300,400,500,600' },
    duration: { type: 'string' },
    vus: { type: 'string' },
    warmup: { type: 'string' },
    instrumentation: { type: 'string', default: 'on' },
    rounds: { type: 'string', default: '2' },
    pgbench: { type: 'boolean', default: false },
    prewarm: { type: 'boolean', default: false },
    'cpu-prof': { type: 'boolean', default: false },
    'data-dir': { type: 'string' },
    dispatchers: { type: 'string', default: '4' },
    masters: { type: 'string', default: '20' },
    instances: { type: 'string', default: '1' },
    env: { type: 'string', short: 'e', multiple: true, default: [] },
    help: { type: 'boolean', short: 'h' },
  },
});
const scenario = positionals[0] ?? '';
// `--warmup 0s` says "none" (a cold start measured as it is), as leaving it out does.
const warmup = o.warmup && !/^0+(\.0*)?[a-z]*$/.test(o.warmup) ? o.warmup : undefined;
if (o.help || !SCENARIOS.includes(scenario)) {
  process.stderr.write(`${scenario ? `unknown scenario "${scenario}"\n` : ''}${USAGE}\n`);
  process.exit(o.help ? 0 : 2);
}
if (!['on', 'off', 'both'].includes(o.instrumentation)) throw new Error('--instrumentation must be on, off or both');
const k6 = findK6();
if (!k6) {
  process.stderr.write(`${K6_MISSING}\n`);
  process.exit(3);
}

const log = (m: string) => process.stderr.write(`[loadtest] ${m}\n`);
const stamp = new Date().toISOString().replace(/[-:]/g, '').replace(/\..+/, '').replace('T', '-');
const resultsDir = path.resolve('loadtest/results', `${scenario}-${stamp}`);
mkdirSync(resultsDir, { recursive: true });
const vars: Record<string, string> = {};
for (const [k, v] of [
  ['RATE', o.rate],
  ['DURATION', o.duration],
  ['VUS', o.vus],
] as const)
  if (v) vars[k] = v;
for (const kv of o.env) {
  const i = kv.indexOf('=');
  if (i < 1) throw new Error(`-e wants KEY=VALUE, got "${kv}"`);
  vars[kv.slice(0, i)] = kv.slice(i + 1);
}
// Both: on/off pairs in ABBA order (on, off, off, on, ...) so drift over the run hits both alike.
// The mix runs its own rounds (rates x service and floor, runMix) instead.
const modes =
  scenario === 'mix'
    ? []
    : o.instrumentation === 'both'
      ? Array.from({ length: Number(o.rounds) }, (_v, i) => (i % 2 === 0 ? ['on', 'off'] : ['off', 'on'])).flat()
      : [o.instrumentation];
const run: Record<string, unknown> = {
  scenario,
  argv: process.argv.slice(2),
  started: new Date().toISOString(),
  // The code measured: figures in BENCHMARKS.md name it.
  commit: execFileSync('git', ['describe', '--always', '--dirty'], { encoding: 'utf8' }).trim(),
  machine: { ...machine(), k6: k6Version(k6) },
  rounds: [] as unknown[],
};
const cleanup: Array<() => Promise<void>> = [];
let exitCode = 0;

try {
  const external = process.env.BASE_URL;
  if (external && o.instrumentation === 'both') throw new Error('--instrumentation both needs the harness to start the service (unset BASE_URL)');
  const seed = o.seed ? Number(o.seed) : undefined;
  const dataDir = path.resolve(o['data-dir'] ?? (seed ? '.data/loadtest' : mkdtempSync(path.join(tmpdir(), 'loadtest-pg-'))));
  if (!o['data-dir'] && !seed) cleanup.push(async () => rmSync(dataDir, { recursive: true, force: true }));
  const server = external ? undefined : await startDatabase(dataDir);
  if (server) cleanup.push(() => server.stop());
  let databaseUrl = server ? await prepareRunDatabase(server, seed, log) : process.env.DATABASE_URL;
  if (databaseUrl) (run.machine as Record<string, unknown>).postgresql = await postgresVersion(databaseUrl);
  if (databaseUrl && o.prewarm) {
    const warmed = await prewarmOrders(databaseUrl);
    run.prewarm = warmed;
    log(`prewarm: read ${warmed.relations} relations of orders, ${(warmed.bytes / 2 ** 30).toFixed(1)} GiB, in ${(warmed.ms / 1000).toFixed(1)} s`);
  }
  if (server && o.pgbench) {
    run.pgbench_load_before = load();
    await runPgbench(server, path.join(resultsDir, 'pgbench.txt'), log);
  }
  const telegram: TelegramSide | undefined = scenario.startsWith('telegram') ? await startTelegram() : undefined;
  if (telegram) cleanup.push(() => telegram.stop());

  let fixture: Fixture | undefined = process.env.FIXTURE ? (JSON.parse(readFileSync(process.env.FIXTURE, 'utf8')) as Fixture) : undefined;
  const fixtureFile = process.env.FIXTURE ?? path.join(resultsDir, 'fixture.json');
  for (const [i, mode] of modes.entries()) {
    const dir = modes.length > 1 ? path.join(resultsDir, `${i + 1}-instrumentation-${mode}`) : resultsDir;
    mkdirSync(dir, { recursive: true });
    const services: ServiceProcess[] = [];
    if (server && i > 0) {
      // Every round starts from the same database (the previous one wrote orders), with accounts made anew.
      databaseUrl = await prepareRunDatabase(server, seed, log);
      fixture = undefined;
    }
    for (let n = 1; !external && n <= Number(o.instances); n++) {
      const port = await freePort();
      const env: NodeJS.ProcessEnv = { ...process.env, DATABASE_URL: databaseUrl, LOG_LEVEL: process.env.LOG_LEVEL ?? 'info', ...telegram?.serviceEnv(port) };
      if (mode === 'off') Object.assign(env, { OTEL_SDK_DISABLED: 'true', METRICS_ENABLED: 'false' });
      const logFile = path.join(dir, n === 1 ? 'service.log' : `service-${n}.log`);
      services.push(await startService(env, logFile, port, o['cpu-prof'] ? ['--cpu-prof', `--cpu-prof-dir=${dir}`] : []));
    }
    const baseUrl = external ?? services[0]!.baseUrl;
    if (services.length > 1) vars.URLS = services.map((s) => s.baseUrl).join(',');
    try {
      if (!fixture) {
        if (!databaseUrl) throw new Error('BASE_URL is set but neither DATABASE_URL nor FIXTURE: the accounts cannot be created');
        log('creating the admin, dispatchers and masters with their tokens...');
        // The telegram scenario gives each VU a dispatcher and a master of its own (their chats hold dialogue state);
        // telegram-rate spreads its updates over 100 of each, so one chat's updates rarely wait for each other.
        const pairs = scenario === 'telegram' ? Number(vars.VUS ?? 10) : scenario === 'telegram-rate' ? 100 : 0;
        fixture = await prepareAccounts(databaseUrl, baseUrl, {
          dispatchers: Math.max(Number(o.dispatchers), pairs),
          masters: Math.max(Number(o.masters), pairs),
        });
        if (telegram) fixture.telegram = telegram.fixture;
        writeFileSync(fixtureFile, JSON.stringify(fixture, null, 2));
      }
      const script = path.resolve('loadtest', `${scenario}.ts`);
      if (warmup) {
        // A service just started has cold caches, an empty pool and unoptimised code: steady state is what is measured.
        log(`warm-up: ${scenario} for ${warmup}, not measured`);
        const warmupDir = path.join(dir, 'warmup');
        mkdirSync(warmupDir, { recursive: true });
        // telegram-rate holds its rates for HOLD: the warm-up is one low rate for that long.
        const length: Record<string, string> = scenario === 'telegram-rate' ? { RATES: '20', HOLD: warmup } : { DURATION: warmup };
        await runK6(k6, { script, resultsDir: warmupDir, vars: { ...vars, ...length, BASE_URL: baseUrl, FIXTURE: fixtureFile } });
      }
      if (databaseUrl && server) await resetStatements(databaseUrl);
      const loadBefore = load();
      const loadStarted = new Date();
      log(`k6 ${scenario} (instrumentation ${mode}) against ${baseUrl}; ${loadBefore}`);
      const waits = databaseUrl && server ? await sampleWaits(databaseUrl) : undefined;
      const code = await runK6(k6, { script, resultsDir: dir, vars: { ...vars, BASE_URL: baseUrl, FIXTURE: fixtureFile } });
      if (waits) writeFileSync(path.join(dir, 'waits.txt'), await waits.stop());
      const round = {
        ...{ mode, dir, exit_code: code, load_before: loadBefore, load_after: load(), instances: services.length, bot_api_calls: telegram?.stats() },
        slow_query_lines: external ? undefined : slowQueryLines(path.join(dir, 'service.log'), loadStarted),
      };
      if (round.slow_query_lines) log(`slow-query lines: ${JSON.stringify(round.slow_query_lines)}`);
      (run.rounds as unknown[]).push(round);
      if (code !== 0) exitCode = code;
      if (databaseUrl && server) writeFileSync(path.join(dir, 'pg_stat_statements.txt'), await topStatements(databaseUrl));
    } finally {
      for (const s of services) await s.stop();
    }
  }
  if (scenario === 'mix') {
    if (!server || !databaseUrl) throw new Error('the mix starts the service and the floor itself: unset BASE_URL');
    const env = { ...process.env, DATABASE_URL: databaseUrl, LOG_LEVEL: process.env.LOG_LEVEL ?? 'info' };
    if (o.instrumentation === 'off') Object.assign(env, { OTEL_SDK_DISABLED: 'true', METRICS_ENABLED: 'false' });
    const rates = o.rates.split(',').map(Number);
    run.mix_load_before = load();
    exitCode = await runMix({
      ...{ k6, databaseUrl, resultsDir, rates, duration: o.duration ?? '30s', env, cpuProf: o['cpu-prof'], warmup, vars, log },
      dataDir: server ? dataDir : undefined,
    });
  }
  if (modes.length > 1) run.instrumentation = compareModes(run.rounds as Array<{ mode: string; dir: string }>);
} catch (err) {
  log(`failed: ${(err as Error).message}`);
  exitCode = exitCode || 1;
} finally {
  for (const step of cleanup.reverse()) await step().catch((err: unknown) => log(`cleanup: ${(err as Error).message}`));
  run.finished = new Date().toISOString();
  writeFileSync(path.join(resultsDir, 'run.json'), JSON.stringify(run, null, 2));
  log(`results: ${path.relative(process.cwd(), resultsDir)} (report.html, summary.json, run.json)`);
}
process.exit(exitCode);
