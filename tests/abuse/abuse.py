#!/usr/bin/env python3
"""Abuse: the release server must hold when it is attacked.

Starts the release server on a fresh temporary database (rate limits on, as
in production), makes an operator account, and attacks it three ways:
  1. sign-in flood: 200 wrong passwords at once from one address; at most 10
     are hashed (the per-address limit), the rest are refused with
     Retry-After, memory stays bounded, and the operator can still sign in
     from another address (the attacker can't lock the account);
  2. slow heads: 1,000 connections that send half a request head and then
     nothing; the server closes every one within 12 s while /api/health,
     asked every 100 ms, answers within 100 ms throughout;
  3. photo decompression bomb: a 390 KB PNG that declares 7071x7071 16-bit
     RGBA pixels (400 MB decoded), uploaded 8 times at once by a family's
     phone; every upload is refused (413 or 422), memory stays bounded, and a
     small real photo is still accepted.
At the end the server must still be alive, answer /api/health, and its peak
resident memory (VmHWM) over the whole run must be under 256 MB.

Every check prints one line with what it measured; the first failed check
stops the run with a message and a non-zero exit. A summary table ends the
output either way. The server is killed and the temporary directory removed
even on failure.

Linux routes all of 127.0.0.0/8 to loopback, so the test speaks from several
source addresses to the server on 127.0.0.1: the attacker (127.0.0.1), the
slow connections (127.0.0.2), the operator signing in after the flood
(127.0.0.3) and the photo uploads (127.0.0.4), each with its own throttles.

Usage: abuse.py SERVER_BINARY   (run from the repository root)
"""

import argparse
import collections
import concurrent.futures
import errno
import http.client
import json
import os
import re
import resource
import selectors
import shutil
import signal
import socket
import statistics
import struct
import subprocess
import sys
import tempfile
import threading
import time
import traceback
import zlib
from pathlib import Path

# --- Thresholds -------------------------------------------------------------

# Peak resident memory (VmHWM, /proc/PID/status) the server may reach, in MB,
# after any check and over the whole run.
MEMORY_LIMIT_MB = 256

# Check 1: concurrent failed sign-ins sent from one address.
FLOOD_REQUESTS = 200
# Passwords the server may hash for them: its per-address failure limit is 10
# per 15 minutes, and every 401 is a hash (argon2id, 19 MB and ~50 ms each).
MAX_HASHED = 10
# Answers a flooded sign-in may get: wrong password, or refused unhashed.
FLOOD_STATUSES = {401, 429, 503}

# Check 2: connections that send half a request head and then nothing.
SLOW_CONNECTIONS = 1000
# The server must have closed each of them this many seconds after it opened.
SLOW_CLOSE_SECONDS = 12.0
# How often /api/health is asked meanwhile (seconds), on a fresh connection.
HEALTH_INTERVAL = 0.1
# How long each of those answers may take (seconds), connection included.
HEALTH_LIMIT = 0.1

# Check 3: the bomb declares BOMB_SIDE x BOMB_SIDE 16-bit RGBA pixels: just
# under 50 megapixels (the server's pixel limit), 400 MB once decoded.
BOMB_SIDE = 7071
# Uploads of the bomb sent at once.
BOMB_UPLOADS = 8
# Answers a bomb may get: too large, or not a usable photo. Never 201 or 5xx.
BOMB_STATUSES = {413, 422}

# --- Mechanics ----------------------------------------------------------------

# Source addresses (see the module's doc).
ATTACKER = "127.0.0.1"
SLOW_SOURCE = "127.0.0.2"
BYSTANDER = "127.0.0.3"
PHOTO_CLIENT = "127.0.0.4"
# The longest any one request may take before the check fails; no socket
# operation in this script waits without a bound.
REQUEST_TIMEOUT = 60.0
# The longest the server may take to start answering /api/health.
START_TIMEOUT = 30.0
# How often the server's VmRSS is sampled (seconds).
SAMPLE_INTERVAL = 0.01

OPERATOR = "abuse.ops"
HUB = "yultuz-bagh"
REPO = Path(__file__).resolve().parents[2]


class CheckFailed(Exception):
    """A check's expectation did not hold; the message says what was measured."""


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def mb(kb):
    return kb / 1024


# --- The server ---------------------------------------------------------------

