# Bazar: `make run` serves the shop, `make test` runs every test.
# Both install what is missing first (see scripts/setup.sh) and skip what is done.

SHELL := /bin/bash
export PATH := $(CURDIR)/node_modules/.bin:$(HOME)/.cargo/bin:$(PATH)
export CARGO_TARGET_DIR ?= $(CURDIR)/target

BAZAR_ADDR ?= 127.0.0.1:8080
BAZAR_DB ?= bazar.db
export BAZAR_ADDR BAZAR_DB

SERVER_BIN := $(CARGO_TARGET_DIR)/server/bazar-server

.PHONY: run run-pg test soak bench setup setup-browser setup-postgres build app server clean

## Build the app and the server, then serve the shop on $(BAZAR_ADDR) (demo data in $(BAZAR_DB)).
run: setup build
	@echo "==> Serving Bazar on http://$(BAZAR_ADDR) (database $(BAZAR_DB)); Ctrl-C stops it"
	@exec $(SERVER_BIN) --dist dist

## The shop on PostgreSQL as several servers run it: two servers behind nginx on http://127.0.0.1:8080 (scripts/two-servers.sh).
run-pg: setup build
	@scripts/setup.sh --postgres
	@scripts/setup.sh --bench
	@scripts/two-servers.sh

## Every test: formatting, lints, unit, server, browser component and end-to-end tests, size guard.
test: setup setup-browser setup-postgres
	@scripts/test.sh

## 500 SIGKILLs while orders are placed; prints the totals.
soak: setup server
	@python3 tests/crash/crash_loop.py $(SERVER_BIN) --loops 500

## Measures the release build side by side (catalog vs nginx, durable orders vs raw SQLite commits, and on PostgreSQL vs pgbench, one server and two behind nginx).
bench: setup build
	@scripts/setup.sh --bench
	@scripts/setup.sh --postgres
	@cd bench && { cmp -s package-lock.json node_modules/.package-lock.json.bazar 2>/dev/null \
	  || { npm ci --no-audit --no-fund --loglevel=error && cp package-lock.json node_modules/.package-lock.json.bazar; }; }
	@python3 bench/bench.py

setup:
	@scripts/setup.sh

setup-browser:
	@scripts/setup.sh --browser

setup-postgres:
	@scripts/setup.sh --postgres

build: app server

app:
	@echo "==> Building the apps (release wasm, trunk): shop, service center, sellers"
	@scripts/build-app.sh

server:
	@echo "==> Building the server"
	@cargo build --profile server -p bazar-server

clean:
	rm -rf dist target node_modules
