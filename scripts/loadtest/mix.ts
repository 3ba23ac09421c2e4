import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import pg from 'pg';
import { prepareAccounts } from './accounts.ts';
import { cpuSeconds, serverCpuSeconds } from './cpu.ts';
import { resetStatements, topStatements } from './database.ts';
import { sampleOrderIds } from './floor/floor.sql.ts';
import { runK6 } from './k6.ts';
import { load } from './machine.ts';
import { writeMixPlot, type MixPoint } from './mix-plot.ts';
import { mixTable } from './mix-report.ts';
import { freePort, startFloor, startService, type ServiceProcess } from './processes.ts';
import { slowQueryLines } from './service-log.ts';
import { sampleWaits } from './waits.ts';

/**
 * `npm run loadtest -- mix`: the open-model mix (loadtest/mix.ts) against
 * the service and the bare floor (floor/floor-service.ts), both started
 * here over the same database, at each offered rate in turn. Per rate and
 * target: k6's latencies, dropped iterations, and the target process's CPU
 * time per request (from /proc, so it holds up when the machine is busy).
 * Writes mix.json, mix.md and the p95/p99-vs-rate plot (mix.svg, mix.png).
 */
export interface MixOptions {
  k6: string;
  databaseUrl: string;
  resultsDir: string;
  rates: number[];
  duration: string;
  /** Environment of the service (DATABASE_URL, LOG_LEVEL, ...). */
  env: NodeJS.ProcessEnv;
  cpuProf: boolean;
  /** Each target first takes the lowest rate for this long, unmeasured (JIT, caches), e.g. 15s. */
  warmup?: string;
  vars: Record<string, string>;
  log: (m: string) => void;
  /** The embedded server's data directory, when the harness runs it: its CPU per request is recorded too. */
  dataDir?: string;
}

/** How long both processes are watched with no load, for their background CPU. */
const IDLE_SECONDS = 10;

interface Metric {
  values: Record<string, number>;
}

function figuresOf(dir: string) {
  const summary = JSON.parse(readFileSync(path.join(dir, 'summary.json'), 'utf8')) as { metrics: Record<string, Metric>; state: { testRunDurationMs: number } };
  const m = summary.metrics;
  const d = m.http_req_duration?.values ?? {};
  const endpoints = Object.fromEntries(
    Object.keys(m)
      .filter((k) => k.startsWith('http_req_duration{name:'))
      .map((k) => [k.slice('http_req_duration{name:'.length, -1), { p95: m[k]!.values['p(95)'] ?? 0, p99: m[k]!.values['p(99)'] ?? 0 }]),
  );
  return {
    seconds: summary.state.testRunDurationMs / 1000,
    requests: m.http_reqs?.values.count ?? 0,
    served_rps: m.http_reqs?.values.rate ?? 0,
    p50: d.med ?? 0,
    p95: d['p(95)'] ?? 0,
    p99: d['p(99)'] ?? 0,
    failed: m.http_req_failed?.values.rate ?? 0,
    dropped: m.dropped_iterations?.values.count ?? 0,
    endpoints,
  };
}

async function sampleIds(databaseUrl: string, file: string): Promise<void> {
  const pool = new pg.Pool({ connectionString: databaseUrl, max: 1 });
  try {
    writeFileSync(file, JSON.stringify(await sampleOrderIds(pool, 5000)));
  } finally {
    await pool.end();
  }
}

