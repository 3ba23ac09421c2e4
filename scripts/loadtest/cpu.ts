import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';

/**
 * CPU seconds (user + system) a process has used so far, from
 * /proc/<pid>/stat. Read before and after a fixed number of requests, the
 * difference divided by the count is the CPU per request: a measure that,
 * unlike latency, barely moves when other work loads the machine.
 */
export function cpuSeconds(pid: number): number {
  // utime and stime, in clock ticks (USER_HZ, 100 on Linux).
  const f = statFields(pid);
  return (f[11]! + f[12]!) / 100;
}

/** /proc/<pid>/stat fields after the command name: ppid is 1 there, utime, stime, cutime, cstime 11..14. */
function statFields(pid: number): number[] {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  return stat
    .slice(stat.lastIndexOf(')') + 2)
    .split(' ')
    .map(Number);
}

/**
 * CPU seconds of a whole PostgreSQL server (its data directory): the
 * postmaster's own and its reaped children's (ended backends), plus its
 * live children's (checkpointer, WAL writer, open backends).
 */
export function serverCpuSeconds(dataDir: string): number {
  const postmaster = Number(readFileSync(path.join(dataDir, 'postmaster.pid'), 'utf8').split('\n')[0]);
  const own = statFields(postmaster);
  let ticks = own[11]! + own[12]! + own[13]! + own[14]!;
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const f = statFields(Number(entry));
      if (f[1] === postmaster) ticks += f[11]! + f[12]!;
    } catch {
      // Ended while we looked.
    }
  }
  return ticks / 100;
}
