#!/usr/bin/env bash
# A throwaway PostgreSQL 15 cluster for tests: its own temp dir, a free port, 127.0.0.1 only,
# trust auth (loopback only), durability off for speed.
#   pg-cluster.sh start OWNER_PID   prints "PORT DIR"; exits 3 when the PostgreSQL server is not installed
#   pg-cluster.sh stop DIR          stops it and removes DIR
# As root the server runs as the `postgres` user (initdb refuses root). A detached watcher stops
# the cluster and removes DIR once OWNER_PID has exited, so a crashed or killed test leaves nothing.
set -euo pipefail
bindir=${SENGEN_PG_BINDIR:-/usr/lib/postgresql/15/bin}
self=$(readlink -f "$0")

as_owner() {
  if [[ $(id -u) -eq 0 ]]; then runuser -u postgres -- "$@"; else "$@"; fi
}

case ${1:-} in
start)
  owner=${2:?owner pid}
  if [[ ! -x $bindir/initdb || ! -x $bindir/pg_ctl ]]; then
    echo "PostgreSQL 15 server not found in $bindir (Debian package postgresql)" >&2
    exit 3
  fi
  dir=$(mktemp -d /tmp/sengen-pg.XXXXXX)
  [[ $(id -u) -ne 0 ]] || chown postgres: "$dir"
  chmod 700 "$dir"
  port=$(/usr/bin/python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
  if ! as_owner "$bindir/initdb" -D "$dir/data" -U postgres -A trust -E UTF8 --locale=C --no-sync \
        >"$dir/initdb.log" 2>&1; then
    cat "$dir/initdb.log" >&2; rm -rf "$dir"; exit 1
  fi
  if ! as_owner "$bindir/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 60 \
        -o "-p $port -c listen_addresses=127.0.0.1 -c unix_socket_directories=$dir -c fsync=off \
            -c synchronous_commit=off -c full_page_writes=off -c max_connections=100" start >/dev/null 2>&1; then
    cat "$dir/server.log" >&2 2>/dev/null || true; rm -rf "$dir"; exit 1
  fi
  # The watcher: detached from the caller's session and output, so it outlives a killed test.
  setsid bash -c 'while kill -0 "$1" 2>/dev/null && [[ -d $2 ]]; do sleep 0.5; done; "$3" stop "$2"' \
    watcher "$owner" "$dir" "$self" </dev/null >/dev/null 2>&1 &
  echo "$port $dir"
  ;;
stop)
  dir=${2:?dir}
  [[ $dir == /tmp/sengen-pg.* ]] || { echo "refusing to remove $dir" >&2; exit 2; }
  if [[ -f $dir/data/postmaster.pid ]]; then
    as_owner "$bindir/pg_ctl" -D "$dir/data" -m immediate -w stop >/dev/null 2>&1 || true
  fi
  rm -rf "$dir"
  ;;
*)
  echo "usage: $0 start OWNER_PID | stop DIR" >&2
  exit 2
  ;;
esac