export async function runMix(o: MixOptions): Promise<number> {
  const idsFile = path.join(o.resultsDir, 'ids.json');
  await sampleIds(o.databaseUrl, idsFile);
  const serviceLog = path.join(o.resultsDir, 'service.log');
  // Both profiled or neither: the profiler's own cost (about 0.1 s of CPU a second) then weighs on both alike.
  const profiled = (target: string) => (o.cpuProf ? ['--cpu-prof', `--cpu-prof-dir=${path.join(o.resultsDir, `profile-${target}`)}`] : []);
  const targets: Record<'service' | 'floor', ServiceProcess> = {
    service: await startService(o.env, serviceLog, await freePort(), profiled('service')),
    floor: await startFloor({ ...process.env, DATABASE_URL: o.databaseUrl }, path.join(o.resultsDir, 'floor.log'), await freePort(), profiled('floor')),
  };
  const points: MixPoint[] = [];
  let exitCode = 0;
  try {
    o.log('creating the dispatchers and their tokens...');
    const fixture = await prepareAccounts(o.databaseUrl, targets.service.baseUrl, { dispatchers: 4, masters: 2 });
    const fixtureFile = path.join(o.resultsDir, 'fixture.json');
    writeFileSync(fixtureFile, JSON.stringify(fixture, null, 2));
    const k6Vars = (target: string, rate: number, duration: string) => ({
      ...o.vars,
      RATE: String(rate),
      DURATION: duration,
      TARGET: target,
      BASE_URL: targets[target as keyof typeof targets].baseUrl,
      FIXTURE: fixtureFile,
      IDS: idsFile,
    });
    for (const target of o.warmup ? (['service', 'floor'] as const) : []) {
      o.log(`warm-up: the ${target} at ${o.rates[0]}/s for ${o.warmup}, not measured`);
      const dir = path.join(o.resultsDir, `warmup-${target}`);
      mkdirSync(dir, { recursive: true });
      await runK6(o.k6, { script: path.resolve('loadtest/mix.ts'), resultsDir: dir, vars: k6Vars(target, o.rates[0]!, o.warmup!) });
    }
    // What each process burns with no request at all (timers, gauges, GC): subtracted from a run's
    // CPU, so a low rate's figure is the requests' cost, not the background's spread over few requests.
    const idleStart = { service: cpuSeconds(targets.service.pid), floor: cpuSeconds(targets.floor.pid) };
    await new Promise((r) => setTimeout(r, IDLE_SECONDS * 1000));
    const idlePerSecond = {
      service: (cpuSeconds(targets.service.pid) - idleStart.service) / IDLE_SECONDS,
      floor: (cpuSeconds(targets.floor.pid) - idleStart.floor) / IDLE_SECONDS,
    };
    o.log(`idle CPU: service ${(idlePerSecond.service * 1000).toFixed(1)} ms/s, floor ${(idlePerSecond.floor * 1000).toFixed(1)} ms/s`);
    for (const [i, rate] of o.rates.entries()) {
      // Alternate which target goes first, so drift over the run (caches, autovacuum, others' load) hits both alike.
      const order = i % 2 === 0 ? (['service', 'floor'] as const) : (['floor', 'service'] as const);
      for (const target of order) {
        const dir = path.join(o.resultsDir, `${target}-${rate}`);
        mkdirSync(dir, { recursive: true });
        const { pid } = targets[target];
        const loadBefore = load();
        o.log(`mix at ${rate}/s against the ${target} for ${o.duration}; ${loadBefore}`);
        await resetStatements(o.databaseUrl);
        const loadStarted = new Date();
        const cpuBefore = cpuSeconds(pid);
        const pgCpuBefore = o.dataDir ? serverCpuSeconds(o.dataDir) : 0;
        const waits = await sampleWaits(o.databaseUrl);
        const code = await runK6(o.k6, {
          script: path.resolve('loadtest/mix.ts'),
          resultsDir: dir,
          vars: k6Vars(target, rate, o.duration),
        });
        const cpu = cpuSeconds(pid) - cpuBefore;
        const pgCpu = o.dataDir ? serverCpuSeconds(o.dataDir) - pgCpuBefore : undefined;
        writeFileSync(path.join(dir, 'waits.txt'), await waits.stop());
        // What each target asked of PostgreSQL (statements per request, search's plans' cost).
        writeFileSync(path.join(dir, 'pg_stat_statements.txt'), await topStatements(o.databaseUrl));
        // 99: thresholds crossed, which a sweep past saturation expects; anything else is a broken run.
        if (code !== 0 && code !== 99) exitCode = code;
        const f = figuresOf(dir);
        // #18's cold start: none in the service's first second under load (its first round, with no warm-up).
        const slow = target === 'service' ? slowQueryLines(serviceLog, loadStarted) : undefined;
        const perRequest = (seconds: number) => (f.requests > 0 ? (seconds * 1000) / f.requests : 0);
        const cpuMsPerRequest = perRequest(cpu);
        const netMsPerRequest = perRequest(Math.max(0, cpu - idlePerSecond[target] * f.seconds));
        points.push({
          target,
          rate,
          ...f,
          cpu_seconds: cpu,
          cpu_ms_per_request: cpuMsPerRequest,
          idle_cpu_ms_per_second: idlePerSecond[target] * 1000,
          net_cpu_ms_per_request: netMsPerRequest,
          ...(pgCpu === undefined ? {} : { pg_cpu_ms_per_request: perRequest(pgCpu) }),
          load_before: loadBefore,
          load_after: load(),
          ...(slow ? { slow_query_lines: slow } : {}),
        });
        o.log(
          `${target} ${rate}/s: p95 ${f.p95.toFixed(1)} ms, p99 ${f.p99.toFixed(1)} ms, dropped ${f.dropped}, CPU ${cpuMsPerRequest.toFixed(3)} ms/request (${netMsPerRequest.toFixed(3)} above idle)` +
            (pgCpu === undefined ? '' : `, PostgreSQL ${perRequest(pgCpu).toFixed(3)} ms/request`) +
            (slow ? `, slow-query lines ${JSON.stringify(slow)}` : ''),
        );
      }
    }
  } finally {
    await Promise.all(Object.values(targets).map((t) => t.stop()));
  }
  writeFileSync(path.join(o.resultsDir, 'mix.json'), JSON.stringify(points, null, 2));
  const first = points.find((p) => p.target === 'service');
  const report =
    mixTable(points) +
    (first
      ? `\nThe service's first measured round (${first.rate}/s, ${o.warmup ? `after a ${o.warmup} warm-up` : 'no warm-up'}): ` +
        `${first.dropped} dropped iterations, slow-query lines ${JSON.stringify(first.slow_query_lines)}.\n`
      : '');
  writeFileSync(path.join(o.resultsDir, 'mix.md'), report);
  await writeMixPlot(points, o.resultsDir);
  process.stderr.write(report);
  return exitCode;
}
