#!/usr/bin/env bash
# Installs every tool the build and the tests need, at pinned versions, and
# skips each one that is already there. `--browser` adds Chromium and
# ChromeDriver from Debian for the browser tests; `--postgres` adds the
# PostgreSQL server from Debian for scripts/pg-cluster.sh.
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$PWD/node_modules/.bin:$HOME/.cargo/bin:$PATH"

step() { echo "==> $*"; }
skip() { echo "    ok: $*"; }

as_root() {
  if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi
}

if [ "${1:-}" = "--bench" ]; then
  if command -v wrk >/dev/null && command -v nginx >/dev/null; then
    skip "wrk and nginx"
  else
    step "Installing wrk and nginx from Debian (apt-get) for make bench"
    as_root apt-get update -qq
    as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk nginx-light
  fi
  exit 0
fi

if [ "${1:-}" = "--postgres" ]; then
  if pg_bindir=$(scripts/pg-cluster.sh bindir 2>/dev/null); then
    skip "postgresql $("$pg_bindir/postgres" --version | awk '{print $3}')"
  else
    step "Installing the PostgreSQL server from Debian (apt-get) for scripts/pg-cluster.sh"
    as_root apt-get update -qq
    as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql
  fi
  exit 0
fi

if [ "${1:-}" = "--browser" ]; then
  # Test-only tools: schemathesis (PyPI, pinned) fuzzes the API from its OpenAPI document.
  if [ -x target/testvenv/bin/st ] && cmp -s scripts/test-requirements.txt target/testvenv/.requirements 2>/dev/null; then
    skip "schemathesis $(target/testvenv/bin/pip show schemathesis 2>/dev/null | awk '/^Version/ {print $2}')"
  else
    step "Installing schemathesis into target/testvenv (pip)"
    python3 -m venv target/testvenv
    target/testvenv/bin/pip install --quiet --disable-pip-version-check -r scripts/test-requirements.txt
    cp scripts/test-requirements.txt target/testvenv/.requirements
  fi

  if command -v chromium >/dev/null && command -v chromedriver >/dev/null && fc-list | grep "Noto Sans CJK" >/dev/null; then
    skip "chromium $(chromium --version 2>/dev/null | awk '{print $2}') and chromedriver"
  else
    step "Installing Chromium and ChromeDriver from Debian (apt-get)"
    as_root apt-get update -qq
    # Phones have Chinese fonts; the test browser needs one too, or screenshots show boxes.
    as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium chromium-driver fonts-noto-cjk
  fi
  exit 0
fi

if rustup target list --installed | grep -qx wasm32-unknown-unknown; then
  skip "rust target wasm32-unknown-unknown"
else
  step "Adding the rust target wasm32-unknown-unknown"
  rustup target add wasm32-unknown-unknown
fi

if command -v trunk >/dev/null && trunk --version | grep -q '^trunk 0\.21\.'; then
  skip "$(trunk --version)"
else
  step "Installing trunk 0.21 (cargo install; takes about 6 minutes once)"
  cargo install trunk --version '^0.21' --locked
fi

# The CLI must match the wasm-bindgen crate in Cargo.lock exactly.
bindgen_version=$(awk '/^name = "wasm-bindgen"$/ { getline; gsub(/version = |"/, ""); print; exit }' Cargo.lock)
if [ -z "$bindgen_version" ]; then
  echo "error: no wasm-bindgen in Cargo.lock" >&2
  exit 1
fi
if ! grep -q "wasm_bindgen = \"$bindgen_version\"" Trunk.toml; then
  echo "error: Trunk.toml's wasm_bindgen is not $bindgen_version (Cargo.lock)" >&2
  exit 1
fi
if command -v wasm-bindgen >/dev/null && [ "$(wasm-bindgen --version | awk '{print $2}')" = "$bindgen_version" ]; then
  skip "wasm-bindgen $bindgen_version"
else
  step "Installing wasm-bindgen-cli $bindgen_version (cargo install; about 2 minutes once)"
  # Not --locked: one of its locked dependencies is no longer in the registry.
  cargo install wasm-bindgen-cli --version "$bindgen_version" --force
fi

if [ -x node_modules/.bin/wasm-opt ] && [ -d node_modules/@playwright/test ] \
  && cmp -s package-lock.json node_modules/.package-lock.json.bazar 2>/dev/null; then
  skip "wasm-opt $(wasm-opt --version | awk '{print $3}') and Playwright (npm)"
else
  step "Installing wasm-opt (binaryen) and Playwright from npm (npm ci)"
  npm ci --no-audit --no-fund --loglevel=error
  cp package-lock.json node_modules/.package-lock.json.bazar
fi
