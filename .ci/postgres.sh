#!/usr/bin/env bash
# Start a throwaway PostgreSQL server for the tests and print its URL.
# Usage: eval "$(.ci/postgres.sh)"  -> exports KILN_TEST_POSTGRES_URL
set -euo pipefail

bin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1 || true)
if [ -z "$bin" ] || [ ! -x "$bin/initdb" ]; then
  apt-get update -qq >&2
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >&2
  bin=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -n 1)
fi

data=$(mktemp -d /tmp/kiln-pg.XXXXXX)
chown postgres:postgres "$data"
port=${KILN_TEST_PG_PORT:-54329}
run() { if [ "$(id -u)" = 0 ]; then su postgres -s /bin/sh -c "$*"; else sh -c "$*"; fi; }
run "'$bin/initdb' -D '$data/db' -U kiln --auth=trust -E UTF8 >/dev/null"
run "'$bin/pg_ctl' -D '$data/db' -l '$data/log' -o \"-p $port -k $data -c listen_addresses=127.0.0.1 -c fsync=off\" -w start >/dev/null"
echo "export KILN_TEST_POSTGRES_URL=postgres://kiln@127.0.0.1:$port/postgres"