def die_with_parent():
    """In the child, before exec: the server gets SIGKILL if this script dies
    without cleaning up (even by SIGKILL), so it is never left running."""
    try:
        import ctypes
        PR_SET_PDEATHSIG = 1
        ctypes.CDLL("libc.so.6", use_errno=True).prctl(PR_SET_PDEATHSIG, signal.SIGKILL)
    except (OSError, AttributeError):
        pass


class Server:
    def __init__(self, binary, workdir):
        self.binary = binary
        self.workdir = workdir
        self.db = os.path.join(workdir, "bazar.db")
        self.uploads = os.path.join(workdir, "uploads")
        self.log_path = os.path.join(workdir, "server.log")
        self.port = free_port()
        self.proc = None
        self.log = None
        self.password = None

    def create_operator(self):
        """Makes the operator account (this also creates and seeds the db)."""
        env = dict(os.environ, BAZAR_DB=self.db, RUST_LOG="warn")
        done = subprocess.run(
            [self.binary, "create-account", "--role", "operator", "--hub", HUB, "--username", OPERATOR],
            env=env, capture_output=True, text=True, timeout=120,
        )
        found = re.search(r"^Password \(shown only now\): (\S+)$", done.stdout, re.M)
        if done.returncode != 0 or not found:
            raise RuntimeError(f"create-account failed ({done.returncode}): {done.stdout}{done.stderr}")
        self.password = found.group(1)

    def start(self):
        env = dict(os.environ, RUST_LOG="warn")
        env.pop("BAZAR_RATE_LIMITS", None)  # the limits are on by default: keep them on
        self.log = open(self.log_path, "wb")
        self.proc = subprocess.Popen(
            [self.binary, "--addr", f"127.0.0.1:{self.port}", "--db", self.db,
             "--uploads", self.uploads, "--dist", str(REPO / "dist")],
            env=env, stdout=self.log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
            preexec_fn=die_with_parent,
        )
        deadline = time.monotonic() + START_TIMEOUT
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"the server exited at start ({self.proc.returncode}):\n{self.log_tail()}")
            answer = request(self, "GET", "/api/health", timeout=1)
            if answer.status == 200:
                return
            time.sleep(0.05)
        raise RuntimeError(f"the server did not answer /api/health within {START_TIMEOUT:.0f} s")

    def stop(self):
        """SIGTERM, then SIGKILL if it does not stop within 10 s."""
        if self.proc is not None and self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(timeout=10)
        if self.log is not None:
            self.log.close()

    def alive(self):
        return self.proc is not None and self.proc.poll() is None

    def assert_alive(self):
        if not self.alive():
            code = self.proc.returncode
            how = f"killed by signal {-code}" if code < 0 else f"exit code {code}"
            raise CheckFailed(f"the server died ({how}; SIGKILL is what the OOM killer sends)")

    def status_kb(self, field):
        """A field of /proc/PID/status in kB (VmHWM: peak resident memory since
        the start; VmRSS: resident now); None once the process is gone."""
        try:
            with open(f"/proc/{self.proc.pid}/status") as f:
                for line in f:
                    if line.startswith(field + ":"):
                        return int(line.split()[1])
        except (OSError, ValueError):
            return None
        return None

    def log_tail(self, lines=20):
        try:
            with open(self.log_path, "rb") as f:
                return "\n".join(f.read().decode(errors="replace").splitlines()[-lines:])
        except OSError:
            return ""


class MemorySampler(threading.Thread):
    """Samples the server's VmRSS every SAMPLE_INTERVAL; `window()` answers the
    peak since the last `begin()` (one check's attack)."""

    def __init__(self, server):
        super().__init__(daemon=True)
        self.server = server
        self.stopped = threading.Event()
        self.lock = threading.Lock()
        self.window_peak = 0

    def run(self):
        while not self.stopped.wait(SAMPLE_INTERVAL):
            rss = self.server.status_kb("VmRSS")
            if rss is not None:
                with self.lock:
                    self.window_peak = max(self.window_peak, rss)

    def begin(self):
        with self.lock:
            self.window_peak = 0

    def window(self):
        with self.lock:
            return self.window_peak


# --- HTTP -----------------------------------------------------------------------

