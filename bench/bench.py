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

Prints one table and writes bench/results.json."""
import json
import os
import pathlib
import re
import socket
import sqlite3
import subprocess
import sys
import tempfile
import time
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


def main():
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
            order_rate = placed / float(DURATION.rstrip("s"))
            raw = raw_commits(tmp / "raw.db")
            results.append({"measurement": "durable_orders", "clients": 32, "orders": placed,
                            "orders_per_s": order_rate, "p50_ms": orders["p50_ms"], "p99_ms": orders["p99_ms"],
                            "raw_durable_commits_per_s": raw, "ratio_to_raw_commits": order_rate / raw,
                            "target_orders_per_s": 1000, "wall_s": elapsed})
        finally:
            proc.terminate()
            proc.wait()

    results.extend(lighthouse)

    (root / "bench/results.json").write_text(json.dumps(
        {"when": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()), "results": results}, indent=2) + "\n")

    catalog, durable = results[0], results[1]
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
    if results[2:]:
        print()
        print(f"{'lighthouse (mobile)':<20}{'score':>7}{'FCP ms':>9}{'LCP ms':>9}{'TBT ms':>9}{'CLS':>8}{'KB':>7}"
              f"   target: score >= 95, LCP <= 2000 ms")
        for r in results[2:]:
            print(f"{r['page']:<20}{r['score']:>7}{r['fcp_ms']:>9.0f}{r['lcp_ms']:>9.0f}{r['tbt_ms']:>9.0f}"
                  f"{r['cls']:>8.3f}{r['bytes'] / 1024:>7.0f}")
    print()
    print("written to bench/results.json")


if __name__ == "__main__":
    sys.exit(main())
