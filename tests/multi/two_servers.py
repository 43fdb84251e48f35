#!/usr/bin/env python3
"""Two servers, one PostgreSQL database: orders stay exactly-once and stock
never oversells when two bazar-server processes share a database, and a
lecture opened on one is followed live on the other.

Each scenario gets a fresh database on the cluster (CREATE DATABASE through
psql) and two servers, A and B, started on it; it prints one line, or stops
the run with a message saying what broke (exit status 1).

  1. last eggs: an eggs product is set to 10 in stock by SQL; 100 buyers,
     50 on A and 50 on B, each order one at the same moment. Exactly 10 are
     placed (201) and 90 are sold out (409); SQL shows stock 0, exactly 10
     order lines for it (the codes of the 201 answers), nothing negative.
  2. one key, two servers: 20 times, one new Idempotency-Key with one body is
     sent to A and to B at the same moment. Both answer 201 with the same
     bytes (one places it, the other replays the stored answer); SQL shows
     one more order per round and one idempotency record for the key.
  3. catalog follows: B's catalog is read (cached), an order is placed on A;
     A's catalog shows the decrement at once, B's within 1.0 s.
  4. crash loop over two servers (as tests/crash/crash_loop.py, on two
     servers): 8 clients send orders alternately to A and B with known keys;
     one server (A, then B, ...) is killed with SIGKILL at a random moment,
     the other keeps taking orders a moment longer, the killed one restarts
     on its port, and every order that got no answer is sent again (same
     key, same body) to either server. Then, by SQL: every acknowledged
     order exists exactly once, with its code, its lines and its phone;
     nothing exists that was never sent, refused (409) orders left nothing;
     stock = start - ordered, never negative; and replays of acknowledged
     orders on A and on B answer the identical bytes. At the end every
     acknowledged order is replayed once more. Totals are printed: orders
     acknowledged, resent, lost (must be 0) and duplicated (must be 0).
  5. lecture across servers: a trainer account is made with
     `SERVER_BINARY --db URL create-account`, signs in on A and opens a
     lecture there (lesson 1, step 0); a phone follows its events stream
     (server-sent events) on B and joins on B. B's stream shows the first
     state at once and joined 1 after the join; the trainer moves to steps
     1, 2 and 3 on A, and B's stream shows each within 1.0 s of its POST.
     Then A is killed (SIGKILL) and restarted, the trainer moves to step 4
     on it with the same session cookie (sessions live in the database), and
     B's stream shows that within 1.0 s too: a restart doesn't end a
     lecture. The slowest follow is printed.

Every order has a phone number of its own (orders paid on delivery are
limited to 3 open per phone), so an order row's phone names the one body it
came from. Weekly products are made stock products in scenario 4, so a week
turning during the run can't reset them.

Usage: two_servers.py SERVER_BINARY --pg URL [--loops N] [--seed S] [--clients N] [--only 1,2,3,4,5]

URL is a postgres:// URL of a database (e.g. bazar) on a throwaway cluster
where the script may create databases; nothing is dropped. E.g.:

  d=$(mktemp -d); URL=$(scripts/pg-cluster.sh start "$d")
  python3 tests/multi/two_servers.py "$CARGO_TARGET_DIR/server/bazar-server" --pg "$URL"
  scripts/pg-cluster.sh stop "$d"

Servers run with BAZAR_RATE_LIMITS=off RUST_LOG=warn; their logs are kept
in a temporary folder when a scenario fails (its path is printed).
"""

import argparse
import collections
import concurrent.futures
import http.client
import itertools
import json
import os
import queue
import random
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
import uuid

ZONES = ["beijing", "shanghai", "guangdong", "xinjiang"]
PSQL = ["psql", "-X", "-A", "-t", "-q", "-v", "ON_ERROR_STOP=1"]
# bazar_api::ProductKind::default_max_per_order, when a product says 0.
DEFAULT_MAX_PER_ORDER = {"nang": 30, "eggs": 6, "honey": 6, "quilt": 2, "dried_fruit": 10, "other": 10}
# Orders paid on delivery may be worth at most ¥1,500 with shipping (at most
# ¥28 in the demo zones): bodies stay under this subtotal, so only sold-out
# lines can refuse them.
MAX_SUBTOTAL_FEN = 140_000

SERVERS = []  # every server started, killed at exit
# Straight to 127.0.0.1, whatever http_proxy says.
OPENER = urllib.request.build_opener(urllib.request.ProxyHandler({}))


class Failure(Exception):
    """A broken invariant, or a server that would not start or stop."""


def check(condition, message):
    if not condition:
        raise Failure(message)


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


_phones = itertools.count(1)
_phones_lock = threading.Lock()


def new_phone():
    """A mobile number no other order of this run has."""
    with _phones_lock:
        n = next(_phones)
    return f"13{n:09d}"


# --- PostgreSQL, through psql ---------------------------------------------