class Answer:
    """A response, or `error` when none came (refused, reset, timed out)."""

    def __init__(self, status=None, headers=None, body=b"", error=None, seconds=0.0):
        self.status, self.headers, self.body, self.error, self.seconds = status, headers, body, error, seconds

    def header(self, name):
        return self.headers.get(name) if self.headers is not None else None

    def json(self):
        return json.loads(self.body)

    def cookie(self):
        """The value of the bazar_session cookie it sets, if any."""
        for value in (self.headers.get_all("Set-Cookie") or []) if self.headers is not None else []:
            found = re.match(r"\s*bazar_session=([^;]*)", value)
            if found and found.group(1):
                return found.group(1)
        return None

    def __str__(self):
        if self.status is None:
            return f"no answer ({self.error})"
        return f"{self.status} {self.body[:200].decode(errors='replace')}"


def connection(server, source=ATTACKER, timeout=REQUEST_TIMEOUT):
    return http.client.HTTPConnection("127.0.0.1", server.port, timeout=timeout, source_address=(source, 0))


def send(server, conn, method, path, body=None, cookie=None, content_type=None):
    """Sends one request on `conn` (connected or not) and reads the answer.
    Requests that change something carry what a same-origin browser sends."""
    headers = {"Connection": "close"}
    if method not in ("GET", "HEAD"):
        headers["Origin"] = f"http://127.0.0.1:{server.port}"
        headers["Sec-Fetch-Site"] = "same-origin"
    if isinstance(body, (dict, list)):
        body = json.dumps(body).encode()
        content_type = content_type or "application/json"
    if content_type:
        headers["Content-Type"] = content_type
    if cookie:
        headers["Cookie"] = f"bazar_session={cookie}"
    start = time.monotonic()
    try:
        conn.request(method, path, body=body, headers=headers)
        response = conn.getresponse()
        data = response.read()
        return Answer(response.status, response.headers, data, seconds=time.monotonic() - start)
    except (OSError, http.client.HTTPException) as e:
        return Answer(error=f"{type(e).__name__}: {e}", seconds=time.monotonic() - start)
    finally:
        conn.close()


def request(server, method, path, body=None, source=ATTACKER, cookie=None, content_type=None,
            timeout=REQUEST_TIMEOUT):
    return send(server, connection(server, source, timeout), method, path, body, cookie, content_type)


def all_at_once(server, count, source, method, path, body_of, cookie=None, content_type=None):
    """Sends `count` requests from `count` threads, each connected first and all
    released together by a barrier, so they really are in flight at once."""
    barrier = threading.Barrier(count)

    def one(n):
        conn = connection(server, source)
        failed = None
        try:
            conn.connect()
        except OSError as e:
            failed = Answer(error=f"connect: {type(e).__name__}: {e}")
        try:
            barrier.wait(timeout=REQUEST_TIMEOUT)
        except threading.BrokenBarrierError:
            pass  # a thread that could not start; the others still go
        if failed:
            conn.close()
            return failed
        return send(server, conn, method, path, body_of(n), cookie, content_type)

    with concurrent.futures.ThreadPoolExecutor(max_workers=count) as pool:
        return list(pool.map(one, range(count)))


def positive_int(value):
    return value is not None and value.strip().isdigit() and int(value) > 0


# --- PNG ------------------------------------------------------------------------

def png(width, height, bit_depth, color_type, row_of):
    """A PNG built in memory: `row_of(y)` answers row y's pixel bytes (without
    the filter byte). Compressed row by row, so a huge image is never held."""
    def chunk(kind, data):
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    ihdr = struct.pack(">IIBBBBB", width, height, bit_depth, color_type, 0, 0, 0)
    z = zlib.compressobj(9)
    idat = []
    for y in range(height):
        idat.append(z.compress(b"\0" + row_of(y)))  # filter type 0 (None)
    idat.append(z.flush())
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) + chunk(b"IDAT", b"".join(idat)) + chunk(b"IEND", b"")


def bomb_png():
    """BOMB_SIDE^2 pixels of 16-bit RGBA (colour type 6, 8 bytes a pixel), all zero."""
    zero_row = bytes(BOMB_SIDE * 8)
    return png(BOMB_SIDE, BOMB_SIDE, 16, 6, lambda y: zero_row)


def small_png(side=64):
    """A real little photo: an 8-bit RGB gradient (colour type 2)."""
    return png(side, side, 8, 2, lambda y: bytes(
        v for x in range(side) for v in (x * 4 % 256, y * 4 % 256, (x + y) * 2 % 256)))


# --- Check 1: sign-in flood -----------------------------------------------------

