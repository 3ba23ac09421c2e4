import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import path from 'node:path';
import { eventually } from './eventually.ts';

const ROOT = path.resolve(import.meta.dirname, '../..');

export interface ServiceProcess {
  child: ChildProcess;
  /** Everything it printed so far (stdout and stderr). */
  output(): string;
  port: number;
  base: string;
  /** The bootstrap admin token, when this start bootstrapped the database. */
  token: string | undefined;
  exited: Promise<[number | null, string | null]>;
  /** SIGKILL unless it has already exited. */
  kill(): void;
}

/**
 * Starts the real entry point (src/main.ts) as a child process on the given
 * database and waits for its "listening" line.
 */
/** `listenTimeoutMs`: how long to wait for the listening line (default 30 s; tests that start several processes on a loaded machine give more). */
export async function startServiceProcess(
  env: Record<string, string>,
  opts: { waitForListening?: boolean; listenTimeoutMs?: number } = {},
): Promise<ServiceProcess> {
  const child = spawn(process.execPath, ['src/main.ts'], {
    cwd: ROOT,
    // A short request warm-up: the path runs on every start, without its production length on each (2000 requests).
    env: { ...process.env, PORT: '0', HOST: '127.0.0.1', LOG_LEVEL: 'info', TELEGRAM_BOT_TOKEN: '', WARM_UP_REQUESTS: '50', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout.on('data', (d: Buffer) => (output += d.toString()));
  child.stderr.on('data', (d: Buffer) => (output += d.toString()));
  const exited = once(child, 'exit') as Promise<[number | null, string | null]>;
  const proc: ServiceProcess = {
    child,
    output: () => output,
    port: 0,
    base: '',
    token: undefined,
    exited,
    kill: () => {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    },
  };
  if (opts.waitForListening === false) return proc;
  proc.port = await eventually(
    () => {
      if (child.exitCode !== null) throw new Error(`the service exited with ${child.exitCode}:\n${output}`);
      const m = /"port":(\d+)[^\n]*"msg":"repair-bot listening"/.exec(output);
      if (!m) throw new Error('not listening yet');
      return Number(m[1]);
    },
    { timeout: opts.listenTimeoutMs ?? 30_000, what: 'the listening line' },
  ).catch((err: unknown) => {
    // The caller never gets a handle to a process that did not start: end it here, or it outlives the run.
    proc.kill();
    throw err;
  });
  proc.base = `http://127.0.0.1:${proc.port}`;
  proc.token = /rb_[A-Za-z0-9_-]{43}/.exec(output)?.[0];
  return proc;
}
