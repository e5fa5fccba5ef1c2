#!/usr/bin/env bash
# One database and one owner role per service (auth, connections, claims): a service never reads another's data.
# Run once by the postgres image on an empty data directory (/docker-entrypoint-initdb.d). Passwords come from
# the environment (AUTH_DB_PASSWORD, CONNECTIONS_DB_PASSWORD, CLAIMS_DB_PASSWORD).
set -euo pipefail

create_database() { # name password
  local name="$1" password="$2"
  if [ -z "${password}" ]; then
    echo "01-create-databases: no password for database ${name}" >&2
    exit 1
  fi
  psql -v ON_ERROR_STOP=1 --username "${POSTGRES_USER}" --dbname postgres \
    --set=name="${name}" --set=password="${password}" <<'SQL'
SELECT format('CREATE ROLE %I LOGIN PASSWORD %L', :'name', :'password')
 WHERE NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = :'name') \gexec
SELECT format('CREATE DATABASE %I OWNER %I', :'name', :'name')
 WHERE NOT EXISTS (SELECT 1 FROM pg_database WHERE datname = :'name') \gexec
SELECT format('REVOKE ALL ON DATABASE %I FROM PUBLIC', :'name') \gexec
SQL
  echo "01-create-databases: database ${name} ready"
}

create_database auth "${AUTH_DB_PASSWORD:-}"
create_database connections "${CONNECTIONS_DB_PASSWORD:-}"
create_database claims "${CLAIMS_DB_PASSWORD:-}"
