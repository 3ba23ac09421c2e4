import { Counter, Gauge, type Registry, type RegistryContentType } from 'prom-client';
import type { ReadTarget, ReplicaStatus } from '../db/replica-reads.ts';

/**
 * The report replica's metrics (REPORTS_DATABASE_URL): how stale it is, and
 * where report reads went. The lag is NaN while the replica is down or
 * cannot tell, so a dashboard shows a gap rather than a reassuring 0.
 */
export function replicaMetrics(registry: Registry<RegistryContentType>): { onStatus(s: ReplicaStatus): void; onRead(t: ReadTarget): void } {
  const registers = [registry];
  const lag = new Gauge({
    name: 'repair_reports_replica_lag_seconds',
    help: 'Replay lag of the report replica as it last reported it (NaN: down or unknown).',
    registers,
  });
  const up = new Gauge({
    name: 'repair_reports_replica_usable',
    help: '1 while report reads go to the replica, 0 while they fall back to the primary.',
    registers,
  });
  const reads = new Counter({
    name: 'repair_reports_reads_total',
    help: 'Report and export reads, by the server that answered (replica or primary).',
    labelNames: ['target'],
    registers,
  });
  for (const target of ['replica', 'primary']) reads.inc({ target }, 0);
  lag.set(Number.NaN);
  up.set(0);
  return {
    onStatus: (s) => {
      lag.set(s.lagSeconds ?? Number.NaN);
      up.set(s.usable ? 1 : 0);
    },
    onRead: (target) => reads.inc({ target }),
  };
}
