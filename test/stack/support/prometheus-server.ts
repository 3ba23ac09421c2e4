import { spawn, type ChildProcess } from 'node:child_process';
import { eventually, StopWaiting } from '../../support/eventually.ts';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { stringify } from 'yaml';
import { expect } from 'vitest';
import { readYaml, repoPath } from './files.ts';
import { RULE_FILES } from './rules.ts';
import { freePort } from '../../../scripts/lib/free-port.ts';

export { freePort };

interface ScrapeConfig {
  job_name: string;
  static_configs: Array<{ targets: string[] }>;
  [key: string]: unknown;
}

/**
 * prometheus/prometheus.yml as the stack runs it, for a short local run:
 * same jobs (so rules matching job="..." behave the same), targets pointed
 * at local ports, scrapes and rule evaluations every second, rule files
 * by absolute path, and no Alertmanager.
 */
function liveConfig(targets: Record<string, string>): string {
  const base = readYaml<{ global: Record<string, unknown>; scrape_configs: ScrapeConfig[] }>('prometheus/prometheus.yml');
  const unknownJobs = Object.keys(targets).filter((job) => !base.scrape_configs.some((c) => c.job_name === job));
  if (unknownJobs.length) throw new Error(`prometheus.yml has no job ${unknownJobs.join(', ')}`);
  const config = {
    global: { ...base.global, scrape_interval: '1s', scrape_timeout: '1s', evaluation_interval: '1s' },
    rule_files: RULE_FILES.map((f) => repoPath(f)),
    scrape_configs: base.scrape_configs.filter((c) => targets[c.job_name]).map((c) => ({ ...c, static_configs: [{ targets: [targets[c.job_name]] }] })),
  };
  return stringify(config);
}

interface PromResponse<T> {
  status: 'success' | 'error';
  data: T;
  errorType?: string;
  error?: string;
}

interface Sample {
  metric: Record<string, string>;
  value?: [number, string];
  values?: Array<[number, string]>;
}

interface RuleState {
  name: string;
  type: 'alerting' | 'recording';
  query: string;
  health: string;
  lastError?: string;
  state?: 'inactive' | 'pending' | 'firing';
  alerts?: Array<{ labels: Record<string, string>; state: string }>;
}

export interface PrometheusServer {
  url: string;
  get<T>(apiPath: string, params?: Record<string, string>): Promise<PromResponse<T>>;
  query(expr: string): Promise<PromResponse<{ resultType: string; result: Sample[] }>>;
  queryRange(expr: string, seconds: number): Promise<PromResponse<{ resultType: string; result: Sample[] }>>;
  rules(): Promise<RuleState[]>;
  /** Waits until `job` has been scraped again (its `up` sample is newer than when this was called). */
  nextScrape(job: string): Promise<void>;
  stop(): Promise<void>;
}

/** Starts the real Prometheus server binary (Debian package) on a free port with a temp data dir. */
export async function startPrometheus(targets: Record<string, string>): Promise<PrometheusServer> {
  const dir = await mkdtemp(path.join(tmpdir(), 'repair-bot-prometheus-'));
  const configFile = path.join(dir, 'prometheus.yml');
  await writeFile(configFile, liveConfig(targets));
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const log: string[] = [];
  const child: ChildProcess = spawn(
    'prometheus',
    [
      `--config.file=${configFile}`,
      `--storage.tsdb.path=${path.join(dir, 'data')}`,
      `--web.listen-address=127.0.0.1:${port}`,
      '--enable-feature=exemplar-storage',
      '--web.enable-remote-write-receiver',
      '--log.level=warn',
    ],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  const remember = (chunk: Buffer) => {
    log.push(chunk.toString());
    if (log.length > 40) log.shift();
  };
  child.stdout?.on('data', remember);
  child.stderr?.on('data', remember);
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  let failure: Error | undefined;
  child.once('error', (err) => (failure = new StopWaiting(`prometheus could not start (.ci/run installs it): ${err.message}`)));
  child.once('exit', () => (failure ??= new StopWaiting(`prometheus exited: ${log.join('')}`)));

  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) {
      child.kill('SIGTERM');
      await Promise.race([exited, new Promise((r) => setTimeout(r, 5000).unref())]);
      if (child.exitCode === null) child.kill('SIGKILL');
    }
    await rm(dir, { recursive: true, force: true });
  };

  try {
    await eventually(
      async () => {
        if (failure) throw failure;
        const res = await fetch(`${url}/-/ready`);
        if (!res.ok) throw new Error(`/-/ready answered ${res.status}: ${log.join('')}`);
      },
      { timeout: 30_000, interval: 200, what: 'prometheus to be ready' },
    );
  } catch (err) {
    await stop();
    throw err;
  }

  const get = async <T>(apiPath: string, params: Record<string, string> = {}): Promise<PromResponse<T>> => {
    const res = await fetch(`${url}${apiPath}?${new URLSearchParams(params).toString()}`);
    return (await res.json()) as PromResponse<T>;
  };
  const query = (expr: string) => get<{ resultType: string; result: Sample[] }>('/api/v1/query', { query: expr });
  const lastScrape = async (job: string) => Number((await query(`timestamp(up{job="${job}"})`)).data.result[0]?.value?.[1] ?? 0);
  return {
    url,
    get,
    query,
    queryRange: (expr, seconds) => {
      const end = Date.now() / 1000;
      return get('/api/v1/query_range', { query: expr, start: String(end - seconds), end: String(end), step: '1' });
    },
    rules: async () => {
      const res = await get<{ groups: Array<{ rules: RuleState[] }> }>('/api/v1/rules');
      return res.data.groups.flatMap((g) => g.rules);
    },
    nextScrape: async (job) => {
      const before = await lastScrape(job);
      await eventually(async () => expect(await lastScrape(job)).toBeGreaterThan(before), {
        timeout: 10_000,
        interval: 100,
        what: `the next scrape of ${job}`,
      });
    },
    stop,
  };
}