def sign_in_flood(server, memory):
    memory.begin()
    started = time.monotonic()
    answers = all_at_once(
        server, FLOOD_REQUESTS, ATTACKER, "POST", "/api/auth/sign-in",
        lambda n: {"username": OPERATOR, "password": f"wrong-{n}"})
    seconds = time.monotonic() - started
    hashed = sum(1 for a in answers if a.status == 401)
    refused = [a for a in answers if a.status in (429, 503)]
    hwm = server.status_kb("VmHWM")
    server.assert_alive()
    print(f"sign-in flood: {FLOOD_REQUESTS} sent at once, {hashed} hashed (401), {len(refused)} refused "
          f"(429/503) in {seconds:.1f} s; server peak RSS {mb(memory.window()):.0f} MB sampled, "
          f"VmHWM {mb(hwm):.0f} MB")

    odd = [a for a in answers if a.status not in FLOOD_STATUSES]
    if odd:
        raise CheckFailed(f"{len(odd)} sign-ins answered neither 401, 429 nor 503, e.g. {odd[0]}")
    if hashed > MAX_HASHED:
        raise CheckFailed(f"{hashed} passwords hashed (401) from one address; at most {MAX_HASHED} allowed")
    no_retry = [a for a in refused if not positive_int(a.header("Retry-After"))]
    if no_retry:
        raise CheckFailed(f"{len(no_retry)} refusals without a positive integer Retry-After, "
                          f"e.g. {no_retry[0].status} with Retry-After {no_retry[0].header('Retry-After')!r}")
    if hwm >= MEMORY_LIMIT_MB * 1024:
        raise CheckFailed(f"server VmHWM {mb(hwm):.0f} MB >= {MEMORY_LIMIT_MB} MB")

    # The attacker must not have locked the account for everyone else.
    own = request(server, "POST", "/api/auth/sign-in", {"username": OPERATOR, "password": server.password},
                  source=BYSTANDER)
    print(f"  the operator from {BYSTANDER} after the flood: {own.status or own.error} "
          f"in {own.seconds * 1000:.0f} ms")
    if own.status != 200 or not own.cookie():
        raise CheckFailed(f"the operator's own sign-in from {BYSTANDER} after the flood: {own}")
    return (f"{hashed} hashed, {len(refused)} refused of {FLOOD_REQUESTS}; own sign-in 200; "
            f"VmHWM {mb(hwm):.0f} MB")


# --- Check 2: slow-head connections ---------------------------------------------

HALF_HEAD = b"GET /api/health HTTP/1.1\r\nHost: x\r\n"


def health_probe(port):
    """Runs in its own process (`abuse.py --health-probe PORT`), so the test's
    own work can't delay it: asks /api/health every HEALTH_INTERVAL on a fresh
    connection until a line (or EOF) arrives on stdin, then prints the
    measurements as JSON: a list of [latency in seconds, status or error]."""
    stop = threading.Event()
    threading.Thread(target=lambda: (sys.stdin.readline(), stop.set()), daemon=True).start()
    results = []
    next_at = time.monotonic()
    while not stop.is_set():
        started = time.monotonic()
        try:
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
            conn.request("GET", "/api/health", headers={"Connection": "close"})
            response = conn.getresponse()
            response.read()
            outcome = response.status
            conn.close()
        except (OSError, http.client.HTTPException) as e:
            outcome = f"{type(e).__name__}: {e}"
        results.append([time.monotonic() - started, outcome])
        next_at = max(next_at + HEALTH_INTERVAL, time.monotonic())
        stop.wait(next_at - time.monotonic())
    json.dump(results, sys.stdout)


class SlowConnection:
    def __init__(self, sock, opened):
        self.sock = sock
        self.opened = opened
        self.head_sent = False
        self.closed = None        # time the server closed it (or refused it)
        self.refused = False      # closed before the half head could go out
        self.answered = False     # the server sent something (e.g. 408) first


