import { readFileSync } from 'node:fs';

/**
 * Slow-query lines in a service's log: before it listened (its start and
 * warm-up), in the first second of the measured load, and in all. #18 asks
 * a fresh service to take its load with none in that first second.
 */
export function slowQueryLines(logFile: string, loadStarted: Date): { before_listening: number; first_second_of_load: number; total: number } {
  let listening: number | undefined;
  const counts = { before_listening: 0, first_second_of_load: 0, total: 0 };
  for (const text of readFileSync(logFile, 'utf8').split('\n')) {
    if (!text.startsWith('{')) continue;
    const line = JSON.parse(text) as { msg?: string; time?: string };
    const at = Date.parse(line.time ?? '');
    if (line.msg === 'repair-bot listening') listening ??= at;
    if (line.msg !== 'slow query') continue;
    counts.total += 1;
    if (listening === undefined) counts.before_listening += 1;
    if (at >= loadStarted.getTime() && at < loadStarted.getTime() + 1000) counts.first_second_of_load += 1;
  }
  return counts;
}
