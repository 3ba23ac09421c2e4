#!/bin/sh
# Runs once, on the first start of an empty data directory (docker-entrypoint-initdb.d).
# Creates the monitoring and reporting roles with passwords from the
# environment; psql's :'var' quotes them as literals.
set -eu
psql -v ON_ERROR_STOP=1 --username "$POSTGRES_USER" --dbname "$POSTGRES_DB" \
  -v exporter_password="$POSTGRES_EXPORTER_PASSWORD" \
  -v grafana_password="$GRAFANA_DB_PASSWORD" <<'SQL'
CREATE EXTENSION IF NOT EXISTS pg_stat_statements;
-- postgres-exporter: pg_monitor reads pg_stat_* and pg_stat_statements, nothing else.
CREATE ROLE postgres_exporter LOGIN PASSWORD :'exporter_password' IN ROLE pg_monitor;
-- Grafana's reporting datasource: no table access; it may only call the
-- aggregate functions in schema reporting (20-reporting.sql).
CREATE ROLE grafana_reader LOGIN PASSWORD :'grafana_password';
ALTER ROLE grafana_reader SET statement_timeout = '10s';
SQL
