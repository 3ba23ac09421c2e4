import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import os from 'node:os';
import { withClient } from './database.ts';

/** What a figure was measured on, and how busy the machine was: recorded with every run. */
export interface Machine {
  cpu: string;
  cores: number;
  memory_gib: number;
  os: string;
  kernel: string;
  node: string;
  postgresql?: string;
  k6?: string;
}

export function machine(): Machine {
  const cpu = /model name\s*:\s*(.+)/.exec(readFileSync('/proc/cpuinfo', 'utf8'))?.[1] ?? os.cpus()[0]?.model ?? 'unknown';
  const release = readFileSync('/etc/os-release', 'utf8');
  return {
    cpu,
    cores: os.availableParallelism(),
    memory_gib: Math.round((os.totalmem() / 2 ** 30) * 10) / 10,
    os: /PRETTY_NAME="([^"]+)"/.exec(release)?.[1] ?? os.type(),
    kernel: os.release(),
    node: process.version,
  };
}

export async function postgresVersion(url: string): Promise<string> {
  return withClient(url, async (c) => (await c.query<{ v: string }>('SELECT version() AS v')).rows[0]?.v ?? 'unknown');
}

/** `uptime`'s load averages (1, 5, 15 min). */
export function load(): string {
  try {
    return execFileSync('uptime', { encoding: 'utf8' }).trim();
  } catch {
    return os
      .loadavg()
      .map((l) => l.toFixed(2))
      .join(', ');
  }
}
