import type { Queryable } from './database.ts';
import { defineQuery } from './query.ts';

/**
 * How far behind the primary a streaming replica is, in seconds, asked of
 * the replica itself. Caught up (everything received is replayed while the
 * WAL receiver streams) is 0; otherwise the age of the last replayed commit,
 * which over-states the lag of a quiet primary but never under-states it: a
 * replica cut off from its primary cannot tell that it missed nothing.
 * NULL: nothing replayed yet and not streaming (unknown). A server that is
 * not in recovery is a primary, so 0.
 */
const readReplicaLagQuery = defineQuery({
  name: 'db.read_replica_lag',
  params: {},
  columns: { in_recovery: 'bool', lag_seconds: 'float8?' },
  text: `
SELECT pg_is_in_recovery() AS in_recovery,
       CASE
         WHEN NOT pg_is_in_recovery() THEN 0
         WHEN pg_last_wal_receive_lsn() = pg_last_wal_replay_lsn()
          AND EXISTS (SELECT 1 FROM pg_stat_wal_receiver WHERE status = 'streaming') THEN 0
         ELSE EXTRACT(epoch FROM clock_timestamp() - pg_last_xact_replay_timestamp())
       END::float8 AS lag_seconds`,
});

export function readReplicaLag(db: Queryable): Promise<{ in_recovery: boolean; lag_seconds: number | null }> {
  return db.one(readReplicaLagQuery, {});
}
