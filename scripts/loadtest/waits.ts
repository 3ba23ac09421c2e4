import pg from 'pg';

/**
 * Where the run database's backends spend a run: pg_stat_activity sampled
 * every 100 ms while k6 runs, as the mean number of active backends per
 * wait event ("CPU" when none: running or runnable). A backend waiting on
 * a lock shows here where pg_stat_statements shows only a slow statement.
 */
const SAMPLE = `
SELECT coalesce(wait_event_type || ':' || wait_event, 'CPU') AS what, count(*)::int AS n
FROM pg_stat_activity
WHERE datname = current_database() AND state = 'active' AND pid <> pg_backend_pid() AND backend_type = 'client backend'
GROUP BY 1`;

export interface WaitSampler {
  /** Stops sampling; the table as text (mean active backends per wait, largest first). */
  stop(): Promise<string>;
}

export async function sampleWaits(url: string, everyMs = 100): Promise<WaitSampler> {
  const client = new pg.Client({ connectionString: url, application_name: 'loadtest-waits' });
  await client.connect();
  const totals = new Map<string, number>();
  let samples = 0;
  let running = true;
  let failure: Error | undefined;
  const loop = (async () => {
    while (running) {
      const { rows } = await client.query<{ what: string; n: number }>(SAMPLE);
      samples++;
      for (const r of rows) totals.set(r.what, (totals.get(r.what) ?? 0) + r.n);
      await new Promise((resolve) => setTimeout(resolve, everyMs));
    }
  })().catch((err: unknown) => {
    // A lost session ends the sampling, not the run; the table says so.
    failure = err as Error;
  });
  return {
    async stop() {
      running = false;
      await loop;
      await client.end().catch(() => undefined);
      const lines = [...totals.entries()]
        .map(([what, n]) => ({ what, mean: n / Math.max(samples, 1) }))
        .sort((a, b) => b.mean - a.mean)
        .map((r) => `${r.mean.toFixed(2).padStart(7)}  ${r.what}`);
      const stopped = failure ? ` (sampling stopped early: ${failure.message})` : '';
      return `mean active backends over ${samples} samples, every ${everyMs} ms${stopped}\n${lines.join('\n')}\n`;
    },
  };
}
