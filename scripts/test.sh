#!/usr/bin/env bash
# Every test of Bazar, in order from cheapest to dearest. Called by `make test`
# after the tools are installed; stops at the first failure.
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$PWD/node_modules/.bin:$HOME/.cargo/bin:$PATH"
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$PWD/target}"

step() { echo; echo "==> $*"; }

# What to stop and remove when the tests end, however they end.
cleanup=()
on_exit() {
  local i
  for ((i = ${#cleanup[@]} - 1; i >= 0; i--)); do eval "${cleanup[i]}" || true; done
}
trap on_exit EXIT

step "Formatting (rustfmt)"
cargo fmt --all -- --check

step "Lints (clippy -D warnings): contract and server"
cargo clippy --workspace --all-targets --locked -- -D warnings
step "Lints (clippy -D warnings): the app for wasm32"
cargo clippy -p bazar --target wasm32-unknown-unknown --all-targets --locked -- -D warnings

# The store's tests run on SQLite and on PostgreSQL: a throwaway cluster of
# Debian's postgresql (scripts/pg-cluster.sh), unless BAZAR_TEST_PG names one.
if [ -z "${BAZAR_TEST_PG:-}" ]; then
  step "A throwaway PostgreSQL cluster for the tests (scripts/pg-cluster.sh)"
  pg_dir=$(mktemp -d)
  cleanup+=("scripts/pg-cluster.sh stop '$pg_dir'; rm -rf '$pg_dir'")
  # The tests kill servers, not machines: the cluster need not sync to disk.
  BAZAR_TEST_PG=$(PG_SETTINGS="fsync=off" scripts/pg-cluster.sh start "$pg_dir")
  echo "$BAZAR_TEST_PG"
fi
export BAZAR_TEST_PG

step "Unit tests and server integration tests on SQLite (cargo test)"
cargo test --workspace --locked

step "Server integration tests on PostgreSQL (cargo test, BAZAR_TEST_STORE=postgres)"
BAZAR_TEST_STORE=postgres cargo test -p bazar-server --test it --locked

step "App component tests in headless Chromium (wasm-bindgen-test)"
CHROMEDRIVER=/usr/bin/chromedriver WASM_BINDGEN_TEST_TIMEOUT=120 \
  cargo test -p bazar --target wasm32-unknown-unknown --test web --locked

step "Release build (trunk, wasm-opt -Oz) of the three apps, and the server"
scripts/build-app.sh
cargo build --profile server -p bazar-server --locked

step "Size guard"
node scripts/size-guard.mjs

step "Crash loop: 30 SIGKILLs while orders are placed (tests/crash/crash_loop.py)"
python3 tests/crash/crash_loop.py "$CARGO_TARGET_DIR/server/bazar-server" --loops 30

step "Two servers on one PostgreSQL: the last eggs, one key sent to both, the catalog followed, SIGKILLs (tests/multi/two_servers.py)"
python3 tests/multi/two_servers.py "$CARGO_TARGET_DIR/server/bazar-server" --pg "$BAZAR_TEST_PG"

step "Abuse: sign-in flood, 1,000 slow connections, photo bombs; the server's peak memory under 256 MB (tests/abuse/abuse.py)"
python3 tests/abuse/abuse.py "$CARGO_TARGET_DIR/server/bazar-server"

step "The API fuzzed from its own OpenAPI document (schemathesis): no 5xx, every answer as documented"
fuzz_dir=$(mktemp -d)
fuzz_port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
server="$CARGO_TARGET_DIR/server/bazar-server"
# An operator signed in, so the center's routes are fuzzed past their sign-in.
fuzz_password=$(BAZAR_DB="$fuzz_dir/bazar.db" RUST_LOG=warn "$server" create-account --role operator \
  --hub yultuz-bagh --username fuzz.ops | sed -n 's/^Password (shown only now): //p')
BAZAR_RATE_LIMITS=off RUST_LOG=warn "$server" \
  --addr "127.0.0.1:$fuzz_port" --db "$fuzz_dir/bazar.db" --uploads "$fuzz_dir/uploads" --dist dist &
fuzz_pid=$!
cleanup+=("kill $fuzz_pid 2>/dev/null")
fuzz_cookie=$(python3 - "$fuzz_port" "$fuzz_password" <<'PY'
import json, sys, time, urllib.request
port, password = sys.argv[1], sys.argv[2]
for _ in range(100):
    try:
        request = urllib.request.Request(
            f"http://127.0.0.1:{port}/api/auth/sign-in",
            data=json.dumps({"username": "fuzz.ops", "password": password}).encode(),
            headers={"Content-Type": "application/json", "Sec-Fetch-Site": "same-origin"})
        with urllib.request.urlopen(request) as response:
            print(response.headers["Set-Cookie"].split(";")[0])
            break
    except OSError:
        time.sleep(0.2)
PY
)
# Signing out (or a new password, or a disabled account: the fuzzer's own
# account may be the one it names) would end the session half way through the run.
target/testvenv/bin/st run "http://127.0.0.1:$fuzz_port/api/openapi.json" --wait-for-schema 20 \
  -H "Cookie: $fuzz_cookie" -H "Sec-Fetch-Site: same-origin" --exclude-path /api/auth/sign-out --exclude-path /api/auth/sign-out-everywhere \
  --exclude-path '/api/center/staff/{id}/password' --exclude-path '/api/center/staff/{id}/disable' \
  --checks not_a_server_error,status_code_conformance,content_type_conformance,response_schema_conformance,response_headers_conformance,negative_data_rejection \
  --max-examples 40 --workers 1 --report-dir "$CARGO_TARGET_DIR/schemathesis"
kill $fuzz_pid

step "End-to-end tests in Chromium at 390x844 (screenshots in target/screenshots/)"
playwright test --config tests/e2e/playwright.config.mjs

echo
echo "All tests passed."
