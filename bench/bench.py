#!/usr/bin/env python3
"""`make bench`: the release server on loopback, measured side by side.

1. Catalog throughput: wrk on GET /api/products against the server, and
   against nginx serving the same JSON bytes from a file (worker_processes
   auto): requests/s, p50/p99 latency, the ratio.
2. Durable order placement: orders/s under 32 concurrent clients (each order
   distinct, a real stock decrement, synchronous=FULL), and the raw rate of
   durable single-row SQLite commits on the same disk; the ratio.
3. Lighthouse 12.2.3 (mobile preset) on the shop's home, a product page,
   checkout and a tutor step (installed into bench/node_modules by make bench).
4. PostgreSQL, on a throwaway cluster (scripts/pg-cluster.sh, durable
   defaults: fsync on, synchronous_commit on) on the same disk: the raw rate
   of durable single-row commits (pgbench, 32 clients); durable orders/s
   with one server on a fresh database, and the ratio to pgbench's commits/s;
   durable orders/s with two servers on one fresh database behind nginx
   (upstream keepalive 64); the catalog through that nginx. Stock is checked
   against the orders placed after each order load, as for SQLite. Needs
   psql and pgbench (scripts/setup.sh --postgres).

Prints one table and writes bench/results.json."""
import json
import os
import pathlib
import re
import shutil
import socket
import sqlite3
import subprocess
import sys
import tempfile
import time
import urllib.parse
import urllib.request

root = pathlib.Path(__file__).resolve().parent.parent
server = pathlib.Path(os.environ.get("CARGO_TARGET_DIR", root / "target")) / "server/bazar-server"
DURATION = os.environ.get("BENCH_DURATION", "10s")


def free_port():
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    return port


def wait_for(url, timeout=30):
    end = time.time() + timeout
    last = None
    while time.time() < end:
        try:
            with urllib.request.urlopen(url) as r:
                return r.read()
        except OSError as e:
            last = e
            time.sleep(0.1)
    raise SystemExit(f"{url} did not answer: {last}")


def ms(text):
    """wrk's latency ("812.00us", "1.43ms", "1.11s", "1.02m") in milliseconds."""
    match = re.match(r"([\d.]+)(us|ms|s|m)$", text)
    if not match:
        return float("nan")
    value, unit = match.groups()
    return float(value) * {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60_000.0}[unit]


def wrk(url, connections, threads=2, script=None, args=()):
    cmd = ["wrk", f"-t{threads}", f"-c{connections}", f"-d{DURATION}", "--latency"]
    if script:
        cmd += ["-s", str(script)]
    cmd += [url, *args]
    out = subprocess.run(cmd, capture_output=True, text=True, check=True).stdout
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))
    # The distribution's own lines: "     50%  292.00us" (a thread's stdev
    # column, "72.50%", must not be read as the 50th percentile).
    p50 = ms(re.search(r"^\s+50%\s+(\S+)", out, re.M).group(1))
    p99 = ms(re.search(r"^\s+99%\s+(\S+)", out, re.M).group(1))
    return {"requests_per_s": rps, "p50_ms": p50, "p99_ms": p99, "raw": out}


def raw_commits(path, seconds=3.0):
    db = sqlite3.connect(path, isolation_level=None)
    db.execute("PRAGMA journal_mode=WAL")
    db.execute("PRAGMA synchronous=FULL")
    db.execute("CREATE TABLE t (id INTEGER PRIMARY KEY, v TEXT)")
    n = 0
    start = time.perf_counter()
    while time.perf_counter() - start < seconds:
        db.execute("INSERT INTO t (v) VALUES ('x')")
        n += 1
    rate = n / (time.perf_counter() - start)
    db.close()
    return rate


def seconds(duration):
    """wrk's duration ("10s", "2m", "1h", or bare seconds) in seconds."""
    match = re.match(r"([\d.]+)([smh]?)$", duration.strip())
    if not match:
        raise SystemExit(f"BENCH_DURATION={duration!r} is not a duration like 10s, 2m or 1h")
    value, unit = match.groups()
    return float(value) * {"": 1, "s": 1, "m": 60, "h": 3600}[unit]


# --- PostgreSQL -------------------------------------------------------------

