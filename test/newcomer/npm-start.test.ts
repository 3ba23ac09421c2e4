import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { chmod, mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { freePort } from '../../scripts/lib/free-port.ts';
import { eventually, StopWaiting } from '../support/eventually.ts';
import { alive } from '../support/process-alive.ts';
import { startServiceProcess, type ServiceProcess } from '../support/service-process.ts';

/**
 * `npm start` as the README has a newcomer run it: no DATABASE_URL, so the
 * service starts its own embedded PostgreSQL. SIGTERM to npm (what a process
 * manager or Ctrl-C sends) must reach the service, which stops PostgreSQL and
 * exits: nothing is left running. A second instance on the same data
 * directory says it uses the running PostgreSQL rather than that it started one.
 */
const ROOT = path.resolve(import.meta.dirname, '../..');
const cleanup: Array<() => Promise<void> | void> = [];

afterAll(async () => {
  for (const step of cleanup.reverse()) await step();
});

describe('npm start with the embedded PostgreSQL', () => {
  it('shares it with a second instance, truthfully, and leaves nothing running after SIGTERM to npm', async () => {
    // Setup: npm start on a fresh data directory
    const dir = await mkdtemp(path.join(tmpdir(), 'repair-bot-npm-start-'));
    cleanup.push(() => rm(dir, { recursive: true, force: true }));
    await chmod(dir, 0o777); // PostgreSQL runs as a dedicated user when we are root
    const pgEnv = { EMBEDDED_PG_DIR: path.join(dir, 'postgres'), EMBEDDED_PG_PORT: String(await freePort()), DATABASE_URL: '' };
    const npm = spawn('npm', ['start'], {
      cwd: ROOT,
      env: { ...process.env, ...pgEnv, PORT: '0', HOST: '127.0.0.1', LOG_LEVEL: 'info', TELEGRAM_BOT_TOKEN: '' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    cleanup.push(() => {
      if (npm.exitCode === null) npm.kill('SIGKILL');
    });
    let output = '';
    npm.stdout.on('data', (d: Buffer) => (output += d.toString()));
    npm.stderr.on('data', (d: Buffer) => (output += d.toString()));
    const npmExited = once(npm, 'exit');
    // pino writes the process id on every line.
    const listening = await eventually(
      () => {
        const line = output.split('\n').find((l) => l.includes('"msg":"repair-bot listening"'));
        if (npm.exitCode !== null) throw new StopWaiting(`npm start exited with ${npm.exitCode}:\n${output}`);
        if (!line) throw new Error(`not listening yet:\n${output}`);
        return JSON.parse(line) as { pid: number; port: number };
      },
      { timeout: 90_000, interval: 100, what: 'npm start to listen' },
    );
    const postgresPid = Number((await readFile(path.join(pgEnv.EMBEDDED_PG_DIR, 'postmaster.pid'), 'utf8')).split('\n')[0]);
    cleanup.push(() => {
      for (const pid of [listening.pid, postgresPid]) if (alive(pid)) process.kill(pid, 'SIGKILL');
    });

    // Action 1: a second instance on the same data directory, then stopped
    let second: ServiceProcess | undefined;
    try {
      second = await startServiceProcess(pgEnv);
      const readyz = await fetch(`${second.base}/readyz`);
      expect(readyz.status).toBe(200);
      second.child.kill('SIGTERM');
      expect((await second.exited)[0]).toBe(0);
    } finally {
      second?.kill();
    }

    // Assertions 1: it said what it did, and left the first instance's PostgreSQL running
    expect(second.output()).toContain('embedded PostgreSQL already running (started by another process)');
    expect(second.output()).not.toContain('embedded PostgreSQL started');
    expect(output).toContain('embedded PostgreSQL started (no DATABASE_URL set)');
    expect((await fetch(`http://127.0.0.1:${listening.port}/readyz`)).status).toBe(200);

    // Action 2: SIGTERM to npm, as a process manager sends it
    npm.kill('SIGTERM');
    await npmExited;

    // Assertions 2: the service got it (its shutdown line) and neither it nor PostgreSQL is left
    await eventually(() => expect(alive(listening.pid)).toBe(false), { timeout: 20_000, what: 'the node process to exit' });
    await eventually(() => expect(alive(postgresPid)).toBe(false), { timeout: 20_000, what: 'the embedded PostgreSQL to stop' });
    expect(output).toContain('shutting down: finishing in-flight work');
  }, 180_000);
});
