import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';

/** Repository root. */
const ROOT = fileURLToPath(new URL('../../../', import.meta.url));

export function repoPath(...parts: string[]): string {
  return path.join(ROOT, ...parts);
}

export function readText(rel: string): string {
  return readFileSync(repoPath(rel), 'utf8');
}

export function readYaml<T = unknown>(rel: string): T {
  return parse(readText(rel)) as T;
}

export interface RunResult {
  code: number;
  stdout: string;
  stderr: string;
}

/**
 * Runs a tool and returns its exit code and output. A missing tool is an
 * error (ENOENT), never a skip: CI installs it (.ci/run).
 */
export function run(cmd: string, args: string[], opts: { cwd?: string; env?: NodeJS.ProcessEnv } = {}): Promise<RunResult> {
  return new Promise((resolve, reject) => {
    execFile(cmd, args, { cwd: opts.cwd ?? ROOT, env: opts.env ?? process.env, maxBuffer: 16 * 1024 * 1024 }, (err, stdout, stderr) => {
      if (err && (err as NodeJS.ErrnoException).code === 'ENOENT') {
        reject(new Error(`${cmd} is not installed (.ci/run installs it)`));
        return;
      }
      const code = err ? (typeof err.code === 'number' ? err.code : 1) : 0;
      resolve({ code, stdout: String(stdout), stderr: String(stderr) });
    });
  });
}

export interface ComposeService {
  image?: string;
  build?: string | { context?: string; dockerfile?: string };
  command?: string | string[];
  environment?: Record<string, string | number | null> | string[];
  volumes?: Array<string | { type?: string; source?: string; target?: string }>;
  depends_on?: string[] | Record<string, { condition?: string }>;
  healthcheck?: { test?: string | string[] };
  profiles?: string[];
  ports?: string[];
}

export interface ComposeFile {
  services: Record<string, ComposeService>;
  volumes?: Record<string, unknown>;
}

export function compose(): ComposeFile {
  return readYaml<ComposeFile>('docker-compose.yml');
}

/** `-c name=value` pairs of the postgres service's command line. */
export function postgresSettings(): Record<string, string> {
  const command = compose().services.postgres?.command;
  const args = Array.isArray(command) ? command : (command ?? '').split(/\s+/);
  const settings: Record<string, string> = {};
  args.forEach((arg, i) => {
    if (arg !== '-c') return;
    const [name, ...value] = (args[i + 1] ?? '').split('=');
    if (name) settings[name] = value.join('=');
  });
  return settings;
}
