import { spawn, type ChildProcess } from 'node:child_process';
import { openSync, readFileSync } from 'node:fs';
export { freePort } from '../lib/free-port.ts';

export interface ServiceProcess {
  baseUrl: string;
  /** The node process serving (its CPU time is read from /proc, see cpu.ts). */
  pid: number;
  stop(): Promise<void>;
}

/** The bare floor (floor/floor-service.ts) in a child process, like startService. */
export function startFloor(env: NodeJS.ProcessEnv, logFile: string, port: number, nodeArgs: string[] = []): Promise<ServiceProcess> {
  return startNode([...nodeArgs, 'scripts/loadtest/floor/floor-service.ts'], env, logFile, port);
}

/**
 * The service as production runs it (`npm start`: the telemetry preload,
 * then src/main.ts) in a child process, its output in `logFile`.
 * Resolves once /readyz answers 200.
 */
export function startService(env: NodeJS.ProcessEnv, logFile: string, port: number, nodeArgs: string[] = []): Promise<ServiceProcess> {
  return startNode([...nodeArgs, '--import', './src/telemetry/preload.ts', 'src/main.ts'], env, logFile, port);
}

async function startNode(args: string[], env: NodeJS.ProcessEnv, logFile: string, port: number): Promise<ServiceProcess> {
  const out = openSync(logFile, 'a');
  const child = spawn(process.execPath, args, {
    env: { ...env, PORT: String(port), HOST: '127.0.0.1' },
    stdio: ['ignore', out, out],
  });
  const baseUrl = `http://127.0.0.1:${port}`;
  let exited: number | null | undefined;
  child.once('exit', (code) => (exited = code));
  const deadline = Date.now() + 120_000;
  while (Date.now() < deadline) {
    if (exited !== undefined) break;
    const ok = await fetch(`${baseUrl}/readyz`).then(
      (r) => r.ok,
      () => false,
    );
    if (ok) return { baseUrl, pid: child.pid!, stop: () => stopChild(child) };
    await new Promise((r) => setTimeout(r, 250));
  }
  await stopChild(child);
  const tail = readFileSync(logFile, 'utf8').split('\n').slice(-15).join('\n');
  throw new Error(`the service did not become ready (exit ${exited}); last lines of ${logFile}:\n${tail}`);
}

function stopChild(child: ChildProcess, graceMs = 15_000): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
    child.once('exit', () => {
      clearTimeout(timer);
      resolve();
    });
    child.kill('SIGTERM');
  });
}

/** Runs a command to completion with inherited output; resolves its exit code. */
export function run(cmd: string, args: string[], env: NodeJS.ProcessEnv = process.env): Promise<number> {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { stdio: 'inherit', env });
    child.once('error', reject);
    child.once('exit', (code, signal) => resolve(code ?? (signal ? 128 : 1)));
  });
}
