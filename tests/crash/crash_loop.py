#!/usr/bin/env python3
"""Crash loop: orders must survive SIGKILL exactly once.

Each loop starts the release server on the same temporary SQLite file, fires
concurrent orders with known Idempotency-Keys, kills the server with SIGKILL
at a random moment, restarts it, sends again every order that got no answer
(same key, same body), and checks:
  - every acknowledged (201) order exists exactly once, and its replay is the
    identical answer;
  - nothing exists that was never sent, and refused (4xx) orders left nothing;
  - stock = start - ordered, never negative;
  - PRAGMA integrity_check is ok.

Usage: crash_loop.py SERVER_BINARY [--loops N] [--seed S]
"""

import argparse
import json
import os
import random
import signal
import socket
import sqlite3
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request
import uuid

ZONES = ["beijing", "shanghai", "guangdong", "xinjiang"]


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Server:
    def __init__(self, binary, db, port):
        self.binary, self.db, self.port = binary, db, port
        self.proc = None

    def start(self):
        env = dict(os.environ, BAZAR_RATE_LIMITS="off", RUST_LOG="warn")
        self.proc = subprocess.Popen(
            [self.binary, "--addr", f"127.0.0.1:{self.port}", "--db", self.db, "--dist", "/nonexistent"],
            env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )
        deadline = time.time() + 20
        while time.time() < deadline:
            try:
                with urllib.request.urlopen(self.url("/api/health"), timeout=1) as r:
                    if r.status == 200:
                        return
            except (urllib.error.URLError, ConnectionError, OSError):
                time.sleep(0.05)
        raise RuntimeError("the server did not start")

    def kill(self):
        self.proc.send_signal(signal.SIGKILL)
        self.proc.wait()

    def stop(self):
        self.proc.send_signal(signal.SIGTERM)
        self.proc.wait(timeout=20)

    def url(self, path):
        return f"http://127.0.0.1:{self.port}{path}"


def post_order(server, key, body, timeout=5):
    """(status, body text), or None when no answer came."""
    request = urllib.request.Request(
        server.url("/api/orders"), data=json.dumps(body).encode(), method="POST",
        headers={"Content-Type": "application/json", "Idempotency-Key": key,
                 "Sec-Fetch-Site": "same-origin"},
    )
    try:
        with urllib.request.urlopen(request, timeout=timeout) as r:
            return r.status, r.read().decode()
    except urllib.error.HTTPError as e:
        return e.code, e.read().decode()
    except (urllib.error.URLError, ConnectionError, OSError, TimeoutError):
        return None


def products(server):
    with urllib.request.urlopen(server.url("/api/products"), timeout=5) as r:
        return {p["id"]: p for p in json.load(r)}


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("server")
    parser.add_argument("--loops", type=int, default=30)
    parser.add_argument("--seed", type=int, default=None)
    parser.add_argument("--clients", type=int, default=8)
    args = parser.parse_args()
    seed = args.seed if args.seed is not None else random.randrange(1 << 30)
    rng = random.Random(seed)
    print(f"crash loop: {args.loops} loops, seed {seed}")

    workdir = tempfile.mkdtemp(prefix="bazar-crash-")
    db = os.path.join(workdir, "bazar.db")
    server = Server(os.path.abspath(args.server), db, free_port())
    server.start()
    start_stock = {pid: p["available"] for pid, p in products(server).items()}
    product_ids = sorted(start_stock)

    sent = {}        # key -> body
    answers = {}     # key -> (status, text) of the first answer
    lock = threading.Lock()
    retried = 0      # orders that got no answer before a kill and were sent again

    for loop in range(args.loops):
        stop = threading.Event()

        def client(n):
            crng = random.Random(seed * 1000 + loop * 100 + n)
            while not stop.is_set():
                key = str(uuid.UUID(int=crng.getrandbits(128), version=4))
                body = {
                    "customer": {"name": f"Crash {loop}-{n}", "phone": f"139{crng.randrange(10**8):08d}",
                                 "address": "Test road 1", "zone": crng.choice(ZONES)},
                    "lines": [{"product_id": pid, "quantity": crng.randint(1, 3)}
                              for pid in crng.sample(product_ids, crng.randint(1, 3))],
                    "payment": "on_delivery",
                }
                with lock:
                    sent[key] = body
                answer = post_order(server, key, body)
                with lock:
                    if answer is not None:
                        answers[key] = answer

        threads = [threading.Thread(target=client, args=(n,)) for n in range(args.clients)]
        for t in threads:
            t.start()
        time.sleep(rng.uniform(0.05, 0.6))
        server.kill()
        stop.set()
        for t in threads:
            t.join()
        # While it is down, the families bring more, so later loops still sell.
        con = sqlite3.connect(db)
        with con:
            con.execute("UPDATE product SET available = available + 40")
        con.close()
        for pid in start_stock:
            start_stock[pid] += 40
        server.start()

        # Send again every order that got no answer, with the same key and body.
        for key, body in list(sent.items()):
            if key not in answers:
                retried += 1
                for _ in range(20):
                    answer = post_order(server, key, body)
                    if answer is not None and answer[0] < 500:
                        answers[key] = answer
                        break
                    time.sleep(0.1)
                else:
                    raise AssertionError(f"{key}: no answer after restart")
        check(server, db, sent, answers, start_stock)
        sys.stdout.write(f"\rloop {loop + 1}/{args.loops}: {len(sent)} orders sent")
        sys.stdout.flush()

    server.stop()
    placed = sum(1 for s, _ in answers.values() if s == 201)
    refused = sum(1 for s, _ in answers.values() if s != 201)
    print(f"\n{args.loops} kills, {len(sent)} orders sent, {retried} of them cut off by a kill and sent again, "
          f"{placed} placed exactly once, {refused} refused (sold out); every invariant held")


def check(server, db, sent, answers, start_stock):
    con = sqlite3.connect(db)
    try:
        assert con.execute("PRAGMA integrity_check").fetchone()[0] == "ok", "integrity_check failed"
        stored = dict(con.execute("SELECT key, order_id FROM idempotency").fetchall())
        orders = con.execute("SELECT COUNT(*) FROM customer_order").fetchone()[0]
        ordered = dict(con.execute("SELECT product_id, SUM(quantity) FROM order_line GROUP BY product_id").fetchall())
        available = dict(con.execute("SELECT id, available FROM product").fetchall())
    finally:
        con.close()
    assert set(stored) <= set(sent), "an order exists that was never sent"
    assert orders == len(stored) == len(set(stored.values())), "an order without its key, or twice"
    for key, (status, text) in answers.items():
        if status == 201:
            assert key in stored, f"{key}: acknowledged but lost"
        else:
            assert status in (409, 422), f"{key}: unexpected {status} {text}"
            assert key not in stored, f"{key}: refused but stored"
    for pid, start in start_stock.items():
        assert available[pid] >= 0, f"product {pid}: negative stock"
        assert available[pid] == start - ordered.get(pid, 0), f"product {pid}: stock does not add up"
    # A replay of a few acknowledged orders is the identical answer.
    placed = [k for k, (s, _) in answers.items() if s == 201]
    for key in random.sample(placed, min(5, len(placed))):
        again = post_order(server, key, sent[key])
        assert again == answers[key], f"{key}: the replay differs"


if __name__ == "__main__":
    main()
