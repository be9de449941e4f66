#!/usr/bin/env bash
# Start a throwaway PostgreSQL server for the tests; print its URL on stdout.
# Usage: KILN_TEST_POSTGRES_URL=$(.ci/postgres.sh)
# The server listens on 127.0.0.1 on a free port, with its data in /tmp.
set -euo pipefail

bin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1 || true)
if [ -z "$bin" ] || [ ! -x "$bin/initdb" ]; then
  apt-get update -qq >&2
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >&2
  bin=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -n 1)
fi

data=$(mktemp -d /tmp/kiln-pg.XXXXXX)
port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
as_owner() {
  # PostgreSQL refuses to run as root: use the postgres user when we are root
  if [ "$(id -u)" = 0 ]; then chown postgres:postgres "$data"; su postgres -s /bin/sh -c "$1"; else sh -c "$1"; fi
}
as_owner "'$bin/initdb' -D '$data/db' -U kiln --auth=trust -E UTF8 >/dev/null"
if ! as_owner "'$bin/pg_ctl' -D '$data/db' -l '$data/log' -w start -o '-p $port -k $data -c listen_addresses=127.0.0.1 -c fsync=off' >/dev/null"; then
  cat "$data/log" >&2
  exit 1
fi
echo "postgres://kiln@127.0.0.1:$port/postgres"
