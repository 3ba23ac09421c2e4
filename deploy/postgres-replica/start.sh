#!/bin/sh
# The compose stack's report replica (REPORTS_DATABASE_URL). On the first
# start of an empty volume: a base backup of the primary, streamed, with a
# replication slot of its own (-C -S) so the primary keeps the WAL it still
# needs, and -R to write standby.signal and primary_conninfo. Then a hot
# standby. To rebuild it: drop the volume and the slot (see README).
set -eu
if [ ! -s "$PGDATA/PG_VERSION" ]; then
  pg_basebackup --host=postgres --port=5432 --username=replicator --pgdata="$PGDATA" \
    --wal-method=stream --create-slot --slot=reports_replica --write-recovery-conf --checkpoint=fast
  chmod 0700 "$PGDATA"
fi
# max_connections and friends must be at least the primary's.
exec postgres -c hot_standby=on -c max_connections=200
