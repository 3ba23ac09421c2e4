import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { stringify } from 'yaml';
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
  const spawnError = new Promise<never>((_, reject) =>
    child.once('error', (err) => reject(new Error(`prometheus could not start (.ci/run installs it): ${err.message}`))),
  );

  const stop = async () => {
    if (child.exitCode === null) {
      child.kill('SIGTERM');
      await Promise.race([exited, new Promise((r) => setTimeout(r, 5000))]);
      if (child.exitCode === null) child.kill('SIGKILL');
    }
    await rm(dir, { recursive: true, force: true });
  };

  const deadline = Date.now() + 30_000;
  for (;;) {
    const ready = await Promise.race([
      fetch(`${url}/-/ready`).then(
        (r) => r.ok,
        () => false,
      ),
      spawnError,
      exited.then(() => {
        throw new Error(`prometheus exited: ${log.join('')}`);
      }),
    ]).catch(async (err: unknown) => {
      await stop();
      throw err;
    });
    if (ready) break;
    if (Date.now() > deadline) {
      await stop();
      throw new Error(`prometheus not ready within 30 s: ${log.join('')}`);
    }
    await new Promise((r) => setTimeout(r, 200));
  }

  const get = async <T>(apiPath: string, params: Record<string, string> = {}): Promise<PromResponse<T>> => {
    const res = await fetch(`${url}${apiPath}?${new URLSearchParams(params).toString()}`);
    return (await res.json()) as PromResponse<T>;
  };
  return {
    url,
    get,
    query: (expr) => get('/api/v1/query', { query: expr }),
    queryRange: (expr, seconds) => {
      const end = Date.now() / 1000;
      return get('/api/v1/query_range', { query: expr, start: String(end - seconds), end: String(end), step: '1' });
    },
    rules: async () => {
      const res = await get<{ groups: Array<{ rules: RuleState[] }> }>('/api/v1/rules');
      return res.data.groups.flatMap((g) => g.rules);
    },
    stop,
  };
}
