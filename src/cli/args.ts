import { parseArgs } from 'node:util';
import { UsageError } from './context.ts';

type Options = Record<string, { type: 'string' | 'boolean'; short?: string }>;

/** Strict option parsing: unknown options and stray arguments are usage errors. */
export function parseOptions<O extends Options>(args: string[], options: O) {
  return parseCommandLine(args, options, 0).values;
}

/** Like parseOptions, with exactly `positionals` arguments besides the options. */
export function parseCommandLine<O extends Options>(args: string[], options: O, positionals: number) {
  let parsed;
  try {
    parsed = parseArgs({ args, options, strict: true, allowPositionals: positionals > 0 });
  } catch (err) {
    throw new UsageError((err as Error).message);
  }
  if (parsed.positionals.length !== positionals) {
    throw new UsageError(
      positionals ? `expected ${positionals} argument(s), got ${parsed.positionals.length}` : `unexpected argument "${parsed.positionals[0]}"`,
    );
  }
  return parsed;
}

export function requireOption(value: string | boolean | undefined, name: string): string {
  if (typeof value !== 'string' || value.trim() === '') throw new UsageError(`--${name} is required`);
  return value.trim();
}

export function positiveInteger(value: string, name: string): number {
  if (!/^\d{1,15}$/.test(value) || Number(value) < 1) throw new UsageError(`--${name} must be a positive integer, got "${value}"`);
  return Number(value);
}
