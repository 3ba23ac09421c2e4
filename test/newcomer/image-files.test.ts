import { spawn, type ChildProcess } from 'node:child_process';
import { chmod, cp, mkdir, mkdtemp, rm, symlink } from 'node:fs/promises';
import { readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { freePort } from '../../scripts/lib/free-port.ts';
import { writeConsoleFiles } from '../../src/console/assets.ts';
import { useTestDatabase } from '../support/db.ts';
import { eventually, StopWaiting } from '../support/eventually.ts';
import { startTelegramStub, type TelegramStub } from '../support/telegram-stub.ts';

/**
 * The Docker image holds only what its Dockerfile copies. Without Docker
 * here, the test lays out the runtime stage's files the same way (the COPY
 * lines, limited to what .dockerignore lets into the context) in a temp
 * directory and runs the image's CMD there with the bot on, against the
 * stub Bot API: a file the service reads at run time and the image leaves
 * out (locales/ once) fails here, not in production.
 */
const ROOT = path.resolve(import.meta.dirname, '../..');
const t = useTestDatabase();
let stub: TelegramStub | undefined;
let child: ChildProcess | undefined;
let dir: string | undefined;

afterAll(async () => {
  if (child && child.exitCode === null) child.kill('SIGKILL');
  await stub?.close();
  if (dir) await rm(dir, { recursive: true, force: true });
});

interface Instruction {
  op: string;
  args: string;
}

/** The Dockerfile's instructions (continuations joined), grouped by stage name. */
function stages(text: string): Map<string, Instruction[]> {
  const byStage = new Map<string, Instruction[]>();
  let current: Instruction[] = [];
  for (const line of text.replace(/\\\n/g, ' ').split('\n')) {
    const m = /^([A-Z]+)\s+(.*)$/.exec(line.trim());
    if (!m) continue;
    const [, op, args] = m as unknown as [string, string, string];
    if (op === 'FROM') {
      current = [];
      byStage.set(/\bAS\s+(\S+)/i.exec(args)?.[1] ?? `stage${byStage.size}`, current);
    }
    current.push({ op, args });
  }
  return byStage;
}

/**
 * Stand-ins for the build stages the runtime stage copies from; a stage
 * not listed here fails the test, so a new one gets a stand-in.
 */
const FROM_STAGE: Record<string, (to: string) => Promise<void>> = {
  // `npm ci --omit=dev`: the repository's node_modules holds those packages (and more).
  deps: (to) => symlink(path.join(ROOT, 'node_modules'), to),
  // Its RUN: node src/console/build-assets.ts /app/console-assets.
  console: async (to) => void (await writeConsoleFiles(to)),
  // pg_dump/pg_restore 18 for backups: not needed to start.
  pgclient: async () => {},
};

describe('the Docker image file set', () => {
  it('starts with the bot on and answers /readyz', async () => {
    // Setup: the runtime stage's files, environment and command
    const dockerfile = stages(readFileSync(path.join(ROOT, 'Dockerfile'), 'utf8'));
    const runtime = [...dockerfile.values()].at(-1)!;
    const context = readFileSync(path.join(ROOT, '.dockerignore'), 'utf8')
      .split('\n')
      .filter((l) => l.startsWith('!'))
      .map((l) => l.slice(1));
    dir = await mkdtemp(path.join(tmpdir(), 'repair-bot-image-'));
    await chmod(dir, 0o755);
    const workdir = runtime.find((i) => i.op === 'WORKDIR')!.args;
    const inImage = (p: string) => (path.isAbsolute(p) ? path.join(dir!, p) : path.join(dir!, workdir, p));
    const env: Record<string, string> = {};
    let cmd: string[] = [];
    for (const { op, args } of runtime) {
      if (op === 'ENV') for (const [, k, v] of args.matchAll(/(\w+)=(\S+)/g)) env[k!] = v!.startsWith('/') ? inImage(v!) : v!;
      if (op === 'CMD') cmd = JSON.parse(args) as string[];
      if (op !== 'COPY') continue;
      const from = /--from=(\S+)/.exec(args)?.[1];
      const paths = args.replace(/--\S+/g, '').trim().split(/\s+/);
      const target = inImage(paths.pop()!);
      await mkdir(path.dirname(target), { recursive: true });
      if (from) {
        const standIn = FROM_STAGE[from];
        if (!standIn) throw new Error(`no stand-in for the build stage "${from}" (COPY ${args})`);
        await standIn(target);
        continue;
      }
      for (const source of paths) {
        expect(context, `${source} is outside the build context (.dockerignore)`).toContain(source);
        const dest = paths.length > 1 || target.endsWith('/') ? path.join(target, source) : target;
        await cp(path.join(ROOT, source), dest, { recursive: true });
      }
    }
    stub = await startTelegramStub();
    const port = await freePort();

    // Action: the image's CMD, as compose runs it (DATABASE_URL set), bot by long polling
    const [program, ...args] = cmd;
    expect(program).toBe('node');
    child = spawn(process.execPath, args, {
      cwd: inImage('.'),
      env: {
        PATH: process.env.PATH,
        ...env,
        PORT: String(port),
        HOST: '127.0.0.1',
        DATABASE_URL: t.url,
        TELEGRAM_BOT_TOKEN: '123456:TEST-token-for-the-image-file-set',
        TELEGRAM_API_ROOT: stub.url,
        OTEL_SDK_DISABLED: 'true',
        LOG_LEVEL: 'warn',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout!.on('data', (d: Buffer) => (output += d.toString()));
    child.stderr!.on('data', (d: Buffer) => (output += d.toString()));

    // Assertions: ready, and the bot polls the (stub) Bot API
    const readyz = await eventually(
      async () => {
        if (child!.exitCode !== null) throw new StopWaiting(`the service exited with ${child!.exitCode}:\n${output}`);
        const res = await fetch(`http://127.0.0.1:${port}/readyz`);
        expect(res.status).toBe(200);
        return res.status;
      },
      { timeout: 60_000, interval: 200, what: 'the image file set to answer /readyz' },
    );
    expect(readyz).toBe(200);
    await eventually(() => expect(stub!.calls.map((c) => c.method)).toContain('getMe'), { what: 'the bot to call the Bot API' });
    expect((await fetch(`http://127.0.0.1:${port}/console/`)).status).toBe(200);
  }, 120_000);
});
