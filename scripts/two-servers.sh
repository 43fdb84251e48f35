#!/usr/bin/env bash
# Bazar as several servers run it: a PostgreSQL database (a new throwaway
# cluster each time, or the one BAZAR_DB names), two servers on it sharing one
# uploads folder, and nginx in front of them on http://127.0.0.1:8080.
# Ctrl-C stops them all. Needs `make build` and `scripts/setup.sh --postgres
# --bench` (PostgreSQL and nginx from Debian) first; `make run-pg` does all.
set -euo pipefail
cd "$(dirname "$0")/.."
server="${CARGO_TARGET_DIR:-$PWD/target}/server/bazar-server"
state="${BAZAR_STATE:-$PWD/target/two-servers}"
mkdir -p "$state/nginx" "$state/uploads"

pids=()
stop() {
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  wait 2>/dev/null || true
  if [ -z "${keep_db:-}" ]; then scripts/pg-cluster.sh stop "$state/pg" || true; fi
}
trap stop EXIT

if [ -n "${BAZAR_DB:-}" ] && [[ "$BAZAR_DB" == postgres* ]]; then
  keep_db=1
else
  # A new cluster each time, seeded with the demo hub.
  if [ -d "$state/pg" ]; then scripts/pg-cluster.sh stop "$state/pg" || true; fi
  rm -rf "$state/pg"
  mkdir -p "$state/pg"
  BAZAR_DB=$(scripts/pg-cluster.sh start "$state/pg")
fi
echo "==> Database $BAZAR_DB"

for port in 8081 8082; do
  BAZAR_DB="$BAZAR_DB" BAZAR_UPLOADS="$state/uploads" BAZAR_TRUSTED_PROXIES=127.0.0.1 \
    "$server" --addr "127.0.0.1:$port" --dist dist &
  pids+=($!)
  # The first server migrates and seeds; the second starts on a ready database.
  for _ in $(seq 100); do
    curl -sf "http://127.0.0.1:$port/api/health" >/dev/null && break
    sleep 0.2
  done
done
nginx -c "$PWD/deploy/nginx-two-servers.conf" -p "$state/nginx" &
pids+=($!)
echo "==> Serving Bazar on http://127.0.0.1:8080 (nginx) from two servers (8081, 8082); Ctrl-C stops them"
wait -n