def slow_heads(server, memory):
    memory.begin()
    probe = subprocess.Popen([sys.executable, os.path.abspath(__file__), "--health-probe", str(server.port)],
                             stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    try:
        time.sleep(3 * HEALTH_INTERVAL)  # a few probes before the attack, for comparison
        conns, fastest_close = open_and_watch(server)
        output = probe.communicate("stop\n", timeout=30)[0]
    finally:
        if probe.poll() is None:
            probe.kill()
            probe.wait()
    try:
        probes = json.loads(output)
    except ValueError:
        raise CheckFailed(f"the health probe's output is not JSON: {output[:200]!r}")
    server.assert_alive()

    refused = sum(1 for c in conns if c.refused)
    closed_later = [c for c in conns if c.closed is not None and not c.refused]
    still_open = [c for c in conns if c.closed is None]
    late = [c for c in conns if c.closed is not None and c.closed - c.opened > SLOW_CLOSE_SECONDS]
    lifetimes = [c.closed - c.opened for c in closed_later]
    longest = max([c.closed - c.opened for c in conns if c.closed is not None], default=0.0)
    answered = sum(1 for c in conns if c.answered)
    latencies = [lat for lat, _ in probes]
    worst = max(latencies, default=float("inf"))
    bad = [(lat, outcome) for lat, outcome in probes if outcome != 200 or lat > HEALTH_LIMIT]
    hwm = server.status_kb("VmHWM")
    spread = (f" (first after {fastest_close:.1f} s, median {statistics.median(lifetimes):.1f} s)"
              if lifetimes else "")
    longest_text = (f"over {SLOW_CLOSE_SECONDS:.0f} s (still open)" if still_open else f"{longest:.1f} s")
    print(f"slow heads: {len(conns)} opened from {SLOW_SOURCE}, {refused} refused at once, "
          f"{len(closed_later)} closed later{spread}, {answered} got an answer first, {len(still_open)} still open; "
          f"longest open {longest_text}; /api/health {len(probes)} asked, worst {worst * 1000:.0f} ms, "
          f"median {statistics.median(latencies) * 1000 if latencies else 0:.0f} ms, {len(bad)} over "
          f"{HEALTH_LIMIT * 1000:.0f} ms or not 200; server peak RSS {mb(memory.window()):.0f} MB sampled, "
          f"VmHWM {mb(hwm):.0f} MB")

    if not probes:
        raise CheckFailed("the health probe measured nothing")
    if bad:
        lat, outcome = max(bad, key=lambda b: b[0])
        raise CheckFailed(f"{len(bad)} of {len(probes)} health checks were not 200 within "
                          f"{HEALTH_LIMIT * 1000:.0f} ms; worst {lat * 1000:.0f} ms ({outcome})")
    if still_open:
        connecting = sum(1 for c in still_open if not c.head_sent)
        raise CheckFailed(f"{len(still_open)} of {SLOW_CONNECTIONS} slow connections still open "
                          f"{SLOW_CLOSE_SECONDS:.0f} s after opening ({connecting} of them never even connected)")
    if late:
        raise CheckFailed(f"{len(late)} slow connections closed later than {SLOW_CLOSE_SECONDS:.0f} s "
                          f"(longest {longest:.1f} s)")
    if hwm >= MEMORY_LIMIT_MB * 1024:
        raise CheckFailed(f"server VmHWM {mb(hwm):.0f} MB >= {MEMORY_LIMIT_MB} MB")
    return (f"{refused} refused, {len(closed_later)} closed, longest {longest:.1f} s; "
            f"health worst {worst * 1000:.0f} ms")


def open_and_watch(server):
    """Opens SLOW_CONNECTIONS non-blocking connections, sends each the half head
    once connected, and watches them all with one selector until every one
    is closed or SLOW_CLOSE_SECONDS have passed since the last was opened.
    Answers the connections and the shortest time to a close seen."""
    sel = selectors.DefaultSelector()
    conns = []
    address = ("127.0.0.1", server.port)

    def closed(c, refused=False):
        c.closed = time.monotonic()
        c.refused = refused or not c.head_sent
        sel.unregister(c.sock)
        c.sock.close()

    try:
        for _ in range(SLOW_CONNECTIONS):
            sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
            sock.setblocking(False)
            sock.bind((SLOW_SOURCE, 0))
            c = SlowConnection(sock, time.monotonic())
            conns.append(c)
            err = sock.connect_ex(address)
            sel.register(sock, selectors.EVENT_WRITE, c)
            if err not in (0, errno.EINPROGRESS):
                closed(c, refused=True)
        deadline = max(c.opened for c in conns) + SLOW_CLOSE_SECONDS
        while any(c.closed is None for c in conns) and time.monotonic() < deadline:
            for key, events in sel.select(timeout=min(0.05, max(0.0, deadline - time.monotonic()))):
                c = key.data
                if not c.head_sent:
                    # Connected (or failed to): send the half head, then only listen.
                    if c.sock.getsockopt(socket.SOL_SOCKET, socket.SO_ERROR):
                        closed(c, refused=True)
                        continue
                    try:
                        c.sock.send(HALF_HEAD)
                    except OSError:
                        closed(c, refused=True)
                        continue
                    c.head_sent = True
                    sel.modify(c.sock, selectors.EVENT_READ, c)
                    continue
                try:
                    data = c.sock.recv(4096)
                except BlockingIOError:
                    continue
                except OSError:  # reset by the server
                    closed(c)
                    continue
                if data:
                    c.answered = True  # e.g. 408 Request Timeout; the close follows
                else:
                    closed(c)
    finally:
        for c in conns:
            if c.closed is None:
                c.sock.close()
        sel.close()
    times = [c.closed - c.opened for c in conns if c.closed is not None and not c.refused]
    return conns, min(times, default=0.0)


# --- Check 3: photo decompression bomb ------------------------------------------

def family_phone(server):
    """Signs the operator and then a family's phone in from PHOTO_CLIENT (the
    flood's address is throttled): the operator prints the first family's key
    card, whose URL carries the token after `#key=`. Answers the phone's cookie."""
    own = request(server, "POST", "/api/auth/sign-in", {"username": OPERATOR, "password": server.password},
                  source=PHOTO_CLIENT)
    if own.status != 200 or not own.cookie():
        raise CheckFailed(f"the operator's sign-in from {PHOTO_CLIENT}: {own}")
    families = request(server, "GET", "/api/center/families", source=PHOTO_CLIENT, cookie=own.cookie())
    if families.status != 200 or not families.json():
        raise CheckFailed(f"GET /api/center/families: {families}")
    family = families.json()[0]["id"]
    card = request(server, "POST", f"/api/center/families/{family}/key-card", source=PHOTO_CLIENT,
                   cookie=own.cookie())
    if card.status != 201:
        raise CheckFailed(f"POST /api/center/families/{family}/key-card: {card}")
    url = card.json()["url"]
    if "#key=" not in url:
        raise CheckFailed(f"the key card's URL carries no token: {url}")
    token = url.split("#key=", 1)[1]
    phone = request(server, "POST", "/api/auth/key-card", {"token": token}, source=PHOTO_CLIENT)
    if phone.status != 200 or not phone.cookie():
        raise CheckFailed(f"the family's key-card sign-in: {phone}")
    return family, phone.cookie()


def photo_bomb(server, memory):
    family, cookie = family_phone(server)
    started = time.monotonic()
    bomb = bomb_png()
    built = time.monotonic() - started
    decoded_mb = BOMB_SIDE * BOMB_SIDE * 8 / 2**20
    memory.begin()
    answers = all_at_once(server, BOMB_UPLOADS, PHOTO_CLIENT, "POST", "/api/seller/photos",
                          lambda n: bomb, cookie=cookie, content_type="application/octet-stream")
    server.assert_alive()
    hwm = server.status_kb("VmHWM")
    counts = collections.Counter(str(a.status or "no answer") for a in answers)
    statuses = ", ".join(f"{n}x {status}" for status, n in sorted(counts.items()))
    slowest = max(a.seconds for a in answers)
    print(f"photo bomb: {len(bomb) / 1024:.0f} KB PNG declaring {BOMB_SIDE}x{BOMB_SIDE} 16-bit RGBA "
          f"({decoded_mb:.0f} MB decoded; built in {built:.1f} s), {BOMB_UPLOADS} uploads at once by family "
          f"{family}: answers {statuses} (slowest {slowest:.1f} s); server peak RSS "
          f"{mb(memory.window()):.0f} MB sampled, VmHWM {mb(hwm):.0f} MB")

    odd = [a for a in answers if a.status not in BOMB_STATUSES]
    if odd:
        raise CheckFailed(f"{len(odd)} bomb uploads answered other than 413/422, e.g. {odd[0]}")
    if hwm >= MEMORY_LIMIT_MB * 1024:
        raise CheckFailed(f"server VmHWM {mb(hwm):.0f} MB >= {MEMORY_LIMIT_MB} MB")

    # It must refuse the bomb, not every photo: a small real one still goes in.
    small = small_png()
    stored = request(server, "POST", "/api/seller/photos", small, source=PHOTO_CLIENT, cookie=cookie,
                     content_type="application/octet-stream")
    if stored.status != 201:
        raise CheckFailed(f"a {len(small)} B 64x64 PNG after the bomb: {stored}")
    served = request(server, "GET", stored.json()["url"], source=PHOTO_CLIENT)
    print(f"  a 64x64 PNG ({len(small)} B) afterwards: 201, stored as a {len(served.body)} B "
          f"JPEG served with {served.status}")
    if served.status != 200 or not served.body.startswith(b"\xff\xd8\xff"):
        raise CheckFailed(f"the stored photo {stored.json()['url']}: {served.status}, not a JPEG")
    return f"{BOMB_UPLOADS} bombs answered {statuses}; small PNG 201; VmHWM {mb(hwm):.0f} MB"


# --- The end: still standing --------------------------------------------------------

def still_standing(server, memory):
    server.assert_alive()
    health = request(server, "GET", "/api/health", timeout=10)
    hwm = server.status_kb("VmHWM")
    print(f"still standing: alive (pid {server.proc.pid}), /api/health {health.status or health.error} "
          f"in {health.seconds * 1000:.0f} ms; VmHWM over the whole run {mb(hwm):.0f} MB "
          f"(limit {MEMORY_LIMIT_MB} MB), VmRSS now {mb(server.status_kb('VmRSS') or 0):.0f} MB")
    if health.status != 200:
        raise CheckFailed(f"/api/health after the attacks: {health}")
    if hwm >= MEMORY_LIMIT_MB * 1024:
        raise CheckFailed(f"server VmHWM over the run {mb(hwm):.0f} MB >= {MEMORY_LIMIT_MB} MB")
    return f"alive, health 200, VmHWM {mb(hwm):.0f} MB"


CHECKS = [
    ("1 sign-in flood", sign_in_flood),
    ("2 slow heads", slow_heads),
    ("3 photo bomb", photo_bomb),
    ("end: still standing", still_standing),
]


def summary(results):
    width = max(len(name) for name, _ in CHECKS)
    print()
    print(f"{'check'.ljust(width)}  result    measured")
    print(f"{'-' * width}  --------  {'-' * 40}")
    for name, _ in CHECKS:
        outcome, detail = results.get(name, ("not run", ""))
        print(f"{name.ljust(width)}  {outcome.ljust(8)}  {detail}")


def main():
    if len(sys.argv) == 3 and sys.argv[1] == "--health-probe":
        health_probe(int(sys.argv[2]))
        return
    parser = argparse.ArgumentParser(description="Attacks the release server and checks that it holds.")
    parser.add_argument("server", help="the release binary, e.g. target/server/bazar-server")
    args = parser.parse_args()
    binary = os.path.abspath(args.server)
    if not os.access(binary, os.X_OK):
        sys.exit(f"abuse: {args.server} is not an executable")
    # SIGTERM (e.g. a CI timeout) unwinds like Ctrl-C, so the cleanup runs.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    # This process holds SLOW_CONNECTIONS sockets at once.
    soft, _ = resource.getrlimit(resource.RLIMIT_NOFILE)
    if soft < SLOW_CONNECTIONS + 200:
        sys.exit(f"abuse: the open-file limit is {soft}; raise it (ulimit -n 4096)")

    workdir = tempfile.mkdtemp(prefix="bazar-abuse-")
    server = Server(binary, workdir)
    memory = MemorySampler(server)
    results = {}
    failed = None
    try:
        server.create_operator()
        server.start()
        memory.start()
        print(f"abuse: server pid {server.proc.pid} on 127.0.0.1:{server.port}, rate limits on, "
              f"VmHWM at start {mb(server.status_kb('VmHWM')):.0f} MB")
        for name, check in CHECKS:
            try:
                results[name] = ("ok", check(server, memory))
            except CheckFailed as e:
                failed = f"{name}: {e}"
                results[name] = ("FAIL", str(e))
                break
            except Exception as e:  # a mechanics error (an answer of an unexpected shape...)
                traceback.print_exc()
                failed = f"{name}: {type(e).__name__}: {e}"
                results[name] = ("FAIL", failed)
                break
    except (RuntimeError, OSError, subprocess.SubprocessError) as e:
        failed = f"setup: {e}"
    finally:
        memory.stopped.set()
        log = server.log_tail()
        server.stop()
        shutil.rmtree(workdir, ignore_errors=True)
    if failed:
        print(f"\nFAILED {failed}", file=sys.stderr)
        if log:
            print(f"the server's log (last lines):\n{log}", file=sys.stderr)
    summary(results)
    if failed:
        sys.exit(1)
    print("\nThe server held: every check passed.")


if __name__ == "__main__":
    main()