def psql(url, sql):
    """The rows of `sql`'s answer, each a list of its fields as text (NULL is
    ''). Rows that print as an empty line (one empty field) are skipped, so
    select only columns that can't be empty; fields are split on '|'."""
    try:
        done = subprocess.run(PSQL + ["-d", url, "-c", sql], capture_output=True, text=True, timeout=60)
    except subprocess.TimeoutExpired:
        raise Failure(f"psql took over 60 s on: {sql}")
    if done.returncode != 0:
        raise Failure(f"psql failed (exit {done.returncode}) on: {sql}\n{done.stderr.strip()}")
    return [line.split("|") for line in done.stdout.splitlines() if line]


def sql_value(url, sql):
    rows = psql(url, sql)
    check(len(rows) == 1 and len(rows[0]) == 1, f"expected one value from {sql!r}, got {rows!r}")
    return rows[0][0]


def sql_int(url, sql):
    return int(sql_value(url, sql))


def sql_ints(url, sql):
    """The one row of `sql`'s answer, as integers."""
    rows = psql(url, sql)
    check(len(rows) == 1, f"expected one row from {sql!r}, got {rows!r}")
    return [int(v) for v in rows[0]]


def sql_map(url, sql):
    """{int: int} from a query of two integer columns."""
    return {int(k): int(v) for k, v in psql(url, sql)}


def fresh_database(url, label):
    """Creates a database of its own on the cluster of `url`; its URL."""
    name = f"bazar_multi_{label}_{os.getpid()}_{uuid.uuid4().hex[:8]}"
    psql(url, f"CREATE DATABASE {name}")
    parts = urllib.parse.urlsplit(url)
    path = parts.path.rsplit("/", 1)[0] + "/" + name
    return urllib.parse.urlunsplit(parts._replace(path=path))


# --- Servers and HTTP -------------------------------------------------------

class Server:
    def __init__(self, name, binary, db, port, uploads, log):
        self.name, self.binary, self.db, self.port = name, binary, db, port
        self.uploads, self.log = uploads, log
        self.proc = None
        SERVERS.append(self)

    def start(self):
        env = dict(os.environ, BAZAR_RATE_LIMITS="off", RUST_LOG="warn")
        with open(self.log, "ab") as log:
            self.proc = subprocess.Popen(
                [self.binary, "--addr", f"127.0.0.1:{self.port}", "--db", self.db,
                 "--dist", "/nonexistent", "--uploads", self.uploads],
                env=env, stdout=subprocess.DEVNULL, stderr=log,
            )
        deadline = time.time() + 30
        while time.time() < deadline:
            if self.proc.poll() is not None:
                raise Failure(f"server {self.name} exited with {self.proc.returncode} while starting; "
                              f"see {self.log}:\n{self.log_tail()}")
            try:
                with OPENER.open(self.url("/api/health"), timeout=1) as r:
                    if r.status == 200:
                        return
            except (urllib.error.URLError, http.client.HTTPException, ConnectionError, OSError):
                time.sleep(0.05)
        self.kill()
        raise Failure(f"server {self.name} did not start within 30 s; see {self.log}:\n{self.log_tail()}")

    def kill(self):
        if self.proc is not None and self.proc.poll() is None:
            self.proc.send_signal(signal.SIGKILL)
            self.proc.wait()

    def stop(self):
        if self.proc.poll() is not None:
            raise Failure(f"server {self.name} had exited with {self.proc.returncode}; see {self.log}:\n"
                          f"{self.log_tail()}")
        self.proc.send_signal(signal.SIGTERM)
        try:
            self.proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            self.kill()
            raise Failure(f"server {self.name} did not stop within 20 s of SIGTERM")

    def url(self, path):
        return f"http://127.0.0.1:{self.port}{path}"

    def log_tail(self, lines=20):
        try:
            with open(self.log, errors="replace") as f:
                return "".join(f.readlines()[-lines:])
        except OSError:
            return ""


def post_order(server, key, body, timeout=5):
    """(status, body text), or None when no answer came."""
    request = urllib.request.Request(
        server.url("/api/orders"), data=json.dumps(body).encode(), method="POST",
        headers={"Content-Type": "application/json", "Idempotency-Key": key,
                 "Sec-Fetch-Site": "same-origin"},
    )
    try:
        with OPENER.open(request, timeout=timeout) as r:
            return r.status, r.read().decode()
    except urllib.error.HTTPError as e:
        return e.code, e.read().decode()
    except (urllib.error.URLError, http.client.HTTPException, ConnectionError, OSError, TimeoutError):
        return None


def products(server):
    """The live catalog of `server`: {id: product}."""
    try:
        with OPENER.open(server.url("/api/products"), timeout=5) as r:
            return {p["id"]: p for p in json.load(r)}
    except (urllib.error.URLError, http.client.HTTPException, ConnectionError, OSError, TimeoutError,
            ValueError) as e:
        raise Failure(f"GET /api/products on {server.name}: {e}")


