#!/usr/bin/env bash
# Starts a throw-away PostgreSQL server for the register's PostgreSQL test suite and prints the
# JDBC URL to use as REGISTER_TEST_POSTGRES_URL. Own data directory, trust authentication,
# loopback only; port ${PGTEST_PORT:-5433}. Runs the server as the 'postgres' user when started
# as root (PostgreSQL refuses to run as root).
set -euo pipefail
port="${PGTEST_PORT:-5433}"
dir="${PGTEST_DIR:-/tmp/register-pgtest}"
bin="$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)"
if [ -z "$bin" ] || [ ! -x "$bin/initdb" ]; then
  echo "start-test-postgres: no PostgreSQL server binaries under /usr/lib/postgresql" >&2
  exit 1
fi
as_pg() {
  if [ "$(id -u)" = 0 ]; then su postgres -s /bin/bash -c "$*"; else bash -c "$*"; fi
}
if [ ! -f "$dir/PG_VERSION" ]; then
  mkdir -p "$dir"
  [ "$(id -u)" = 0 ] && chown postgres "$dir"
  as_pg "'$bin/initdb' -D '$dir' -U postgres -A trust >/dev/null"
fi
if ! as_pg "'$bin/pg_ctl' -D '$dir' status" >/dev/null 2>&1; then
  as_pg "'$bin/pg_ctl' -D '$dir' -l '$dir/server.log' -w -o '-p $port -k /tmp -c listen_addresses=127.0.0.1' start" >&2
fi
echo "jdbc:postgresql://127.0.0.1:$port/postgres?user=postgres"
