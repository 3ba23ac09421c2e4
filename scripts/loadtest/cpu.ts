import { readFileSync } from 'node:fs';

/**
 * CPU seconds (user + system) a process has used so far, from
 * /proc/<pid>/stat. Read before and after a fixed number of requests, the
 * difference divided by the count is the CPU per request: a measure that,
 * unlike latency, barely moves when other work loads the machine.
 */
export function cpuSeconds(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  // Fields after the command name (which may hold spaces) start at its closing parenthesis.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  // utime and stime are fields 14 and 15 of the line, in clock ticks (USER_HZ, 100 on Linux).
  return (Number(fields[11]) + Number(fields[12])) / 100;
}