def order_body(name, lines, zone="xinjiang"):
    return {
        "customer": {"name": name, "phone": new_phone(), "address": "Test road 1", "zone": zone},
        "lines": lines,
        "payment": "on_delivery",
    }


def order_code(text):
    """The `code` of a PlacedOrder answer."""
    try:
        return json.loads(text)["code"]
    except (ValueError, KeyError, TypeError):
        raise Failure(f"a 201 answer is not a placed order: {text}")


def error_code(text):
    """The `error.code` of an ApiError answer, or None."""
    try:
        return json.loads(text)["error"]["code"]
    except (ValueError, KeyError, TypeError):
        return None


def run_at_once(targets):
    """Runs each function in a thread of its own, all released together by a
    barrier; their results, in order. A function that raised raises here."""
    barrier = threading.Barrier(len(targets), timeout=60)
    results = [None] * len(targets)
    errors = []

    def run(i, target):
        try:
            barrier.wait()
            results[i] = target()
        except Exception as e:  # noqa: BLE001 - handed to the main thread
            barrier.abort()
            errors.append(e)

    threads = [threading.Thread(target=run, args=(i, t), daemon=True) for i, t in enumerate(targets)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    if errors:
        raise errors[0]
    return results


# --- 1. last eggs -----------------------------------------------------------

def last_eggs(a, b, db, buyers=100, stock=10):
    catalog = products(a)
    eggs = sorted(pid for pid, p in catalog.items() if p["kind"] == "eggs")
    check(eggs, "the catalog has no eggs")
    pid = eggs[0]
    # Weekly products start again every week: make it a stock product. The
    # servers' cached catalogs don't see this update; orders read the database.
    psql(db, f"UPDATE product SET available = {stock}, capacity = 'stock' WHERE id = {pid}")
    lines_before = sql_int(db, f"SELECT COUNT(*) FROM order_line WHERE product_id = {pid}")

    def buyer(n):
        server = a if n % 2 == 0 else b
        body = order_body(f"Eggs {n}", [{"product_id": pid, "quantity": 1}])
        key = str(uuid.uuid4())
        return lambda: (server.name, post_order(server, key, body, timeout=60))

    answers = run_at_once([buyer(n) for n in range(buyers)])
    unanswered = [name for name, answer in answers if answer is None]
    check(not unanswered, f"{len(unanswered)} buyers got no answer")
    statuses = collections.Counter(answer[0] for _, answer in answers)
    others = [f"{status} {text}" for _, (status, text) in answers if status not in (201, 409)]
    check(statuses == {201: stock, 409: buyers - stock},
          f"expected {stock} x 201 and {buyers - stock} x 409, got {dict(statuses)}"
          + (f"; e.g. {others[0][:300]}" if others else ""))
    for _, (status, text) in answers:
        if status == 409:
            check(error_code(text) == "sold_out", f"a 409 that is not sold_out: {text}")
    codes = {order_code(text) for _, (status, text) in answers if status == 201}
    check(len(codes) == stock, f"{stock} orders placed but {len(codes)} distinct codes")
    on_a = sum(1 for name, (status, _) in answers if status == 201 and name == a.name)

    available = sql_int(db, f"SELECT available FROM product WHERE id = {pid}")
    check(available == 0, f"product {pid}: {available} left after {stock} were sold, expected 0")
    lines, quantity = sql_ints(
        db, f"SELECT COUNT(*), COALESCE(SUM(quantity), 0) FROM order_line WHERE product_id = {pid}")
    check(lines - lines_before == stock, f"product {pid}: {lines - lines_before} new order lines, expected {stock}")
    check(quantity == stock, f"product {pid}: {quantity} ordered in all, expected {stock}")
    stored = {row[0] for row in psql(
        db, f"SELECT o.code FROM customer_order o JOIN order_line l ON l.order_id = o.id WHERE l.product_id = {pid}")}
    check(stored == codes, f"the orders stored {sorted(stored)} are not those acknowledged {sorted(codes)}")
    negative = sql_int(db, "SELECT COUNT(*) FROM product WHERE available < 0")
    check(negative == 0, f"{negative} products have negative stock")
    print(f"last eggs: {buyers} buyers ({buyers // 2} on A, {buyers - buyers // 2} on B) for {stock} eggs "
          f"of product {pid} at once: {stock} placed ({on_a} on A, {stock - on_a} on B), "
          f"{buyers - stock} sold out; stock 0, {stock} order lines, nothing negative")


# --- 2. one key, two servers ------------------------------------------------

def one_key_two_servers(a, b, db, rounds=20):
    catalog = products(a)
    pid = max(catalog, key=lambda i: catalog[i]["available"])
    check(catalog[pid]["available"] >= rounds, f"no product has {rounds} in stock")
    orders = sql_int(db, "SELECT COUNT(*) FROM customer_order")
    for r in range(rounds):
        key = str(uuid.uuid4())
        body = order_body(f"Twice {r}", [{"product_id": pid, "quantity": 1}])
        got_a, got_b = run_at_once([lambda s=s: post_order(s, key, body, timeout=30) for s in (a, b)])
        check(got_a is not None and got_b is not None,
              f"round {r}: no answer from {'A' if got_a is None else 'B'}")
        check(got_a[0] == 201 and got_b[0] == 201,
              f"round {r}: A answered {got_a[0]}, B answered {got_b[0]}, expected 201 twice:\n"
              f"A: {got_a[1]}\nB: {got_b[1]}")
        # Strict UTF-8 text is equal exactly when its bytes are.
        check(got_a[1] == got_b[1], f"round {r}: the two answers differ:\nA: {got_a[1]}\nB: {got_b[1]}")
        code = order_code(got_a[1])
        rows = psql(db, f"""SELECT (SELECT COUNT(*) FROM customer_order),
                                   (SELECT COUNT(*) FROM idempotency WHERE key = '{key}'),
                                   (SELECT COALESCE(MAX(o.code), '-') FROM idempotency i
                                      JOIN customer_order o ON o.id = i.order_id WHERE i.key = '{key}')""")
        check(len(rows) == 1 and len(rows[0]) == 3, f"round {r}: unexpected psql answer {rows!r}")
        now, keys, stored_code = int(rows[0][0]), int(rows[0][1]), rows[0][2]
        check(now == orders + 1, f"round {r}: {now - orders} orders stored for one key, expected 1")
        check(keys == 1, f"round {r}: {keys} idempotency records for the key, expected 1")
        check(stored_code == code, f"round {r}: the key's order is {stored_code}, the answer says {code}")
        orders = now
    print(f"one key, two servers: {rounds} rounds of one key sent to A and B at once: "
          f"{rounds} orders stored, each pair of answers 201 and identical")


# --- 3. catalog follows -----------------------------------------------------

def catalog_follows(a, b, db, within=1.0):
    before = products(b)  # B builds and caches its catalog now
    products(a)
    pid = max(before, key=lambda i: before[i]["available"])
    was = before[pid]["available"]
    answer = post_order(a, str(uuid.uuid4()), order_body("Follow", [{"product_id": pid, "quantity": 1}]))
    placed = time.monotonic()
    check(answer is not None and answer[0] == 201, f"the order on A was not placed: {answer}")
    on_a = products(a)[pid]["available"]
    check(on_a == was - 1, f"A shows {on_a} of product {pid} right after its own order, expected {was - 1}")
    while True:
        seen = products(b)[pid]["available"]
        took = time.monotonic() - placed
        if seen == was - 1:
            break
        check(seen == was, f"B shows {seen} of product {pid}, expected {was} then {was - 1}")
        check(took <= within, f"B still shows {seen} of product {pid} {took:.2f} s after the order on A "
                              f"(expected {was - 1} within {within} s)")
        time.sleep(0.01)
    print(f"catalog follows: B showed the order placed on A after {took * 1000:.0f} ms (limit {within * 1000:.0f} ms)")


# --- 4. crash loop over two servers ----------------------------------------

def random_body(rng, name, catalog, ids):
    """1 to 3 lines of 1 to 3 each, within each product's limit and the
    unpaid order's worth."""
    lines, subtotal = [], 0
    for pid in rng.sample(ids, rng.randint(1, 3)):
        p = catalog[pid]
        limit = p.get("max_per_order") or DEFAULT_MAX_PER_ORDER.get(p["kind"], 1)
        quantity = min(rng.randint(1, 3), limit)
        if subtotal + quantity * p["price_fen"] > MAX_SUBTOTAL_FEN:
            continue
        lines.append({"product_id": pid, "quantity": quantity})
        subtotal += quantity * p["price_fen"]
    if not lines:
        cheapest = min(ids, key=lambda i: catalog[i]["price_fen"])
        lines = [{"product_id": cheapest, "quantity": 1}]
    return order_body(name, lines, rng.choice(ZONES))


def crash_loop(a, b, db, loops, clients, seed):
    rng = random.Random(seed)
    pair = [a, b]
    # Weekly products would start again if the week turned during the run.
    psql(db, "UPDATE product SET capacity = 'stock'")
    catalog = products(a)
    ids = sorted(catalog)
    start_stock = sql_map(db, "SELECT id, available FROM product")

    sent = {}        # key -> body
    answers = {}     # key -> (status, text) of the first answer
    up = {a.name: True, b.name: True}
    lock = threading.Lock()
    resent = 0       # orders that got no answer around a kill and were sent again
    lost = duplicated = 0

    for loop in range(loops):
        stop = threading.Event()

        def client(n):
            crng = random.Random(seed * 1000 + loop * 100 + n)
            for i in itertools.count():
                if stop.is_set():
                    return
                key = str(uuid.UUID(int=crng.getrandbits(128), version=4))
                body = random_body(crng, f"Crash {loop}-{n}", catalog, ids)
                with lock:
                    sent[key] = body
                    # Alternately A and B; the one that is up while the other is down.
                    server = pair[(n + i) % 2]
                    if not up[server.name]:
                        server = pair[(n + i + 1) % 2]
                answer = post_order(server, key, body)
                with lock:
                    if answer is not None:
                        answers[key] = answer

        threads = [threading.Thread(target=client, args=(n,), daemon=True) for n in range(clients)]
        for t in threads:
            t.start()
        time.sleep(rng.uniform(0.05, 0.6))
        victim = pair[loop % 2]
        with lock:
            up[victim.name] = False
        victim.kill()
        time.sleep(rng.uniform(0.1, 0.4))  # the other one keeps taking orders
        stop.set()
        for t in threads:
            t.join()
        # While it is down, the families bring more, so later loops still sell.
        psql(db, "UPDATE product SET available = available + 40")
        for pid in start_stock:
            start_stock[pid] += 40
        victim.start()
        with lock:
            up[victim.name] = True

        # Send again every order that got no answer, same key and body, to either server.
        unanswered = [key for key in sent if key not in answers]
        for j, key in enumerate(unanswered):
            resent += 1
            for attempt in range(20):
                answer = post_order(pair[(j + attempt) % 2], key, sent[key])
                if answer is not None and answer[0] < 500:
                    answers[key] = answer
                    break
                time.sleep(0.1)
            else:
                raise Failure(f"loop {loop + 1}: {key}: no answer after the restart (last: {answer})")
        lost, duplicated = check_orders(db, pair, sent, answers, start_stock, loop)
        if sys.stderr.isatty():
            sys.stderr.write(f"\rcrash loop over two servers: loop {loop + 1}/{loops}, {len(sent)} orders sent")
            sys.stderr.flush()
    if sys.stderr.isatty():
        sys.stderr.write("\r\033[K")

    # Every acknowledged order, replayed once more, on A or B.
    placed = sorted(k for k, (s, _) in answers.items() if s == 201)

    def replay(j_key):
        j, key = j_key
        server = pair[j % 2]
        return key, server.name, post_order(server, key, sent[key], timeout=30)

    with concurrent.futures.ThreadPoolExecutor(max_workers=4) as pool:
        for key, name, again in pool.map(replay, enumerate(placed)):
            check(again == answers[key], f"{key}: the final replay on {name} differs: {again} vs {answers[key]}")

    refused = sum(1 for s, _ in answers.values() if s != 201)
    print(f"crash loop over two servers: {loops} kills ({(loops + 1) // 2} of A, {loops // 2} of B), seed {seed}, "
          f"{len(sent)} orders sent: {len(placed)} acknowledged, {resent} resent, {lost} lost, {duplicated} duplicated, "
          f"{refused} refused (sold out); every acknowledged order replayed identically")


def check_orders(db, servers, sent, answers, start_stock, loop):
    where = f"loop {loop + 1}"
    stored = {}  # key -> order id
    for key, order_id in psql(db, "SELECT key, COALESCE(order_id, 0) FROM idempotency"):
        stored[key] = int(order_id)
    orders = {int(i): (code, phone) for i, code, phone in psql(
        db, "SELECT id, code, customer_phone FROM customer_order")}
    key_lines = collections.defaultdict(list)
    for key, pid, quantity in psql(
            db, "SELECT i.key, l.product_id, l.quantity FROM idempotency i JOIN order_line l ON l.order_id = i.order_id"):
        key_lines[key].append((int(pid), int(quantity)))
    ordered = sql_map(db, "SELECT product_id, SUM(quantity) FROM order_line GROUP BY product_id")
    available = sql_map(db, "SELECT id, available FROM product")

    # Lost: acknowledged, but no record of its key. Duplicated: more orders
    # than the bodies they came from (each body has a phone of its own).
    lost = [k for k, (s, _) in answers.items() if s == 201 and k not in stored]
    phones = collections.Counter(phone for _, phone in orders.values())
    duplicated = sum(n - 1 for n in phones.values())
    check(not lost, f"{where}: {len(lost)} acknowledged orders lost, e.g. {lost[:3]}")
    check(duplicated == 0, f"{where}: {duplicated} orders duplicated, e.g. phones "
                           f"{[p for p, n in phones.items() if n > 1][:3]}")

    never_sent = set(stored) - set(sent)
    check(not never_sent, f"{where}: orders exist under keys never sent: {sorted(never_sent)[:3]}")
    sent_phones = {body["customer"]["phone"] for body in sent.values()}
    strays = [code for code, phone in orders.values() if phone not in sent_phones]
    check(not strays, f"{where}: orders exist that were never sent: {strays[:3]}")
    orphans = [k for k, order_id in stored.items() if order_id not in orders]
    check(not orphans, f"{where}: idempotency records without their order: {orphans[:3]}")
    unkeyed = set(orders) - set(stored.values())
    check(not unkeyed, f"{where}: orders without an idempotency record: "
                       f"{[orders[i][0] for i in sorted(unkeyed)][:3]}")
    check(len(set(stored.values())) == len(stored), f"{where}: two keys share one order")

    for key, (status, text) in answers.items():
        if status == 201:
            code, phone = orders[stored[key]]
            check(order_code(text) == code, f"{where}: {key}: acknowledged as {order_code(text)}, stored as {code}")
            check(phone == sent[key]["customer"]["phone"], f"{where}: {key}: its order has another body's phone")
            want = sorted((l["product_id"], l["quantity"]) for l in sent[key]["lines"])
            check(sorted(key_lines[key]) == want,
                  f"{where}: {key}: stored lines {sorted(key_lines[key])}, sent {want}")
        else:
            check(status == 409, f"{where}: {key}: unexpected {status} {text}")
            check(key not in stored, f"{where}: {key}: refused but stored")
    for key in stored:
        check(answers.get(key, (None,))[0] == 201, f"{where}: {key}: stored but never acknowledged after resending")

    for pid, start in start_stock.items():
        check(available[pid] >= 0, f"{where}: product {pid}: negative stock {available[pid]}")
        check(available[pid] == start - ordered.get(pid, 0),
              f"{where}: product {pid}: stock {available[pid]}, but {start} - {ordered.get(pid, 0)} ordered "
              f"= {start - ordered.get(pid, 0)}")

    # A replay of a few acknowledged orders is the identical answer, on both servers.
    placed = [k for k, (s, _) in answers.items() if s == 201]
    for key in random.sample(placed, min(5, len(placed))):
        for server in servers:
            again = post_order(server, key, sent[key])
            check(again == answers[key], f"{where}: {key}: the replay on {server.name} differs: "
                                         f"{again} vs {answers[key]}")
    return len(lost), duplicated


# --- 5. lecture across servers ---------------------------------------------

LECTURE_HUB = "yultuz-bagh"
LECTURE_TRAINER = "lecture.trainer"
LECTURE_PHONE = "phone-0001-abcd"
SESSION_COOKIE = "bazar_session"


def call(server, method, path, body=None, cookie=None, timeout=10):
    """(status, body text, headers) of a request to `server`, sent as from
    the site itself; a Failure when no answer came."""
    headers = {"Sec-Fetch-Site": "same-origin"}
    if body is not None:
        headers["Content-Type"] = "application/json"
    if cookie is not None:
        headers["Cookie"] = cookie
    request = urllib.request.Request(
        server.url(path), data=None if body is None else json.dumps(body).encode(),
        method=method, headers=headers)
    try:
        with OPENER.open(request, timeout=timeout) as r:
            return r.status, r.read().decode(errors="replace"), r.headers
    except urllib.error.HTTPError as e:
        return e.code, e.read().decode(errors="replace"), e.headers
    except (urllib.error.URLError, http.client.HTTPException, ConnectionError, OSError, TimeoutError) as e:
        raise Failure(f"{method} {path} on {server.name}: no answer ({e})")


def json_object(text, what):
    try:
        value = json.loads(text)
    except ValueError:
        value = None
    check(isinstance(value, dict), f"{what} is not a JSON object: {text[:300]}")
    return value


def create_trainer(binary, db, username):
    """Makes a trainer account of the demo hub with the server's
    create-account command; its password."""
    env = dict(os.environ, RUST_LOG="warn")
    command = [binary, "--db", db, "create-account", "--role", "trainer", "--hub", LECTURE_HUB,
               "--username", username]
    try:
        done = subprocess.run(command, env=env, capture_output=True, text=True, timeout=60)
    except subprocess.TimeoutExpired:
        raise Failure("create-account took over 60 s")
    check(done.returncode == 0,
          f"create-account --role trainer --username {username} failed (exit {done.returncode}):\n"
          f"{(done.stdout + done.stderr).strip()}")
    for line in done.stdout.splitlines():
        if line.startswith("Password (shown only now):"):
            password = line.split(":", 1)[1].strip()
            check(password, "create-account printed an empty password")
            return password
    raise Failure(f"create-account printed no 'Password (shown only now):' line:\n{done.stdout.strip()}")


def sign_in(server, username, password):
    """Signs `username` in on `server`; the session cookie, as `name=value`
    for a Cookie header."""
    status, text, headers = call(server, "POST", "/api/auth/sign-in",
                                 {"username": username, "password": password})
    check(status == 200, f"sign-in of {username} on {server.name} answered {status}, expected 200: {text[:300]}")
    set_cookies = headers.get_all("Set-Cookie") or []
    for value in set_cookies:
        pair = value.split(";", 1)[0].strip()
        if pair.startswith(SESSION_COOKIE + "=") and len(pair) > len(SESSION_COOKIE) + 1:
            return pair
    raise Failure(f"sign-in on {server.name} set no {SESSION_COOKIE} cookie; Set-Cookie: {set_cookies}")


class LectureEvents:
    """A lecture's event stream on a server, as a phone follows it, read by
    a thread of its own: each event's (time received, LectureState) goes
    into a queue; a broken stream puts (time, exception), its end (time, None)."""

    def __init__(self, server, code):
        self.server, self.code = server, code
        self.queue = queue.Queue()
        self.closing = threading.Event()
        self.last = None  # the last state taken from the queue
        path = f"/api/lectures/{code}/events"
        try:
            # Keep-alives come every 15 s, well within the timeout.
            self.response = OPENER.open(server.url(path), timeout=60)
        except urllib.error.HTTPError as e:
            raise Failure(f"GET {path} on {server.name} answered {e.code}, expected 200: "
                          f"{e.read().decode(errors='replace')[:300]}")
        except (urllib.error.URLError, http.client.HTTPException, ConnectionError, OSError, TimeoutError) as e:
            raise Failure(f"GET {path} on {server.name}: no answer ({e})")
        kind = self.response.headers.get("Content-Type", "")
        if not kind.startswith("text/event-stream"):
            self.response.close()
            raise Failure(f"GET {path} on {server.name} is {kind!r}, not text/event-stream")
        self.thread = threading.Thread(target=self._read, daemon=True)
        self.thread.start()

    def _read(self):
        data = []
        try:
            while True:
                line = self.response.readline()
                if not line:
                    break
                line = line.decode().rstrip("\r\n")
                if line == "":
                    if data:
                        self.queue.put((time.monotonic(), json.loads("\n".join(data))))
                        data = []
                elif line.startswith("data:"):
                    value = line[len("data:"):]
                    data.append(value[1:] if value.startswith(" ") else value)
                # Comments (keep-alives), event:, id: and retry: lines are skipped.
        except Exception as e:  # noqa: BLE001 - handed to the main thread
            if not self.closing.is_set():
                self.queue.put((time.monotonic(), e))
            return
        if not self.closing.is_set():
            self.queue.put((time.monotonic(), None))

    def next_event(self, deadline):
        """The next event's (time received, state), or None when none came
        by `deadline` (time.monotonic())."""
        try:
            when, state = self.queue.get(timeout=max(0.0, deadline - time.monotonic()))
        except queue.Empty:
            return None
        where = f"{self.server.name}'s event stream of room {self.code}"
        check(not isinstance(state, Exception), f"{where} broke: {state!r}")
        check(state is not None, f"{where} ended")
        check(isinstance(state, dict) and state.get("code") == self.code,
              f"{where} sent an event that is not this room's state: {state!r}")
        self.last = state
        return when, state

    def wait_for(self, wanted, what, since, within):
        """The time, after `since`, at which the stream showed a state for
        which `wanted` holds; events in between are skipped. A Failure
        unless it came within `within` seconds."""
        while True:
            got = self.next_event(since + within + 0.25)
            if got is None:
                raise Failure(f"{self.server.name}'s stream did not show {what} within {within} s "
                              f"(last seen: {describe(self.last)})")
            when, state = got
            if wanted(state):
                took = when - since
                check(took <= within, f"{self.server.name}'s stream showed {what} after {took:.2f} s, "
                                      f"expected within {within} s")
                return took

    def close(self):
        """Ends the stream: its connection is shut down, which wakes the reader."""
        self.closing.set()
        try:
            with socket.fromfd(self.response.fileno(), socket.AF_INET, socket.SOCK_STREAM) as s:
                s.shutdown(socket.SHUT_RDWR)
        except (OSError, ValueError, AttributeError):
            pass  # already closed
        self.thread.join(timeout=5)
        self.response.close()


def describe(state):
    if state is None:
        return "no event"
    return (f"lesson {state.get('lesson')} step {state.get('step')}, joined {state.get('joined')}, "
            f"blank {state.get('blank')}")


def lecture_across_servers(a, b, db, within=1.0):
    password = create_trainer(a.binary, db, LECTURE_TRAINER)
    cookie = sign_in(a, LECTURE_TRAINER, password)
    status, text, _ = call(a, "POST", "/api/lectures", {"lesson": 1, "step": 0}, cookie)
    check(status == 201, f"POST /api/lectures on A answered {status}, expected 201: {text[:300]}")
    lecture = json_object(text, "the new lecture")
    state = lecture.get("state")
    check(isinstance(state, dict), f"the new lecture has no state: {text[:300]}")
    code = state.get("code")
    check(isinstance(code, str) and len(code) == 8 and code.isdigit(),
          f"the new lecture's room code {code!r} is not eight digits")
    check((state.get("lesson"), state.get("step"), state.get("joined")) == (1, 0, 0),
          f"the new lecture is at {describe(state)}, expected lesson 1 step 0, joined 0")
    check(str(lecture.get("join_url", "")).endswith("#" + code),
          f"the join URL {lecture.get('join_url')!r} doesn't name room {code}")

    stream = LectureEvents(b, code)
    try:
        got = stream.next_event(time.monotonic() + 5)
        check(got is not None, f"B's event stream of room {code} sent no first event within 5 s")
        first = got[1]
        check((first.get("lesson"), first.get("step"), first.get("joined")) == (1, 0, 0),
              f"B's first event shows {describe(first)}, expected lesson 1 step 0, joined 0")

        joining = time.monotonic()
        status, text, _ = call(b, "POST", f"/api/lectures/{code}/join", {"phone": LECTURE_PHONE})
        check(status == 204, f"the phone's join on B answered {status}, expected 204: {text[:300]}")
        stream.wait_for(lambda s: s.get("joined") == 1, "joined 1 after the phone joined on B", joining, within)

        follows = []

        def move(step, when=""):
            sent = time.monotonic()
            status, text, _ = call(a, "POST", f"/api/lectures/{code}/step", {"lesson": 1, "step": step}, cookie)
            check(status == 200, f"step {step} on A{when} answered {status}, expected 200: {text[:300]}")
            moved = json_object(text, f"the answer to step {step} on A{when}")
            check((moved.get("code"), moved.get("lesson"), moved.get("step")) == (code, 1, step),
                  f"step {step} on A{when} answered {describe(moved)} of room {moved.get('code')}, "
                  f"expected lesson 1 step {step} of room {code}")
            follows.append(stream.wait_for(lambda s: (s.get("lesson"), s.get("step")) == (1, step),
                                           f"lesson 1 step {step} posted on A{when}", sent, within))

        for step in (1, 2, 3):
            move(step)
        a.kill()
        a.start()
        move(4, " after its restart")
        check(stream.last.get("joined") == 1,
              f"B's stream shows {stream.last.get('joined')} joined after A's restart, expected 1")
    finally:
        stream.close()
    print(f"lecture across servers: room {code} opened on A, followed and joined on B; steps 1-3 moved on A "
          f"and step 4 on A after a SIGKILL and restart (same session) each shown on B within "
          f"{within * 1000:.0f} ms, worst {max(follows) * 1000:.0f} ms")


# --- main -------------------------------------------------------------------

SCENARIOS = {
    1: ("last_eggs", "last eggs"),
    2: ("one_key", "one key, two servers"),
    3: ("catalog", "catalog follows"),
    4: ("crash", "crash loop over two servers"),
    5: ("lecture", "lecture across servers"),
}


def main():
    parser = argparse.ArgumentParser(description="Two servers on one PostgreSQL database.")
    parser.add_argument("server")
    parser.add_argument("--pg", required=True, help="postgres:// URL of a database on a throwaway cluster")
    parser.add_argument("--loops", type=int, default=10)
    parser.add_argument("--seed", type=int, default=None)
    parser.add_argument("--clients", type=int, default=8)
    parser.add_argument("--only", default="1,2,3,4,5", help="the scenarios to run, e.g. 1,4")
    args = parser.parse_args()
    seed = args.seed if args.seed is not None else random.randrange(1 << 30)
    binary = os.path.abspath(args.server)
    if not os.access(binary, os.X_OK):
        sys.exit(f"two_servers.py: {binary} is not an executable")
    try:
        only = sorted({int(n) for n in args.only.split(",")})
    except ValueError:
        sys.exit(f"two_servers.py: --only takes scenario numbers, e.g. 1,4, not {args.only!r}")
    if not set(only) <= set(SCENARIOS):
        sys.exit(f"two_servers.py: the scenarios are {sorted(SCENARIOS)}")

    workdir = tempfile.mkdtemp(prefix="bazar-multi-")
    uploads = os.path.join(workdir, "uploads")
    os.makedirs(uploads)
    print(f"two servers, one database: scenarios {','.join(map(str, only))}, seed {seed}")
    started = time.monotonic()
    ok, scenario = False, None
    try:
        for n in only:
            label, scenario = SCENARIOS[n]
            db = fresh_database(args.pg, label)
            a = Server("A", binary, db, free_port(), uploads, os.path.join(workdir, f"{label}-A.log"))
            b = Server("B", binary, db, free_port(), uploads, os.path.join(workdir, f"{label}-B.log"))
            a.start()  # migrates and seeds the new database
            b.start()
            if n == 1:
                last_eggs(a, b, db)
            elif n == 2:
                one_key_two_servers(a, b, db)
            elif n == 3:
                catalog_follows(a, b, db)
            elif n == 4:
                crash_loop(a, b, db, args.loops, args.clients, seed)
            else:
                lecture_across_servers(a, b, db)
            a.stop()
            b.stop()
        ok = True
    except Failure as e:
        print(f"\nFAILED: {scenario}: {e}", file=sys.stderr)
        print(f"(seed {seed}; server logs in {workdir})", file=sys.stderr)
    finally:
        for server in SERVERS:
            server.kill()
        if ok:
            shutil.rmtree(workdir, ignore_errors=True)
    if not ok:
        sys.exit(1)
    print(f"every invariant held ({time.monotonic() - started:.0f} s)")


if __name__ == "__main__":
    main()