def pg_tool(name):
    """psql or pgbench: on PATH, or else where scripts/pg-cluster.sh finds the server."""
    found = shutil.which(name)
    if found:
        return found
    bindirs = []
    if shutil.which("pg_config"):
        done = subprocess.run(["pg_config", "--bindir"], capture_output=True, text=True)
        if done.returncode == 0:
            bindirs.append(done.stdout.strip())
    versions = sorted(pathlib.Path("/usr/lib/postgresql").glob("*/bin"),
                      key=lambda d: [int(p) if p.isdigit() else 0 for p in d.parent.name.split(".")])
    bindirs += [str(d) for d in reversed(versions)]
    for bindir in bindirs:
        candidate = pathlib.Path(bindir) / name
        if os.access(candidate, os.X_OK):
            return str(candidate)
    raise SystemExit(f"{name} not found: the PostgreSQL measurements need psql and pgbench, which come with "
                     f"Debian's postgresql; install them with scripts/setup.sh --postgres (make setup-postgres)")


def psql(url, sql):
    """The text of `sql`'s answer (unaligned, tuples only, fields split by '|')."""
    done = subprocess.run([pg_tool("psql"), "-X", "-A", "-t", "-q", "-v", "ON_ERROR_STOP=1", "-d", url, "-c", sql],
                          capture_output=True, text=True, timeout=120)
    if done.returncode != 0:
        raise SystemExit(f"psql failed (exit {done.returncode}) on: {sql}\n{done.stderr.strip()}")
    return done.stdout.strip()


def fresh_database(url, name):
    """Creates database `name` on the cluster of `url`; its URL."""
    psql(url, f"CREATE DATABASE {name}")
    parts = urllib.parse.urlsplit(url)
    return urllib.parse.urlunsplit(parts._replace(path="/" + name))


def pgbench_commits(url, script, clients=32, threads=2):
    """pgbench's tps for `script` (one single-row INSERT a transaction)."""
    cmd = [pg_tool("pgbench"), "-n", "-f", str(script), "-c", str(clients), "-j", str(threads),
           "-T", str(max(1, round(seconds(DURATION)))), url]
    done = subprocess.run(cmd, capture_output=True, text=True)
    if done.returncode != 0:
        raise SystemExit(f"pgbench failed (exit {done.returncode}):\n{done.stdout}\n{done.stderr}")
    out = done.stdout
    tps = re.search(r"^tps = ([\d.]+) \(without initial connection time\)", out, re.M)
    if not tps:
        raise SystemExit(f"no tps in pgbench's output:\n{out}\n{done.stderr}")
    processed = re.search(r"number of transactions actually processed: (\d+)", out)
    failed = re.search(r"number of failed transactions: (\d+)", out)
    latency = re.search(r"latency average = ([\d.]+) ms", out)
    return {"commits_per_s": float(tps.group(1)),
            "transactions": int(processed.group(1)) if processed else None,
            "failed_transactions": int(failed.group(1)) if failed else None,
            "latency_avg_ms": float(latency.group(1)) if latency else None}


def start_server(db_url, port, uploads):
    """A bazar-server on `db_url` (limits off), answering on `port`."""
    env = {**os.environ, "BAZAR_RATE_LIMITS": "off", "RUST_LOG": "warn"}
    proc = subprocess.Popen(
        [server, "--addr", f"127.0.0.1:{port}", "--db", db_url, "--uploads", uploads, "--dist", root / "dist"],
        env=env,
    )
    try:
        end = time.time() + 60
        while True:
            if proc.poll() is not None:
                raise SystemExit(f"bazar-server on {db_url} exited with {proc.returncode} while starting")
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/api/products", timeout=5) as r:
                    r.read()
                return proc
            except OSError as e:
                if time.time() > end:
                    raise SystemExit(f"bazar-server on {db_url} did not answer on port {port}: {e}")
                time.sleep(0.1)
    except BaseException:
        stop(proc)
        raise


def stop(proc):
    """SIGTERM, then SIGKILL after 20 s."""
    if proc.poll() is None:
        proc.terminate()
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


def proxy_conf(tmp, ports, listen):
    """nginx in front of the servers on `ports`, listening on `listen`: its
    configuration file, checked by nginx -t."""
    servers = " ".join(f"server 127.0.0.1:{p};" for p in ports)
    conf = tmp / "nginx-pg.conf"
    conf.write_text(
        f"""worker_processes auto; daemon off; pid {tmp}/nginx-pg.pid; error_log {tmp}/nginx-pg.err;
events {{ worker_connections 1024; }}
http {{ access_log off;
  upstream bazar {{ {servers} keepalive 64; }}
  server {{ listen 127.0.0.1:{listen};
    location / {{ proxy_pass http://bazar; proxy_http_version 1.1;
      proxy_set_header Connection ""; proxy_set_header Host $http_host; }} }} }}
"""
    )
    checked = subprocess.run(["nginx", "-t", "-q", "-c", conf, "-p", tmp], capture_output=True, text=True)
    if checked.returncode != 0:
        raise SystemExit(f"nginx -t failed on {conf}:\n{checked.stderr}")
    return conf


