import { ConfigError } from '../config.ts';
import { UsageError } from './context.ts';

/**
 * repair-bot CLI. Each command is a module under ./commands with `usage`
 * and `run(args)`; loaded lazily so one command's imports never slow another.
 */
const COMMANDS: Record<string, () => Promise<{ usage: string; run(args: string[]): Promise<void> }>> = {
  migrate: () => import('./commands/migrate.ts'),
  'user add': () => import('./commands/user-add.ts'),
  'token create': () => import('./commands/token-create.ts'),
  'token list': () => import('./commands/token-list.ts'),
  'token revoke': () => import('./commands/token-revoke.ts'),
  'import-sqlite': () => import('./commands/import-sqlite.ts'),
  seed: () => import('./commands/seed.ts'),
  backup: () => import('./commands/backup.ts'),
  restore: () => import('./commands/restore.ts'),
  ledger: () => import('./commands/ledger.ts'),
};

async function usage(): Promise<string> {
  const lines = await Promise.all(Object.values(COMMANDS).map(async (load) => `  repair-bot ${(await load()).usage}`));
  return `usage:\n${lines.join('\n')}\n`;
}

async function main(argv: string[]): Promise<number> {
  const two = argv.slice(0, 2).join(' ');
  const key = COMMANDS[two] ? two : argv[0] && COMMANDS[argv[0]] ? argv[0] : undefined;
  if (!key) {
    // Asking for help is a success (stdout); anything else unknown is a usage error (stderr, 2).
    if (argv.length === 0 || ['-h', '--help', 'help'].includes(argv[0]!)) {
      process.stdout.write(await usage());
      return 0;
    }
    process.stderr.write(`unknown command: ${argv.join(' ')}\n${await usage()}`);
    return 2;
  }
  const command = await COMMANDS[key]!();
  try {
    await command.run(argv.slice(key.split(' ').length));
    return 0;
  } catch (err) {
    if (err instanceof UsageError) {
      process.stderr.write(`repair-bot ${key}: ${err.message}\nusage: repair-bot ${command.usage}\n`);
      return 2;
    }
    if (err instanceof ConfigError) {
      process.stderr.write(`${err.message}\n`);
      return 2;
    }
    process.stderr.write(`repair-bot ${key} failed: ${(err as Error).message}\n`);
    return 1;
  }
}

process.exitCode = await main(process.argv.slice(2));
