#!/usr/bin/env bash
# Builds the three apps (release wasm through trunk and wasm-opt) into dist/:
# the shop at /, the service center at /center/, the sellers' app at
# /seller/; then writes .br and .gz beside every asset. The shop goes first:
# trunk replaces the whole of its dist folder.
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$PWD/node_modules/.bin:$HOME/.cargo/bin:$PATH"
trunk build --release
trunk build center.html --release true --dist dist/center --public-url /center/
trunk build seller.html --release true --dist dist/seller --public-url /seller/
node scripts/precache-list.mjs dist
node scripts/precompress.mjs dist