def pg_orders(db_url, base):
    """The SQLite measurement's order load on PostgreSQL: product 1 made a stock
    product with plenty in stock, wrk + order.lua to `base`, 32 clients; stock
    checked against the orders placed."""
    psql(db_url, "UPDATE product SET capacity = 'stock', available = 1000000000 WHERE id = 1")
    before = int(psql(db_url, "SELECT COUNT(*) FROM customer_order"))
    start = time.perf_counter()
    orders = wrk(base, 32, script=root / "bench/order.lua", args=["--", "1"])
    elapsed = time.perf_counter() - start
    placed = int(psql(db_url, "SELECT COUNT(*) FROM customer_order")) - before
    left = int(psql(db_url, "SELECT available FROM product WHERE id = 1"))
    assert placed > 0, f"no orders were placed on {db_url}"
    assert left == 1_000_000_000 - placed, "stock must match the orders placed"
    return {"clients": 32, "orders": placed, "orders_per_s": placed / seconds(DURATION),
            "p50_ms": orders["p50_ms"], "p99_ms": orders["p99_ms"],
            "wrk_requests_per_s": orders["requests_per_s"], "wall_s": elapsed}


def postgres():
    """The PostgreSQL measurements (docstring, 4.); their results entries."""
    for tool in ("psql", "pgbench"):
        pg_tool(tool)
    results = []
    with tempfile.TemporaryDirectory(dir=root / "target", ignore_cleanup_errors=True) as tmp:
        tmp = pathlib.Path(tmp)
        # The cluster's server runs as postgres (when started by root), nginx's
        # workers as another user: both must reach into this folder.
        os.chmod(tmp, 0o755)
        cluster = tmp / "pg"
        cluster.mkdir()
        # The durable defaults, whatever the caller's environment says.
        env = {k: v for k, v in os.environ.items() if k != "PG_SETTINGS"}
        try:
            started = subprocess.run([root / "scripts/pg-cluster.sh", "start", cluster], env=env,
                                     capture_output=True, text=True)
            if started.returncode != 0:
                raise SystemExit(f"scripts/pg-cluster.sh start failed (exit {started.returncode}); "
                                 f"scripts/setup.sh --postgres installs the server:\n{started.stderr}")
            url = started.stdout.strip()
            fsync, sync_commit, wal_sync, version = psql(
                url, "SELECT current_setting('fsync'), current_setting('synchronous_commit'), "
                     "current_setting('wal_sync_method'), current_setting('server_version')").split("|")
            assert (fsync, sync_commit) == ("on", "on"), f"not durable: fsync={fsync} synchronous_commit={sync_commit}"
            settings = {"postgresql": version, "fsync": fsync, "synchronous_commit": sync_commit,
                        "wal_sync_method": wal_sync, "duration": DURATION}

            # Raw durable single-row commits: pgbench, 32 clients, 2 threads.
            psql(url, "CREATE TABLE bench_commit (id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY, v INTEGER NOT NULL)")
            script = tmp / "commit.sql"
            script.write_text("INSERT INTO bench_commit (v) VALUES (1);\n")
            raw = pgbench_commits(url, script)
            results.append({"measurement": "pg_raw_commits", **raw,
                            "pgbench": {"clients": 32, "threads": 2, "no_vacuum": True,
                                        "script": "INSERT INTO bench_commit (v) VALUES (1);"},
                            **settings})

            # Durable orders, one server on a fresh database.
            db_one = fresh_database(url, "bench_orders_1_server")
            port = free_port()
            proc = start_server(db_one, port, tmp / "uploads-1")
            try:
                one = pg_orders(db_one, f"http://127.0.0.1:{port}")
            finally:
                stop(proc)
            results.append({"measurement": "pg_durable_orders_1_server", **one, "servers": 1,
                            "raw_durable_commits_per_s": raw["commits_per_s"],
                            "ratio_to_raw_commits": one["orders_per_s"] / raw["commits_per_s"],
                            "rate_limits": "off", **settings})

            # Two servers on one fresh database, behind nginx.
            db_two = fresh_database(url, "bench_orders_2_servers")
            ports = [free_port(), free_port()]
            uploads = tmp / "uploads-2"  # shared, as two servers behind one proxy would
            procs = []
            try:
                # One at a time: the first migrates and seeds the empty database.
                for p in ports:
                    procs.append(start_server(db_two, p, uploads))
                nginx_port = free_port()
                conf = proxy_conf(tmp, ports, nginx_port)
                nginx = subprocess.Popen(["nginx", "-c", conf, "-p", tmp])
                try:
                    front = f"http://127.0.0.1:{nginx_port}"
                    body = wait_for(f"{front}/api/products")
                    # The catalog first, before the orders change it (as for SQLite).
                    catalog = wrk(f"{front}/api/products", 32)
                    two = pg_orders(db_two, front)
                finally:
                    stop(nginx)
            finally:
                for proc in procs:
                    stop(proc)
            proxy = {"servers": 2, "proxy": "nginx", "nginx_worker_processes": "auto", "upstream_keepalive": 64,
                     "rate_limits": "off"}
            results.append({"measurement": "pg_durable_orders_2_servers", **two, **proxy,
                            "raw_durable_commits_per_s": raw["commits_per_s"],
                            "ratio_to_raw_commits": two["orders_per_s"] / raw["commits_per_s"], **settings})
            results.append({"measurement": "pg_catalog_2_servers_nginx", "bytes": len(body), "connections": 32,
                            **{k: v for k, v in catalog.items() if k != "raw"}, **proxy, **settings})
        finally:
            stopped = subprocess.run([root / "scripts/pg-cluster.sh", "stop", cluster], env=env,
                                     capture_output=True, text=True)
            if stopped.returncode != 0:
                print(f"warning: scripts/pg-cluster.sh stop {cluster} failed:\n{stopped.stderr}", file=sys.stderr)
    return results


