#!/usr/bin/env bash
# Every test of Bazar, in order from cheapest to dearest. Called by `make test`
# after the tools are installed; stops at the first failure.
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$PWD/node_modules/.bin:$HOME/.cargo/bin:$PATH"
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$PWD/target}"

step() { echo; echo "==> $*"; }

step "Formatting (rustfmt)"
cargo fmt --all -- --check

step "Lints (clippy -D warnings): contract and server"
cargo clippy --workspace --all-targets --locked -- -D warnings
step "Lints (clippy -D warnings): the app for wasm32"
cargo clippy -p bazar --target wasm32-unknown-unknown --all-targets --locked -- -D warnings

step "Unit tests and server integration tests (cargo test)"
cargo test --workspace --locked

step "App component tests in headless Chromium (wasm-bindgen-test)"
CHROMEDRIVER=/usr/bin/chromedriver WASM_BINDGEN_TEST_TIMEOUT=120 \
  cargo test -p bazar --target wasm32-unknown-unknown --test web --locked

step "Release build (trunk, wasm-opt -Oz) and the server"
trunk build --release
cargo build --profile server -p bazar-server --locked

step "Size guard"
node scripts/size-guard.mjs

step "End-to-end tests in Chromium at 390x844 (screenshots in target/screenshots/)"
playwright test --config tests/e2e/playwright.config.mjs

echo
echo "All tests passed."
