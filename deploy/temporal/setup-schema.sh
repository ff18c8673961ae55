#!/bin/sh
# Creates Temporal's two PostgreSQL databases (persistence: `temporal`, visibility: `temporal_visibility`)
# and brings their schemas to the version this admin-tools image ships. Run by the `temporal-setup` service
# of deploy/compose.yaml once PostgreSQL is healthy and before any Temporal service starts, on every
# `docker compose up`. Each step is idempotent (an existing database is kept, a schema already at its
# version is left alone), so after moving the images to the next Temporal minor version the same run
# upgrades the schemas before the servers start, the order Temporal's upgrade guide asks for.
#
# temporal-sql-tool reads its connection from the environment: SQL_PLUGIN, SQL_HOST, SQL_PORT, SQL_USER,
# SQL_PASSWORD.
set -eu

schemas=/etc/temporal/schema/postgresql/v12

for db in temporal temporal_visibility; do
  case "$db" in
    temporal) dir="$schemas/temporal/versioned" ;;
    *) dir="$schemas/visibility/versioned" ;;
  esac
  temporal-sql-tool --db "$db" create-database
  temporal-sql-tool --db "$db" setup-schema -v 0.0
  temporal-sql-tool --db "$db" update-schema -d "$dir"
done
echo "temporal-setup: schemas are current"
