import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { homedir } from 'node:os';
import path from 'node:path';
import { run } from './processes.ts';

/** k6 from K6, PATH, or where `go install` puts it; null when there is none. */
export function findK6(): string | null {
  const candidates = [
    process.env.K6,
    ...(process.env.PATH ?? '').split(path.delimiter).map((d) => path.join(d, 'k6')),
    path.join(process.env.GOBIN ?? '', 'k6'),
    path.join(process.env.GOPATH ?? path.join(homedir(), 'go'), 'bin', 'k6'),
  ];
  return candidates.find((c): c is string => Boolean(c) && path.isAbsolute(c!) && existsSync(c!)) ?? null;
}

export const K6_MISSING = `k6 was not found (looked at $K6, PATH and ~/go/bin/k6).
Get it with Go (1.24 or newer):

    go install go.k6.io/k6@latest

which puts it in ~/go/bin/k6 (or set K6=/path/to/k6).`;

export function k6Version(k6: string): string {
  return execFileSync(k6, ['version'], { encoding: 'utf8' }).trim().split('\n')[0] ?? '';
}

export interface K6Run {
  script: string;
  resultsDir: string;
  /** Variables for the script (__ENV). */
  vars: Record<string, string>;
}

/** Runs a scenario; the web dashboard's HTML export and the summary JSON land in resultsDir. */
export function runK6(k6: string, opts: K6Run): Promise<number> {
  const args = ['run', '--no-color'];
  for (const [k, v] of Object.entries({ ...opts.vars, RESULTS_DIR: opts.resultsDir })) args.push('-e', `${k}=${v}`);
  args.push(opts.script);
  return run(k6, args, {
    ...process.env,
    K6_WEB_DASHBOARD: 'true',
    K6_WEB_DASHBOARD_EXPORT: path.join(opts.resultsDir, 'report.html'),
    // The export needs no live dashboard; port -1 serves none, so runs never fight over 5665.
    K6_WEB_DASHBOARD_PORT: process.env.K6_WEB_DASHBOARD_PORT ?? '-1',
    K6_WEB_DASHBOARD_OPEN: 'false',
    // Short runs (smoke) still get a report: snapshots every second instead of every 10.
    K6_WEB_DASHBOARD_PERIOD: process.env.K6_WEB_DASHBOARD_PERIOD ?? '1s',
  });
}
