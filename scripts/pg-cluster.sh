#!/usr/bin/env bash
# A throwaway PostgreSQL cluster for tests and benchmarks.
#
#   scripts/pg-cluster.sh start DIR   # prints postgres://postgres@127.0.0.1:PORT/bazar
#   scripts/pg-cluster.sh stop DIR
#   scripts/pg-cluster.sh bindir      # prints the folder of the server's programs
#
# `start` makes a cluster in DIR/data (DIR exists and may be empty), listening
# on a free loopback port and on a unix socket in DIR, logging to DIR/log, with
# one database, bazar; anyone on this machine may connect as postgres without
# a password. Extra server settings go in PG_SETTINGS, e.g.
# PG_SETTINGS="fsync=off synchronous_commit=off". Only the URL goes to stdout.
# Run as root, the server runs as the postgres user, which then owns DIR.
# Nothing is downloaded: the server comes from `scripts/setup.sh --postgres`.
set -euo pipefail

usage() {
  echo "usage: $0 start DIR | stop DIR | bindir" >&2
  exit 2
}

[ $# -ge 1 ] || usage
command=$1

# The server binaries: pg_config's, or else the newest Debian installs.
bindir=""
if command -v pg_config >/dev/null && [ -x "$(pg_config --bindir)/initdb" ]; then
  bindir=$(pg_config --bindir)
else
  for candidate in $(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V); do
    if [ -x "$candidate/initdb" ]; then bindir=$candidate; fi
  done
fi
if [ -z "$bindir" ]; then
  echo "error: no PostgreSQL server (initdb) found; run scripts/setup.sh --postgres" >&2
  exit 1
fi
if [ "$command" = bindir ]; then
  echo "$bindir"
  exit 0
fi

[ $# -eq 2 ] || usage
[ -d "$2" ] || { echo "error: $2 is not a directory" >&2; exit 1; }
dir=$(cd "$2" && pwd)
data="$dir/data"

# PostgreSQL refuses to run as root.
as_postgres() {
  if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

case "$command" in
  start)
    if [ "$(id -u)" = 0 ]; then
      id postgres >/dev/null 2>&1 || { echo "error: running as root, but there is no postgres user" >&2; exit 1; }
      chown postgres: "$dir"
    fi
    port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
    as_postgres "$bindir/initdb" -D "$data" -A trust -U postgres -E UTF8 --locale=C >&2
    # pg_ctl hands these to a shell: quote the socket directory.
    options="-p $port -c listen_addresses=127.0.0.1 -c unix_socket_directories='$dir' -c max_connections=400"
    read -r -a settings <<<"${PG_SETTINGS:-}"
    for setting in ${settings[@]+"${settings[@]}"}; do
      options="$options -c $setting"
    done
    as_postgres "$bindir/pg_ctl" -D "$data" -l "$dir/log" -w -o "$options" start >&2
    "$bindir/createdb" -h 127.0.0.1 -p "$port" -U postgres bazar >&2
    echo "postgres://postgres@127.0.0.1:$port/bazar"
    ;;
  stop)
    # pg_ctl status: 0 running, 3 not running, 4 no cluster there.
    if as_postgres "$bindir/pg_ctl" -D "$data" status >/dev/null 2>&1; then
      as_postgres "$bindir/pg_ctl" -D "$data" -m fast -s stop >&2
    fi
    ;;
  *)
    usage
    ;;
esac