def main():
    # The PostgreSQL measurements come last: find their tools before anything runs.
    for tool in ("psql", "pgbench"):
        pg_tool(tool)
    results = []
    with tempfile.TemporaryDirectory(dir=root / "target") as tmp:
        tmp = pathlib.Path(tmp)
        # nginx's workers run as another user when started by root.
        os.chmod(tmp, 0o755)
        port = free_port()
        db = tmp / "bench.db"
        env = {**os.environ, "BAZAR_RATE_LIMITS": "off", "RUST_LOG": "warn"}
        proc = subprocess.Popen(
            [server, "--addr", f"127.0.0.1:{port}", "--db", db, "--uploads", tmp / "uploads", "--dist", root / "dist"],
            env=env,
        )
        try:
            base = f"http://127.0.0.1:{port}"
            body = wait_for(f"{base}/api/products")

            # 1. The catalog: the server against nginx serving the same bytes.
            www = tmp / "www" / "api"
            www.mkdir(parents=True)
            (www / "products").write_bytes(body)
            nginx_port = free_port()
            conf = tmp / "nginx.conf"
            conf.write_text(
                f"""worker_processes auto; daemon off; pid {tmp}/nginx.pid; error_log {tmp}/nginx.err;
events {{ worker_connections 1024; }}
http {{ access_log off; default_type application/json;
  server {{ listen 127.0.0.1:{nginx_port}; root {tmp}/www; }} }}
"""
            )
            nginx = subprocess.Popen(["nginx", "-c", conf, "-p", tmp])
            try:
                wait_for(f"http://127.0.0.1:{nginx_port}/api/products")
                ours = wrk(f"{base}/api/products", 32)
                theirs = wrk(f"http://127.0.0.1:{nginx_port}/api/products", 32)
            finally:
                nginx.terminate()
                nginx.wait()
            ratio = ours["requests_per_s"] / theirs["requests_per_s"]
            results.append({"measurement": "catalog_throughput", "bytes": len(body), "connections": 32,
                             "server": {k: v for k, v in ours.items() if k != "raw"},
                             "nginx": {k: v for k, v in theirs.items() if k != "raw"},
                             "ratio_to_nginx": ratio, "target_ratio": 0.8, "target_p99_ms": 5.0})

            # 3. Lighthouse, before the orders change the catalog.
            lighthouse = []
            if (root / "bench/node_modules/lighthouse").exists():
                out = subprocess.run(["node", root / "bench/lighthouse.mjs", base], capture_output=True,
                                     text=True, check=True, cwd=root).stdout
                lighthouse = json.loads(out)

            # 2. Durable orders: a product with plenty of stock, 32 clients.
            with sqlite3.connect(db) as c:
                c.execute("UPDATE product SET capacity = 'stock', available = 1000000000 WHERE id = 1")
            before = sqlite3.connect(db).execute("SELECT COUNT(*) FROM customer_order").fetchone()[0]
            start = time.perf_counter()
            orders = wrk(f"{base}", 32, script=root / "bench/order.lua", args=["--", "1"])
            elapsed = time.perf_counter() - start
            check = sqlite3.connect(db)
            placed = check.execute("SELECT COUNT(*) FROM customer_order").fetchone()[0] - before
            left = check.execute("SELECT available FROM product WHERE id = 1").fetchone()[0]
            check.close()
            assert left == 1_000_000_000 - placed, "stock must match the orders placed"
            order_rate = placed / seconds(DURATION)
            raw = raw_commits(tmp / "raw.db")
            results.append({"measurement": "durable_orders", "clients": 32, "orders": placed,
                            "orders_per_s": order_rate, "p50_ms": orders["p50_ms"], "p99_ms": orders["p99_ms"],
                            "raw_durable_commits_per_s": raw, "ratio_to_raw_commits": order_rate / raw,
                            "target_orders_per_s": 1000, "wall_s": elapsed})
        finally:
            proc.terminate()
            proc.wait()

    results.extend(lighthouse)
    # 4. PostgreSQL, after the SQLite measurements (its server has stopped).
    results.extend(postgres())

    (root / "bench/results.json").write_text(json.dumps(
        {"when": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()), "results": results}, indent=2) + "\n")

    by = {r["measurement"]: r for r in results if r["measurement"] != "lighthouse"}
    catalog, durable = by["catalog_throughput"], by["durable_orders"]
    print()
    print(f"{'measurement':<34}{'value':>16}{'p50 ms':>10}{'p99 ms':>10}{'target':>18}")
    print("-" * 88)
    print(f"{'catalog: bazar-server req/s':<34}{catalog['server']['requests_per_s']:>16,.0f}"
          f"{catalog['server']['p50_ms']:>10.2f}{catalog['server']['p99_ms']:>10.2f}{'p99 <= 5 ms':>18}")
    print(f"{'catalog: nginx req/s':<34}{catalog['nginx']['requests_per_s']:>16,.0f}"
          f"{catalog['nginx']['p50_ms']:>10.2f}{catalog['nginx']['p99_ms']:>10.2f}{'':>18}")
    print(f"{'catalog: ratio to nginx':<34}{catalog['ratio_to_nginx']:>16.2f}{'':>20}{'>= 0.80':>18}")
    print(f"{'durable orders/s (32 clients)':<34}{durable['orders_per_s']:>16,.0f}"
          f"{durable['p50_ms']:>10.2f}{durable['p99_ms']:>10.2f}{'>= 1,000':>18}")
    print(f"{'raw durable SQLite commits/s':<34}{durable['raw_durable_commits_per_s']:>16,.0f}")
    print(f"{'orders/s to raw commits/s':<34}{durable['ratio_to_raw_commits']:>16.2f}")
    raw, one = by["pg_raw_commits"], by["pg_durable_orders_1_server"]
    two, pg_catalog = by["pg_durable_orders_2_servers"], by["pg_catalog_2_servers_nginx"]
    print(f"{'pg raw durable commits/s (pgbench)':<34}{raw['commits_per_s']:>16,.0f}")
    print(f"{'pg orders/s, 1 server':<34}{one['orders_per_s']:>16,.0f}{one['p50_ms']:>10.2f}{one['p99_ms']:>10.2f}")
    print(f"{'pg orders/s to raw commits/s':<34}{one['ratio_to_raw_commits']:>16.2f}")
    print(f"{'pg orders/s, 2 servers + nginx':<34}{two['orders_per_s']:>16,.0f}"
          f"{two['p50_ms']:>10.2f}{two['p99_ms']:>10.2f}")
    print(f"{'pg catalog req/s, 2 srv + nginx':<34}{pg_catalog['requests_per_s']:>16,.0f}"
          f"{pg_catalog['p50_ms']:>10.2f}{pg_catalog['p99_ms']:>10.2f}")
    lighthouse = [r for r in results if r["measurement"] == "lighthouse"]
    if lighthouse:
        print()
        print(f"{'lighthouse (mobile)':<20}{'score':>7}{'FCP ms':>9}{'LCP ms':>9}{'TBT ms':>9}{'CLS':>8}{'KB':>7}"
              f"   target: score >= 95, LCP <= 2000 ms")
        for r in lighthouse:
            print(f"{r['page']:<20}{r['score']:>7}{r['fcp_ms']:>9.0f}{r['lcp_ms']:>9.0f}{r['tbt_ms']:>9.0f}"
                  f"{r['cls']:>8.3f}{r['bytes'] / 1024:>7.0f}")
    print()
    print("written to bench/results.json")


if __name__ == "__main__":
    sys.exit(main())
