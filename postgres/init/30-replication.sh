#!/bin/sh
# Runs once, on the first start of an empty data directory (docker-entrypoint-initdb.d).
# The role the report replica (postgres-replica) streams WAL as, and the
# pg_hba line that lets it: "all" in pg_hba.conf does not cover replication.
set -eu
psql -v ON_ERROR_STOP=1 --username "$POSTGRES_USER" --dbname "$POSTGRES_DB" \
  -v replication_password="$POSTGRES_REPLICATION_PASSWORD" <<'SQL'
CREATE ROLE replicator LOGIN REPLICATION PASSWORD :'replication_password';
SQL
echo "host replication replicator all scram-sha-256" >>"$PGDATA/pg_hba.conf"
